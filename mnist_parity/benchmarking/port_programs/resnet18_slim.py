"""ResNet-18 v1 at 224x224 built from TF-Slim's resnet_utils blocks with a two-convolution
basic unit (about 11.7 M parameters): the third rung of the port-at-scale ladder."""
import numpy as np
import tensorflow as tf
import tf_slim as slim
from tf_slim.nets import resnet_utils, resnet_v1

BATCH = 2


@slim.add_arg_scope
def basic(inputs, depth, stride, rate=1, outputs_collections=None, scope=None):
    """The basic residual unit: two 3x3 convolutions, a projection when the shape changes."""
    with tf.variable_scope(scope, "basic_v1", [inputs]) as sc:
        depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, "shortcut")
        else:
            shortcut = slim.conv2d(inputs, depth, [1, 1], stride=stride, activation_fn=None,
                                   scope="shortcut")
        residual = resnet_utils.conv2d_same(inputs, depth, 3, stride, rate=rate, scope="conv1")
        residual = slim.conv2d(residual, depth, [3, 3], activation_fn=None, scope="conv2")
        output = tf.nn.relu(shortcut + residual)
        return slim.utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v1_18(inputs, num_classes=1000, is_training=True):
    blocks = [resnet_utils.Block("block1", basic, [{"depth": 64, "stride": 1}] * 2),
              resnet_utils.Block("block2", basic, [{"depth": 128, "stride": 2}, {"depth": 128, "stride": 1}]),
              resnet_utils.Block("block3", basic, [{"depth": 256, "stride": 2}, {"depth": 256, "stride": 1}]),
              resnet_utils.Block("block4", basic, [{"depth": 512, "stride": 2}, {"depth": 512, "stride": 1}])]
    net, end_points = resnet_v1.resnet_v1(inputs, blocks, num_classes, is_training, global_pool=True,
                                          include_root_block=True, scope="resnet_v1_18")
    return tf.squeeze(net, [1, 2], name="SpatialSqueeze"), end_points


inputs = tf.placeholder(tf.float32, [None, 224, 224, 3], name="inputs")
labels = tf.placeholder(tf.int32, [None], name="labels")
with slim.arg_scope(resnet_v1.resnet_arg_scope()):
    logits, end_points = resnet_v1_18(inputs)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.MomentumOptimizer(0.1, 0.9))

images = np.random.RandomState(18).rand(BATCH, 224, 224, 3).astype(np.float32)
classes = np.array([3, 7])[:BATCH]
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    print("loss", session.run(train_op, {inputs: images, labels: classes}))
