"""`python -m legacy_tf1 run PROGRAM.py [ARGS...]`: run an unmodified TF 1.x program (see runner)."""

import sys

from legacy_tf1 import runner

if __name__ == "__main__":
    sys.exit(runner.main())
