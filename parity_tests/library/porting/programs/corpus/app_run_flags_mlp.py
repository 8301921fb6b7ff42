"""tf.app.run + tf.app.flags FLAGS (learning_rate, max_steps, hidden1, batch_size) driving an MLP in main(_)."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
FLAGS = flags.FLAGS
flags.DEFINE_float('learning_rate', 0.3, 'Initial learning rate.')
flags.DEFINE_integer('max_steps', 10, 'Number of steps to run trainer.')
flags.DEFINE_integer('hidden1', 64, 'Number of units in hidden layer 1.')
flags.DEFINE_integer('batch_size', 100, 'Batch size.')
flags.DEFINE_string('data_dir', '/tmp/data', 'Directory for the input data.')


def main(_):
    mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
    x = tf.placeholder(tf.float32, [None, 784], name='x-input')
    y_ = tf.placeholder(tf.float32, [None, 10], name='y-input')
    w1 = tf.Variable(tf.truncated_normal([784, FLAGS.hidden1], stddev=0.1))
    b1 = tf.Variable(tf.zeros([FLAGS.hidden1]))
    hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
    w2 = tf.Variable(tf.truncated_normal([FLAGS.hidden1, 10], stddev=0.1))
    b2 = tf.Variable(tf.zeros([10]))
    y = tf.matmul(hidden, w2) + b2
    cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
    train_step = tf.train.GradientDescentOptimizer(FLAGS.learning_rate).minimize(cross_entropy)
    sess = tf.InteractiveSession()
    tf.global_variables_initializer().run()
    for step in range(FLAGS.max_steps):
        xs, ys = mnist.train.next_batch(FLAGS.batch_size)
        _, loss = sess.run([train_step, cross_entropy], feed_dict={x: xs, y_: ys})
    print('step %d loss %.4f' % (step, loss))


if __name__ == '__main__':
    tf.app.run()
