"""`python -m mnist_parity` is `mnist-parity`."""

import sys

from mnist_parity import cli

sys.exit(cli.main())
