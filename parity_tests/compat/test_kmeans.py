"""tf.contrib.factorization.KMeans (legacy_tf1.compat.contrib.factorization) on TF 2.21.

The training graph's outputs are checked against NumPy as TF1's clustering_ops
documents them: all_scores are the distances of each input to each centre, scores
the distance to the closest, cluster_idx its index; a full-batch step moves each
centre to the mean of its points (Lloyd), a mini-batch step by x += (sum d - k x) / (n + k).
"""

import collections

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.ops import clustering_ops

import legacy_tf1.compat as tf1
from legacy_tf1.compat.contrib import factorization

V1 = tf.compat.v1
CENTRES = np.array([[0.0, 0.0], [8.0, 8.0], [-8.0, 8.0]], np.float32)
POINTS_PER_CENTRE = 40

# The six outputs of training_graph(), as TF 1.15 returned them.
Outputs = collections.namedtuple(
    "Outputs", ["all_scores", "cluster_idx", "scores", "initialized", "init_op", "train_op"])


def make_blobs(seed=0):
    """Points around CENTRES, randomly permuted (KMeans assumes permuted inputs), and their blob."""
    rng = np.random.RandomState(seed)
    blobs = np.repeat(np.arange(len(CENTRES)), POINTS_PER_CENTRE)
    points = (CENTRES[blobs] + 0.5 * rng.randn(len(blobs), 2)).astype(np.float32)
    order = rng.permutation(len(blobs))
    return points[order], blobs[order]


POINTS, BLOBS = make_blobs()


class KMeansGraph:
    """A KMeans training graph on a placeholder, with a session that feeds POINTS."""

    def __init__(self, kmeans_class=factorization.KMeans, **kwargs):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.inputs = V1.placeholder(tf.float32, [None, 2])
            self.outputs = Outputs(*kmeans_class(self.inputs, len(CENTRES), **kwargs).training_graph())
            self.centres, = [variable for variable in V1.global_variables()
                             if variable.op.name == "clusters"]
            self.session = V1.Session(graph=self.graph)
            self.run(V1.global_variables_initializer())

    def run(self, fetches, points=POINTS):
        return self.session.run(fetches, {self.inputs: points})

    def initialize(self):
        """Runs init_op as TF1's docs say: until cluster_centers_initialized is True."""
        for _ in range(len(CENTRES)):
            if self.run(self.outputs.initialized):
                break
            self.run(self.outputs.init_op)
        return self.run(self.centres)


def numpy_squared_distances(points, centres):
    return ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)


def unit_rows(values):
    return values / np.linalg.norm(values, axis=1, keepdims=True)


def test_training_graph_returns_tf1_outputs_and_initializes_once():
    kmeans = KMeansGraph()
    assert len(kmeans.outputs.all_scores) == len(kmeans.outputs.cluster_idx) == 1  # one input
    assert not kmeans.run(kmeans.outputs.initialized)
    kmeans.run(kmeans.outputs.init_op)  # random init: one batch of >= k points chooses all k
    assert kmeans.run(kmeans.outputs.initialized)
    centres = kmeans.run(kmeans.centres)
    assert centres.shape == (3, 2)
    for centre in centres:  # random init picks input points
        assert np.min(np.abs(POINTS - centre).sum(axis=1)) == 0
    kmeans.run(kmeans.outputs.init_op)  # once initialized, init_op leaves the centres alone
    np.testing.assert_array_equal(kmeans.run(kmeans.centres), centres)


def test_random_init_uses_random_seed_as_tf1_did():
    # TF1's random init: inputs[random_uniform([k], 0, n, int64, seed=random_seed)].
    with tf.Graph().as_default():
        indices = V1.random_uniform([3], minval=0, maxval=tf.constant(len(POINTS), tf.int64),
                                    seed=5, dtype=tf.int64)
        with V1.Session() as session:
            expected = POINTS[session.run(indices)]
    np.testing.assert_array_equal(KMeansGraph(random_seed=5).initialize(), expected)
    # TF 2.21's own class seeds with the graph-level seed instead: other centres.
    assert not np.array_equal(KMeansGraph(clustering_ops.KMeans, random_seed=5).initialize(),
                              expected)


