"""A between-graph replicated MNIST trainer in the style of TF 1.x's mnist_replica.py.

One hidden layer, Adam, parameter servers holding the variables
(`replica_device_setter`), a `Supervisor` on every worker (the chief initialises,
restores and saves checkpoints to --logdir), asynchronous updates by default and
`SyncReplicasOptimizer` with --sync_replicas. Written for TF 1.x; run it unmodified:

  python -m legacy_tf1 cluster --ps 1 --workers 2 mnist_replica.py --train_steps 200 --logdir DIR

The chief prints `final global step N` and `validation cross entropy X` at the end.
"""
import math
import sys
import time

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string("data_dir", "/tmp/mnist-data", "Directory for storing mnist data")
flags.DEFINE_integer("task_index", None, "Worker task index, should be >= 0")
flags.DEFINE_integer("replicas_to_aggregate", None, "Replicas to aggregate per sync step")
flags.DEFINE_integer("hidden_units", 100, "Number of units in the hidden layer")
flags.DEFINE_integer("train_steps", 200, "Number of (global) training steps to perform")
flags.DEFINE_integer("batch_size", 100, "Training batch size")
flags.DEFINE_float("learning_rate", 0.01, "Learning rate")
flags.DEFINE_boolean("sync_replicas", False, "Use the sync_replicas (synchronized replicas) mode")
flags.DEFINE_string("ps_hosts", "", "Comma-separated list of hostname:port pairs")
flags.DEFINE_string("worker_hosts", "", "Comma-separated list of hostname:port pairs")
flags.DEFINE_string("job_name", None, "job name: worker or ps")
flags.DEFINE_string("logdir", "/tmp/mnist_replica", "Supervisor log and checkpoint directory")
flags.DEFINE_integer("save_model_secs", 600, "Seconds between the chief's checkpoints")
flags.DEFINE_float("step_sleep", 0.0, "Seconds to sleep after each local step (fault tests)")
FLAGS = flags.FLAGS

IMAGE_PIXELS = 28


