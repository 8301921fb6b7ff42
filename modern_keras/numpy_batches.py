"""fit's input on backends other than TensorFlow: TF1's next_batch order as NumPy batches.

The TensorFlow backend reads batches from a tf.data pipeline (training.make_dataset); JAX
cannot take tf.data tensors into its compiled step without a copy through NumPy, so on
other backends each batch is gathered with NumPy, which every backend's fit accepts.
"""

import keras
import numpy as np


class OrderedBatches(keras.utils.PyDataset):
    """Batch i is `images[order[i]], labels[order[i]]`; `order` is [steps, batch_size]."""

    def __init__(self, images, labels, order):
        super().__init__(workers=1, use_multiprocessing=False)
        self.order = np.asarray(order, dtype=np.int64)
        if self.order.ndim != 2:
            raise ValueError(f"order of shape {self.order.shape}; expected [steps, batch_size]")
        self.images, self.labels = images, labels

    def __len__(self):
        return len(self.order)

    def __getitem__(self, index):
        indices = self.order[index]
        return self.images[indices], self.labels[indices]
