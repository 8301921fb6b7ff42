"""Worker 1 fails at once; the others wait (a ps would serve forever). For the launcher's tests.

With TF_CONFIG (the launcher's --tf-config) each task prints its role instead, and the
workers finish while the ps waits.
"""
import argparse
import json
import os
import sys
import time

import tensorflow as tf  # noqa: F401 - a TF 1.x program, run under the runner

parser = argparse.ArgumentParser()
parser.add_argument("--job_name")
parser.add_argument("--task_index", type=int)
parser.add_argument("--ps_hosts")
parser.add_argument("--worker_hosts")
parser.add_argument("--hang", action="store_true", help="every task waits forever")
FLAGS = parser.parse_args()
if "TF_CONFIG" in os.environ:
  config = json.loads(os.environ["TF_CONFIG"])
  print("role %s:%d of %s" % (config["task"]["type"], config["task"]["index"],
                               sorted(config["cluster"].items())))
  if config["task"]["type"] != "ps":
    sys.exit(0)
  while True:
    time.sleep(1)
print("task %s:%d of workers %s" % (FLAGS.job_name, FLAGS.task_index, FLAGS.worker_hosts))
if FLAGS.job_name == "worker" and FLAGS.task_index == 1 and not FLAGS.hang:
  print("worker 1: giving up")
  sys.exit(3)
while True:
  time.sleep(1)
