"""A between-graph TF 1.x trainer on MonitoredTrainingSession (the Supervisor's successor).

Variables on the parameter servers, asynchronous Adam updates, the chief
(task 0) restoring from and saving checkpoints to --checkpoint_dir every
--save_checkpoint_steps steps and writing summaries; StopAtStepHook ends every
worker at --last_step. Run it unmodified:

  python -m legacy_tf1 cluster --ps 1 --workers 2 monitored_replica.py --checkpoint_dir DIR
"""
import argparse
import sys
import time

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

FLAGS = None


def build_model(x):
  hidden = tf.layers.dense(x, 64, activation=tf.nn.relu, name="hidden")
  return tf.layers.dense(hidden, 10, name="logits")


def main(_):
  ps_hosts = FLAGS.ps_hosts.split(",")
  worker_hosts = FLAGS.worker_hosts.split(",")
  cluster = tf.train.ClusterSpec({"ps": ps_hosts, "worker": worker_hosts})
  server = tf.train.Server(cluster, job_name=FLAGS.job_name, task_index=FLAGS.task_index)
  if FLAGS.job_name == "ps":
    server.join()
    return

  mnist = input_data.read_data_sets("/tmp/mnist-data", one_hot=False)
  with tf.device(tf.train.replica_device_setter(
      worker_device="/job:worker/task:%d" % FLAGS.task_index, cluster=cluster)):
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 784])
    labels = tf.placeholder(tf.int64, [None])
    logits = build_model(x)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    tf.summary.scalar("loss", loss)
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)

  hooks = [tf.train.StopAtStepHook(last_step=FLAGS.last_step)]
  is_chief = FLAGS.task_index == 0
  with tf.train.MonitoredTrainingSession(
      master=server.target, is_chief=is_chief, checkpoint_dir=FLAGS.checkpoint_dir,
      save_checkpoint_steps=FLAGS.save_checkpoint_steps, save_summaries_steps=10,
      hooks=hooks, config=tf.ConfigProto(device_filters=[
          "/job:ps", "/job:worker/task:%d" % FLAGS.task_index])) as session:
    first = True
    while not session.should_stop():
      images, targets = mnist.train.next_batch(FLAGS.batch_size)
      step, value, _ = session.run([global_step, loss, train_op],
                                   feed_dict={x: images, labels: targets})
      if first:
        print("worker %d: first step at global step %d loss %.4f" % (FLAGS.task_index, step, value))
        first = False
      print("worker %d: global step %d loss %.4f" % (FLAGS.task_index, step, value))
      if FLAGS.step_sleep:
        time.sleep(FLAGS.step_sleep)
  print("worker %d: done" % FLAGS.task_index)


if __name__ == "__main__":
  parser = argparse.ArgumentParser()
  parser.add_argument("--ps_hosts", type=str, default="")
  parser.add_argument("--worker_hosts", type=str, default="")
  parser.add_argument("--job_name", type=str, default="")
  parser.add_argument("--task_index", type=int, default=0)
  parser.add_argument("--checkpoint_dir", type=str, default="/tmp/monitored_replica")
  parser.add_argument("--last_step", type=int, default=100)
  parser.add_argument("--batch_size", type=int, default=50)
  parser.add_argument("--save_checkpoint_steps", type=int, default=20)
  parser.add_argument("--step_sleep", type=float, default=0.0)
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
