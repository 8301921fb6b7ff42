"""The five models' structure, hand-computed: layer names, output shapes and parameter counts.

Shared by the kit's tests (kit/test_structure.py, kit/test_forward.py) and the library's port of
the kit's programs (library/porting/test_port_command.py); it lives here, beside the root
conftest.py, because `parity_tests/` is on sys.path for every test folder."""

# Hand-computed, so a bug shared by both sides is still caught:
# kernel_h * kernel_w * in_channels * filters + filters; inputs * units + units.
EXPECTED_LAYER_PARAMETERS = {
    "softmax_regression": {"linear": 784 * 10 + 10},  # 7,850
    "deep_cnn": {
        "conv1": 5 * 5 * 1 * 32 + 32,         # 832
        "conv2": 5 * 5 * 32 * 64 + 64,        # 51,264
        "fc1": 7 * 7 * 64 * 1024 + 1024,      # 3,212,288
        "fc2": 1024 * 10 + 10,                # 10,250
    },
    "layers_cnn": {
        "conv2d": 5 * 5 * 1 * 32 + 32,        # 832
        "conv2d_1": 5 * 5 * 32 * 64 + 64,     # 51,264
        "dense": 7 * 7 * 64 * 1024 + 1024,    # 3,212,288
        "dense_1": 1024 * 10 + 10,            # 10,250
    },
    "lenet5": {
        "conv2d": 5 * 5 * 1 * 6 + 6,          # 156
        "conv2d_1": 5 * 5 * 6 * 16 + 16,      # 2,416
        "dense": 5 * 5 * 16 * 120 + 120,      # 48,120
        "dense_1": 120 * 84 + 84,             # 10,164
        "dense_2": 84 * 10 + 10,              # 850
    },
    "core_convnet": {
        "c1": 3 * 3 * 1 * 16 + 16,            # 160
        "c2": 3 * 3 * 16 * 16 + 16,           # 2,320
        "c3": 3 * 3 * 16 * 32 + 32,           # 4,640
        "c4": 3 * 3 * 32 * 32 + 32,           # 9,248
        "d1": 7 * 7 * 32 * 128 + 128,         # 200,832
        "out": 128 * 10 + 10,                 # 1,290
    },
}
EXPECTED_TOTAL_PARAMETERS = {"softmax_regression": 7_850, "deep_cnn": 3_274_634,
                             "layers_cnn": 3_274_634, "lenet5": 61_706, "core_convnet": 218_490}
EXPECTED_OUTPUT_SHAPES = {
    "softmax_regression": {"linear": (None, 10)},
    "deep_cnn": {
        "reshape": (None, 28, 28, 1), "conv1": (None, 28, 28, 32), "pool1": (None, 14, 14, 32),
        "conv2": (None, 14, 14, 64), "pool2": (None, 7, 7, 64), "flatten": (None, 3136),
        "fc1": (None, 1024), "dropout": (None, 1024), "fc2": (None, 10),
    },
    "layers_cnn": {
        "reshape": (None, 28, 28, 1), "conv2d": (None, 28, 28, 32),
        "max_pooling2d": (None, 14, 14, 32), "conv2d_1": (None, 14, 14, 64),
        "max_pooling2d_1": (None, 7, 7, 64), "flatten": (None, 3136), "dense": (None, 1024),
        "dropout": (None, 1024), "dense_1": (None, 10),
    },
    "lenet5": {  # 'valid' second conv: 14 -> 10; pools are 'valid' (tf.layers default)
        "reshape": (None, 28, 28, 1), "conv2d": (None, 28, 28, 6),
        "max_pooling2d": (None, 14, 14, 6), "conv2d_1": (None, 10, 10, 16),
        "max_pooling2d_1": (None, 5, 5, 16), "flatten": (None, 400), "dense": (None, 120),
        "dense_1": (None, 84), "dense_2": (None, 10),
    },
    "core_convnet": {
        "c1": (None, 28, 28, 16), "c2": (None, 28, 28, 16), "pool1": (None, 14, 14, 16),
        "c3": (None, 14, 14, 32), "c4": (None, 14, 14, 32), "pool2": (None, 7, 7, 32),
        "flatten": (None, 1568), "d1": (None, 128), "dropout": (None, 128), "out": (None, 10),
    },
}

