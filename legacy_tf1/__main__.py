"""`python -m legacy_tf1 run PROGRAM.py [ARGS...]`: run an unmodified TF 1.x program (see runner);
`python -m legacy_tf1 cluster --ps N --workers M PROGRAM.py [ARGS...]`: run it on a local cluster.

`cluster` is dispatched before the runner is imported: the launcher itself needs no
TensorFlow (each task imports its own), and importing it costs seconds per launch.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["cluster"]:
        from legacy_tf1 import cluster
        sys.exit(cluster.main(sys.argv[2:]))
    from legacy_tf1 import runner
    sys.exit(runner.main())
