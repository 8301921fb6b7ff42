"""Warnings from the layer's wrappers point at the program's line, not at the layer.

tf_keras's legacy functions warn with `stacklevel=2`, which names their direct
caller: when that caller is one of this layer's wrappers, the warning would name
the layer's file. `warn_at_caller` re-issues such warnings from the first frame
outside this package, so a program sees `my_program.py:12: UserWarning: ...`
as it did in TF 1.x. As TF 1.x's deprecation notices, each message is issued once
per process (Python's own default would repeat it for every calling line); the
user's warning filters still apply to that one issue.
"""

import functools
import os
import sys
import warnings

_LAYER_DIRECTORY = os.path.dirname(os.path.abspath(__file__)) + os.sep
_ISSUED = set()  # (category, message) pairs already issued in this process


def _stacklevel_outside_layer():
    """The `stacklevel` (counted from the caller of this function) of the first non-layer frame."""
    frame, level = sys._getframe(2), 2  # pylint: disable=protected-access
    while frame is not None and frame.f_code.co_filename.startswith(_LAYER_DIRECTORY):
        frame, level = frame.f_back, level + 1
    return level


def warn_at_caller(function):
    """Wraps `function` so that the warnings it raises name the program's line."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = function(*args, **kwargs)
        level = _stacklevel_outside_layer()
        for warning in caught:
            key = (warning.category, str(warning.message))
            if key not in _ISSUED:
                _ISSUED.add(key)
                warnings.warn(warning.message, warning.category, stacklevel=level)
        return result
    return wrapper
