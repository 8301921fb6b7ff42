"""TF 1.x `canned/metric_keys.py`: the names of the canned heads' evaluation metrics."""


class MetricKeys:
    """Keys of the dict `evaluate` returns (besides the Estimator's `global_step`)."""

    LOSS = "loss"
    LOSS_MEAN = "average_loss"
    ACCURACY = "accuracy"
    PRECISION = "precision"
    RECALL = "recall"
    # The best accuracy a model could reach by always predicting one class.
    ACCURACY_BASELINE = "accuracy_baseline"
    AUC = "auc"
    AUC_PR = "auc_precision_recall"
    LABEL_MEAN = "label/mean"
    PREDICTION_MEAN = "prediction/mean"
