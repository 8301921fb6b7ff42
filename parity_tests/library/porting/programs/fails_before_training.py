# A TF 1.x program with a bug before its first training step (shapes that do not fit):
# capturing it must fail with the program's own error (test_capture.py).
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 784], name='x')
w = tf.Variable(tf.zeros([748, 10]))
logits = tf.matmul(x, w)
