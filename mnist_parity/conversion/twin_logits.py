"""The logits a `--model KEY` conversion is read back on: the first FORWARD_IMAGES real test
images, the legacy graph restored from a checkpoint, and a Keras model with XLA off. The
check itself is the library's (tf1_to_keras.conversion.readback_check)."""

import legacy_tf1.compat as tf
from legacy_tf1 import session_loop
from mnist_core import recipes, training_data
from tf1_to_keras.harness import tolerances
from mnist_parity.conversion import checkpoint_io
from modern_keras import training


def verification_images(key):
    """The first FORWARD_IMAGES real test images, shaped for the model."""
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:tolerances.FORWARD_IMAGES]


def restored_logits(session, endpoints, checkpoint, images):
    """Logits of a legacy graph (inside checkpoint_io.legacy_session) restored from
    `checkpoint` by a Saver."""
    # Only the model's variables: the checkpoint may hold optimizer state too.
    tf.train.Saver(var_list=checkpoint_io.model_variables(endpoints)).restore(session, checkpoint)
    return session_loop.predict_logits(session, endpoints, images)


def keras_logits(model, images):
    """Logits of a Keras model, with XLA off as for the parity checks (TF1's kernels)."""
    model.jit_compile = False
    return training.predict_logits(model, images)
