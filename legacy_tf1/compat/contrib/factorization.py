"""TF 1.x `tf.contrib.factorization`: the k-means graph builder `KMeans` and its constants.

`KMeans` is TF 2.21's `tensorflow.python.ops.clustering_ops.KMeans`, the class
TF 1.15 exported here, on the same kernels (NearestNeighbors,
KmeansPlusPlusInitialization, KMC2ChainInitialization): the same constructor and
the same `training_graph()` 6-tuple (all_scores, cluster_idx, scores,
cluster_centers_initialized, init_op, training_op), where all_scores,
cluster_idx and scores are lists with one entry per input tensor. (Programs
written for a 7-tuple with cluster_centers_var must unpack six, as on TF 1.15.)

One difference of TF 2.x's class is undone: it replaces `random_seed` by the
graph-level seed (87654321 when none is set) before seeding the initialization,
while TF1 passed `random_seed` to those ops as it is; here it is passed as it is,
so the same program picks the same initial centres as under TF1.

Not provided: KMeansClustering (the estimator), GMM, WALS (any other name raises
the layer's not-provided error).
"""

from tensorflow.python.ops import clustering_ops as _clustering_ops

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

SQUARED_EUCLIDEAN_DISTANCE = _clustering_ops.SQUARED_EUCLIDEAN_DISTANCE
COSINE_DISTANCE = _clustering_ops.COSINE_DISTANCE
RANDOM_INIT = _clustering_ops.RANDOM_INIT
KMEANS_PLUS_PLUS_INIT = _clustering_ops.KMEANS_PLUS_PLUS_INIT
KMC2_INIT = _clustering_ops.KMC2_INIT


class KMeans(_clustering_ops.KMeans):
    """Creates the graph for k-means clustering (TF 1.x `tf.contrib.factorization.KMeans`)."""

    def __init__(self, inputs, num_clusters, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, use_mini_batch=False,
                 mini_batch_steps_per_iteration=1, random_seed=0,
                 kmeans_plus_plus_num_retries=2, kmc2_chain_length=200):
        super().__init__(inputs, num_clusters, initial_clusters=initial_clusters,
                         distance_metric=distance_metric, use_mini_batch=use_mini_batch,
                         mini_batch_steps_per_iteration=mini_batch_steps_per_iteration,
                         random_seed=random_seed,
                         kmeans_plus_plus_num_retries=kmeans_plus_plus_num_retries,
                         kmc2_chain_length=kmc2_chain_length)
        # TF1 seeded the initialization ops with `random_seed` itself (see the docstring).
        self._seed = random_seed


__getattr__ = _module_getattr(
    "tf.contrib.factorization",
    "its tf.contrib.factorization supplies KMeans and its distance and initialization constants")
