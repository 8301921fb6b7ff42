"""The prediction half of TF1's Estimator: choosing keys and splitting batches."""


def extract_keys(predictions, predict_keys):
    """The predictions dict restricted to `predict_keys` (all when None)."""
    if predict_keys is None:
        return predictions
    if isinstance(predict_keys, str):
        predict_keys = [predict_keys]
    if not isinstance(predictions, dict):
        raise ValueError(f"predict_keys argument ({predict_keys}) is not valid for "
                         "predictions that are a single tensor, not a dict.")
    chosen = {key: value for key, value in predictions.items() if key in predict_keys}
    if not chosen:
        raise ValueError(f"Expected to run at least one output from {sorted(predictions)}, "
                         f"provided {predict_keys}.")
    return chosen


def split_batch(values, yield_single_examples):
    """One batch's evaluated predictions as TF1 yielded them: per example, or whole."""
    if not yield_single_examples:
        return [values]
    if not isinstance(values, dict):
        return list(values)
    length = batch_length(values)
    return [{key: value[index] for key, value in values.items()} for index in range(length)]


def batch_length(values):
    """The common first dimension of a dict of arrays; ValueError if they differ."""
    length = None
    for key, value in values.items():
        if length is None:
            length = value.shape[0]
        elif value.shape[0] != length:
            raise ValueError(f"Batch length of predictions should be same. {key} has "
                             f"different batch length ({value.shape[0]}) than others ({length}).")
    return length or 0
