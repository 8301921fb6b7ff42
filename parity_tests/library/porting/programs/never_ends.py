# A TF 1.x program stuck before its first training step (a data loader that never returns):
# capturing it must stop at the timeout and say so (test_capture.py).
import time

import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4], name='x')
while True:
  time.sleep(1)
