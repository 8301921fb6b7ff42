"""The rule for a layer name that several layers of a port would take (one home for it).

Slim's nets reuse short scopes in every unit: ResNet's `block1/unit_1/bottleneck_v1/conv1`
and `block2/unit_3/bottleneck_v1/conv1` are both "conv1" by their last scope component. Such
a name is qualified by the TF1 path it stands for, below the scope the whole group shares,
'/' written as '_' (Keras 3 forbids '/' in layer names): `block1_unit_1_bottleneck_v1_conv1`,
`conv1` (the stem). A name only one layer wants stays as it is, and so does a name one layer
with weights and one without want (`fc1`'s Dense and the Flatten in its scope): the Dense
claims it and the other takes Keras' default, as recognition names them.

The path of a layer with weights is its first weight's variable scope ("…/conv1" of
"…/conv1/weights"); of a weightless layer, its output op ("…/bottleneck_v1/Relu"), so the
Add and the ReLU of one scope part by their op names.
"""

import collections
import re

_PART = re.compile(r"/part_\d+$")


def tf1_path(layer):
    """The TF1 path a layer's name stands for, as a list of scope components."""
    if layer.weights:
        path = _PART.sub("", layer.weights[0].tf1_variable).rpartition("/")[0]
    else:
        path = layer.tf1_output.rpartition(":")[0]
    parts = [part for part in path.split("/") if part]
    # A variable scope re-entered by name doubles its name scope (slim's inception_v1:
    # "InceptionV1/InceptionV1/Mixed_3b/..." ops, "InceptionV1/Mixed_3b/..." variables).
    return [part for index, part in enumerate(parts) if index == 0 or part != parts[index - 1]]


def qualified_names(paths):
    """The paths (lists of components) below the components they all share, '_'-joined;
    a path that is the shared part itself keeps its last component."""
    shared = 0
    while all(len(path) > shared + 1 for path in paths) and len({path[shared] for path in paths}) == 1:
        shared += 1
    return ["_".join(path[shared:]) or path[-1] for path in paths]


def qualify_shared_names(layers):
    """Renames, in place, each group of layers that want the same non-empty name."""
    groups = collections.defaultdict(list)
    for layer in layers:
        if layer.name:
            groups[layer.name].append(layer)
    for group in groups.values():
        weighted = sum(1 for layer in group if layer.weights)
        if weighted < 2 and len(group) - weighted < 2:
            continue
        paths = [tf1_path(layer) for layer in group]
        if any(not path for path in paths):
            continue  # a root layer: nothing to qualify by (Keras' default names take over)
        for layer, name in zip(group, qualified_names(paths)):
            layer.name = name