def main(unused_argv):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
  if FLAGS.job_name is None or FLAGS.job_name == "":
    raise ValueError("Must specify an explicit `job_name`")
  if FLAGS.task_index is None or FLAGS.task_index == "":
    raise ValueError("Must specify an explicit `task_index`")
  print("job name = %s" % FLAGS.job_name)
  print("task index = %d" % FLAGS.task_index)

  ps_spec = FLAGS.ps_hosts.split(",")
  worker_spec = FLAGS.worker_hosts.split(",")
  num_workers = len(worker_spec)
  cluster = tf.train.ClusterSpec({"ps": ps_spec, "worker": worker_spec})
  server = tf.train.Server(cluster, job_name=FLAGS.job_name, task_index=FLAGS.task_index)
  if FLAGS.job_name == "ps":
    server.join()

  is_chief = (FLAGS.task_index == 0)
  worker_device = "/job:worker/task:%d/cpu:0" % FLAGS.task_index
  with tf.device(tf.train.replica_device_setter(
      worker_device=worker_device, ps_device="/job:ps/cpu:0", cluster=cluster)):
    global_step = tf.Variable(0, name="global_step", trainable=False)

    hid_w = tf.Variable(tf.truncated_normal(
        [IMAGE_PIXELS * IMAGE_PIXELS, FLAGS.hidden_units],
        stddev=1.0 / IMAGE_PIXELS, seed=1), name="hid_w")
    hid_b = tf.Variable(tf.zeros([FLAGS.hidden_units]), name="hid_b")
    sm_w = tf.Variable(tf.truncated_normal(
        [FLAGS.hidden_units, 10], stddev=1.0 / math.sqrt(FLAGS.hidden_units), seed=2),
        name="sm_w")
    sm_b = tf.Variable(tf.zeros([10]), name="sm_b")

    x = tf.placeholder(tf.float32, [None, IMAGE_PIXELS * IMAGE_PIXELS])
    y_ = tf.placeholder(tf.float32, [None, 10])
    hid = tf.nn.relu(tf.nn.xw_plus_b(x, hid_w, hid_b))
    y = tf.nn.softmax(tf.nn.xw_plus_b(hid, sm_w, sm_b))
    cross_entropy = -tf.reduce_sum(y_ * tf.log(tf.clip_by_value(y, 1e-10, 1.0)))
    correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    # Fed tensors: the chief writes this summary itself (Supervisor.summary_computed).
    tf.summary.scalar("cross_entropy", cross_entropy)

    opt = tf.train.AdamOptimizer(FLAGS.learning_rate)
    if FLAGS.sync_replicas:
      replicas_to_aggregate = FLAGS.replicas_to_aggregate or num_workers
      opt = tf.train.SyncReplicasOptimizer(
          opt, replicas_to_aggregate=replicas_to_aggregate,
          total_num_replicas=num_workers, name="mnist_sync_replicas")
    train_step = opt.minimize(cross_entropy, global_step=global_step)

    if FLAGS.sync_replicas:
      local_init_op = opt.local_step_init_op
      if is_chief:
        local_init_op = opt.chief_init_op
      ready_for_local_init_op = opt.ready_for_local_init_op
      chief_queue_runner = opt.get_chief_queue_runner()
      sync_init_op = opt.get_init_tokens_op()
    if FLAGS.sync_replicas:
      # Every worker's step waits for a token of an update that needs every worker's
      # gradient. The first worker past train_steps sends no more, so a slower one
      # would wait for ever: on leaving, each worker hands out enough tokens for the
      # others to take the step they are waiting in and one more, which reads a
      # global step past train_steps and ends their loop.
      release_tokens_op = opt.get_init_tokens_op(num_tokens=2 * num_workers)

    init_op = tf.global_variables_initializer()
    summary_op = tf.summary.merge_all()
    saver = tf.train.Saver()

    if FLAGS.sync_replicas:
      sv = tf.train.Supervisor(
          is_chief=is_chief, logdir=FLAGS.logdir, init_op=init_op,
          local_init_op=local_init_op, ready_for_local_init_op=ready_for_local_init_op,
          summary_op=None, saver=saver, recovery_wait_secs=1,
          global_step=global_step, save_model_secs=FLAGS.save_model_secs)
    else:
      sv = tf.train.Supervisor(
          is_chief=is_chief, logdir=FLAGS.logdir, init_op=init_op,
          summary_op=None, saver=saver, recovery_wait_secs=1,
          global_step=global_step, save_model_secs=FLAGS.save_model_secs)

    sess_config = tf.ConfigProto(
        allow_soft_placement=True, log_device_placement=False,
        device_filters=["/job:ps", "/job:worker/task:%d" % FLAGS.task_index])
    if is_chief:
      print("Worker %d: Initializing session..." % FLAGS.task_index)
    else:
      print("Worker %d: Waiting for session to be initialized..." % FLAGS.task_index)
    sess = sv.prepare_or_wait_for_session(server.target, config=sess_config)
    print("Worker %d: Session initialization complete." % FLAGS.task_index)
    start_step = sess.run(global_step)
    print("Worker %d: starting at global step %d" % (FLAGS.task_index, start_step))

    if FLAGS.sync_replicas and is_chief:
      sess.run(sync_init_op)
      sv.start_queue_runners(sess, [chief_queue_runner])

    time_begin = time.time()
    local_step = 0
    while True:
      batch_xs, batch_ys = mnist.train.next_batch(FLAGS.batch_size)
      _, step, loss, summary = sess.run([train_step, global_step, cross_entropy, summary_op],
                                        feed_dict={x: batch_xs, y_: batch_ys})
      local_step += 1
      if is_chief:
        sv.summary_computed(sess, summary, global_step=step)
      print("Worker %d: training step %d done (global step: %d) loss %.4f"
            % (FLAGS.task_index, local_step, step, loss))
      if FLAGS.step_sleep:
        time.sleep(FLAGS.step_sleep)
      if step >= FLAGS.train_steps:
        break
    if FLAGS.sync_replicas:
      sess.run(release_tokens_op)
    print("Training elapsed time: %f s" % (time.time() - time_begin))

    val_feed = {x: mnist.validation.images, y_: mnist.validation.labels}
    val_xent, val_accuracy = sess.run([cross_entropy, accuracy], feed_dict=val_feed)
    print("After %d training step(s), validation cross entropy = %g, accuracy = %g"
          % (FLAGS.train_steps, val_xent, val_accuracy))
    test_accuracy = sess.run(accuracy, feed_dict={x: mnist.test.images, y_: mnist.test.labels})
    print("Worker %d: test accuracy %.4f" % (FLAGS.task_index, test_accuracy))
    if is_chief:
      sv.saver.save(sess, sv.save_path, global_step=global_step)
      print("final global step %d" % sess.run(global_step))
    if not FLAGS.sync_replicas:
      # In sync mode the chief's queue runner waits for gradients no worker will send
      # any more, and sv.stop() would wait out its grace period: end like the original.
      sv.stop()


if __name__ == "__main__":
  tf.app.run()
