# Uses a tf.contrib module the layer does not provide, the way TF 1.x programs did.
import tensorflow as tf

forest = tf.contrib.tensor_forest
print('forest is', forest)
