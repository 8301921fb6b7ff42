"""TF 1.x `canned/prediction_keys.py`: the keys of the canned heads' predictions."""


class PredictionKeys:
    """Keys of each dict `predict` yields."""

    CLASSES = "classes"
    CLASS_IDS = "class_ids"
    ALL_CLASSES = "all_classes"
    ALL_CLASS_IDS = "all_class_ids"
    LOGISTIC = "logistic"
    LOGITS = "logits"
    PREDICTIONS = "predictions"
    PROBABILITIES = "probabilities"
