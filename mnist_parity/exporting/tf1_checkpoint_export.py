"""`export_tf1`: the legacy graph of one of the kit's programs (by model key) with a
checkpoint's weights, exported, verified and put in place by the library's export
(tf1_to_keras.exporting: stage, fresh-process check, rename)."""

from tf1_to_keras.exporting import artifacts, exports


def export_tf1(key, checkpoint, destination):
    """The legacy graph of model `key` with a checkpoint's weights (a Saver prefix or an
    Estimator model_dir) as a verified SavedModel in `destination`; ExportResult."""
    from legacy_tf1 import session_loop
    from mnist_parity import transfer
    from mnist_parity.conversion import checkpoint_io

    exports.check_destination(destination)
    weights = checkpoint_io.read_checkpoint_weights(key, checkpoint)
    with checkpoint_io.legacy_session(key) as (session, endpoints):
        transfer.set_legacy_weights(session, endpoints, weights.weights)
        images = exports.verification_images(endpoints.images.shape.as_list()[1:])
        result = exports.ExportResult("tf1", weights.path, destination, images.shape[1:], float("nan"),
                                      len(images), [])
        return exports.stage_verify_place(
            result, lambda staged: artifacts.write_tf1_artifact(session, endpoints, staged),
            session_loop.predict_logits(session, endpoints, images), images)
