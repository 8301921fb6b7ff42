# Prints its argv as JSON, then exits with the status given as its first argument.
import json
import sys

import tensorflow as tf

print('ARGV ' + json.dumps(sys.argv))
sys.stdout.flush()
sys.exit(int(sys.argv[1]))
