"""ResNet-50 v1 at 224x224 from tf_slim.nets.resnet_v1 (25.6 M parameters, 1,000 classes):
the top rung of the port-at-scale ladder, written as a slim-era training script."""
import numpy as np
import tensorflow as tf
from tf_slim.nets import resnet_v1

slim = tf.contrib.slim
BATCH = 2

inputs = tf.placeholder(tf.float32, [None, 224, 224, 3], name="inputs")
labels = tf.placeholder(tf.int32, [None], name="labels")
with slim.arg_scope(resnet_v1.resnet_arg_scope(weight_decay=1e-4)):
    net, _ = resnet_v1.resnet_v1_50(inputs, num_classes=1000, is_training=True)
logits = tf.squeeze(net, [1, 2], name="logits")
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
global_step = tf.train.get_or_create_global_step()
train_op = slim.learning.create_train_op(total_loss, tf.train.MomentumOptimizer(0.1, 0.9),
                                         global_step=global_step)

images = np.random.RandomState(50).rand(BATCH, 224, 224, 3).astype(np.float32)
classes = np.array([1, 999])[:BATCH]
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for _ in range(2):
        print("loss", session.run(train_op, feed_dict={inputs: images, labels: classes}))
