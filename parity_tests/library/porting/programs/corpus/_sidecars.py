"""Writes NAME.npz beside each corpus program whose input is not an MNIST image.

`port` verifies a model on the first 1,000 MNIST test images when its input holds a 28x28
image; any other input needs examples (`--data FILE.npz`, arrays x and y), and
`tf1-to-keras port-survey` passes NAME.npz as --data for NAME.py. The examples come from the
same distributions the programs train on (fixed seeds, so the files are the same each run).
Not a program (leading underscore: the survey and the corpus test skip it). Re-run with
`python parity_tests/library/porting/programs/corpus/_sidecars.py` after changing a program's input.
"""

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = 200


def _regression(rng, features, weights, noise=0.1):
    x = rng.uniform(-1, 1, size=(COUNT, features)).astype(np.float32)
    return x, (x @ np.asarray(weights, np.float32).reshape(features, 1) + rng.normal(0, noise, (COUNT, 1))
               ).astype(np.float32)


def _classes(rng, features, classes):
    y = rng.randint(0, classes, size=COUNT)
    return (y[:, None] * 1.5 + rng.normal(0, 0.5, (COUNT, features))).astype(np.float32), y.astype(np.int32)


def _column(examples, dtype=np.float32):
    """(x, y as a column of `dtype`): the programs whose labels are fed as [None, 1]."""
    x, y = examples
    return x, y.reshape(-1, 1).astype(dtype)


def _tokens(rng, vocabulary, steps, classes):
    y = rng.randint(0, classes, size=COUNT)
    return rng.randint(0, vocabulary, size=(COUNT, steps)).astype(np.int32), y.astype(np.int32)


def _sequences(rng, steps, features):
    # A window of a sine wave and the window one step later (the program predicts each next value).
    start = rng.uniform(0, 30, size=(COUNT, 1))
    t = start + np.linspace(0, 30 / 1000 * steps, steps + 1)[None, :]
    series = (np.sin(t) / 3 + 2 * np.sin(t * 5)).astype(np.float32)[:, :, None]
    return series[:, :-1, :features], series[:, 1:, :features]


# program (without .py) -> its examples, made from a seeded RandomState.
MAKERS = {
    "linreg_square_mean": lambda rng: _regression(rng, 1, [3.0]),
    "linreg_multi_feature": lambda rng: _regression(rng, 3, [0.3, 0.3, 0.4]),
    "linreg_csv_loadtxt": lambda rng: _regression(rng, 3, [0.6, 0.6, 0.6]),
    "logreg_hand_sigmoid_ce": lambda rng: _column(_classes(rng, 2, 2)),
    "logreg_csv_diabetes": lambda rng: _column(_classes(rng, 8, 2)),
    "logreg_sigmoid_ce_with_logits": lambda rng: _column(_classes(rng, 2, 2)),
    "softmax_sparse_iris": lambda rng: _classes(rng, 4, 3),
    "softmax_zoo_one_hot": lambda rng: _column(_classes(rng, 16, 7), np.int32),
    "mlp_xor_sigmoid": lambda rng: _column(_classes(rng, 2, 2)),
    "regression_huber_losses_api": lambda rng: _regression(rng, 2, [1.0, 0.5]),
    "canned_dnn_classifier": lambda rng: _classes(rng, 4, 3),
    "rnn_basic_cell_sine": lambda rng: _sequences(rng, 20, 1),
    "embedding_mean_bag": lambda rng: _tokens(rng, 200, 10, 4),
    "embedding_lstm_sentiment": lambda rng: _column(_tokens(rng, 100, 15, 2)),
    # 13 words: "the quick brown fox jumps over the lazy dog and the cat sat on the mat"
    "word2vec_nce_skipgram": lambda rng: (rng.randint(0, 13, size=COUNT).astype(np.int32),
                                          rng.randint(0, 13, size=(COUNT, 1)).astype(np.int32)),
}


def main():
    for index, name in enumerate(sorted(MAKERS)):
        x, y = MAKERS[name](np.random.RandomState(index))
        np.savez(os.path.join(HERE, name + ".npz"), x=x, y=y)
        print(f"wrote {name}.npz: x {x.shape} {x.dtype}, y {y.shape} {y.dtype}")


if __name__ == "__main__":
    main()