def test_full_batch_step_is_a_lloyd_step_on_numpy_distances():
    kmeans = KMeansGraph(initial_clusters=factorization.KMEANS_PLUS_PLUS_INIT)
    centres = kmeans.initialize()
    outputs = kmeans.outputs
    all_scores, scores, cluster_idx = kmeans.run(
        [outputs.all_scores[0], outputs.scores[0], outputs.cluster_idx[0]])
    distances = numpy_squared_distances(POINTS, centres)
    np.testing.assert_allclose(all_scores, distances, rtol=1e-4, atol=1e-3)
    np.testing.assert_array_equal(cluster_idx, distances.argmin(axis=1))
    np.testing.assert_allclose(scores, distances.min(axis=1), rtol=1e-4, atol=1e-3)
    kmeans.run(outputs.train_op)
    expected = np.stack([POINTS[cluster_idx == index].sum(axis=0) / (np.sum(cluster_idx == index) + 1e-6)
                         for index in range(len(CENTRES))])
    np.testing.assert_allclose(kmeans.run(kmeans.centres), expected, rtol=1e-5, atol=1e-5)


def test_kmeans_recovers_well_separated_centres():
    kmeans = KMeansGraph(initial_clusters=factorization.KMEANS_PLUS_PLUS_INIT)
    kmeans.initialize()
    for _ in range(5):
        kmeans.run(kmeans.outputs.train_op)
    centres, cluster_idx = kmeans.run([kmeans.centres, kmeans.outputs.cluster_idx[0]])
    for blob, true_centre in enumerate(CENTRES):
        assigned = np.unique(cluster_idx[BLOBS == blob])
        assert len(assigned) == 1, f"blob {blob} split over clusters {assigned}"
        np.testing.assert_allclose(centres[assigned[0]], true_centre, atol=0.25)


def test_mini_batch_cosine_step_follows_tf1_update_rule():
    # kmeans++ never picks a point twice: two equal centres would tie (and ties are
    # broken differently from run to run by the NearestNeighbors kernel).
    kmeans = KMeansGraph(distance_metric=factorization.COSINE_DISTANCE, use_mini_batch=True,
                         initial_clusters=factorization.KMEANS_PLUS_PLUS_INIT)
    centres = kmeans.initialize()
    assert len(np.unique(centres, axis=0)) == len(CENTRES)
    batch = POINTS[:32]
    outputs = kmeans.outputs
    scores, cluster_idx = kmeans.run([outputs.scores[0], outputs.cluster_idx[0]], batch)
    cosines = unit_rows(batch) @ unit_rows(centres).T
    np.testing.assert_array_equal(cluster_idx, cosines.argmax(axis=1))
    np.testing.assert_allclose(scores, 1 - cosines.max(axis=1), atol=1e-5)
    kmeans.run(outputs.train_op, batch)
    counts, = [variable for variable in kmeans.graph.get_collection(V1.GraphKeys.GLOBAL_VARIABLES)
               if variable.dtype.base_dtype == tf.int64]
    assigned = np.bincount(cluster_idx, minlength=len(CENTRES))
    np.testing.assert_array_equal(kmeans.run(counts), 1 + assigned)  # counts start at one
    new_centres = kmeans.run(kmeans.centres)
    for index in np.flatnonzero(assigned):
        # x += (sum d - k x) / (n + k), d the l2-normalized inputs. TF1's op reads the count
        # n unsynchronized with its own update of n (to n + k): either value is TF1's result.
        step = unit_rows(batch)[cluster_idx == index].sum(axis=0) - assigned[index] * centres[index]
        candidates = [centres[index] + step / (count + assigned[index])
                      for count in (1, 1 + assigned[index])]
        assert any(np.allclose(new_centres[index], candidate, rtol=1e-5, atol=1e-6)
                   for candidate in candidates), (index, new_centres[index], candidates)
    for index in np.flatnonzero(assigned == 0):
        np.testing.assert_array_equal(new_centres[index], centres[index])


def test_constants_bad_arguments_and_names_not_provided():
    assert (factorization.SQUARED_EUCLIDEAN_DISTANCE, factorization.COSINE_DISTANCE) == (
        "squared_euclidean", "cosine")
    assert (factorization.RANDOM_INIT, factorization.KMEANS_PLUS_PLUS_INIT,
            factorization.KMC2_INIT) == ("random", "kmeans_plus_plus", "kmc2")
    assert tf1.contrib.factorization.KMeans is factorization.KMeans
    with tf.Graph().as_default():
        inputs = V1.placeholder(tf.float32, [None, 2])
        with pytest.raises(ValueError, match="Unsupported distance metric"):
            factorization.KMeans(inputs, 3, distance_metric="manhattan")
        with pytest.raises(ValueError, match="Unsupported initialization algorithm"):
            factorization.KMeans(inputs, 3, initial_clusters="farthest")
    with pytest.raises(AttributeError, match=r"tf\.contrib\.factorization\.KMeansClustering"):
        tf1.contrib.factorization.KMeansClustering  # noqa: B018 (the attribute access is the test)
