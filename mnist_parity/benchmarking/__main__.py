"""`python -m mnist_parity.benchmarking ...`: the benchmark's worker, one child process
(worker.worker_main). The parent starts it (worker.run_worker); the command is
`mnist-parity benchmark`. Its own module so that `-m` runs code the package has not
imported already."""

import sys

from mnist_parity.benchmarking import worker

if __name__ == "__main__":
    worker.worker_main(sys.argv[1:])
