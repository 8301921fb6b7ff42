"""`python -m tf1_to_keras` is `tf1-to-keras`."""

import sys

from tf1_to_keras import cli

sys.exit(cli.main())
