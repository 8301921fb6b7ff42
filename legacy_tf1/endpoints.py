"""What a legacy program's `build_graph` hands the parity suite: its graph's named parts."""

import dataclasses


@dataclasses.dataclass
class GraphEndpoints:
    """Named tensors and variables of one TF1 model graph (built, not trained).

    `layers` maps each layer name (the TF1 scope name, equal to the Keras layer
    name) to its output tensor, in order; `variables` maps each layer with
    parameters to its variables in Keras weight order (kernel, bias), so that
    weight transfer is a name lookup. `training_feed` / `inference_feed` are the
    extra feeds (e.g. keep_prob) that switch dropout on and off.
    """

    images: object
    labels: object
    logits: object
    loss: object
    layers: dict
    variables: dict
    training_feed: dict = dataclasses.field(default_factory=dict)
    inference_feed: dict = dataclasses.field(default_factory=dict)

    def feed(self, images, labels=None, training=False):
        """feed_dict for a batch, with the dropout switch for `training`."""
        feed_dict = dict(self.training_feed if training else self.inference_feed)
        feed_dict[self.images] = images
        if labels is not None:
            feed_dict[self.labels] = labels
        return feed_dict
