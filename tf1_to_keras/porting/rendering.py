"""Python source for the values and calls of generated code: literals as a person writes
them (double-quoted strings, tuples; floats exactly as given, by repr), `KerasObject`s as
constructor calls, and calls wrapped to the kit's line length the way the hand-written
twins wrap them (modern_keras/models/*.py).

Anything that is not a plain literal or a KerasObject under `keras.` raises ValueError
naming where it was: generated code never holds a value it cannot spell.
"""

import json
import math
import numbers

import numpy as np

from tf1_to_keras.porting import specs

LINE_LENGTH = 100
# Sizes a person writes as one number when every axis has it (Keras takes either form).
SQUARE_SIZES = ("kernel_size", "pool_size", "strides", "dilation_rate")
# Modules generated code may call into: Keras, and the TF1 optimizer twins `port` writes beside it.
ROOTS = ("keras", "tf1_optimizers")


def _float(value, where):
    if not math.isfinite(value):
        raise ValueError(f"{where}: {value!r}; generated code holds finite numbers only")
    return repr(value)  # exact: 0.8999999761581421 stays what it is (float32-rounded betas)


def value_source(value, where="value"):
    """Python source for a literal (None, bool, int, float, str, tuple, list, dict of those)
    or a KerasObject; ValueError naming `where` for anything else."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if isinstance(value, numbers.Real):
        return _float(float(value), where)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        items = [value_source(item, where) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(value_source(item, where) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{value_source(key, where)}: {value_source(item, where)}"
                               for key, item in value.items()) + "}"
    if isinstance(value, specs.KerasObject):
        return keras_object_source(value, where)
    raise ValueError(f"{where}: {value!r} (a {type(value).__name__}); expected a Python literal "
                     "or a KerasObject")


def keras_object_source(keras_object, where="value"):
    """`keras.initializers.TruncatedNormal(stddev=0.1)` for its KerasObject."""
    path = keras_object.path
    parts = path.split(".") if isinstance(path, str) else []
    if len(parts) < 2 or parts[0] not in ROOTS or not all(part.isidentifier() for part in parts):
        raise ValueError(f"{where}: KerasObject path {path!r}; expected a dotted name under keras "
                         "(keras.initializers.Zeros) or tf1_optimizers (the port's optimizer twins)")
    arguments = [f"{key}={value_source(value, f'{where}: {path}({key}=)')}"
                 for key, value in keras_object.kwargs.items()]
    return f"{path}({', '.join(arguments)})"


def setting_source(key, value, where):
    """A setting's value as source; `kernel_size=(5, 5)` spelled `5`, as a person would."""
    if (key in SQUARE_SIZES and isinstance(value, (tuple, list)) and value
            and all(isinstance(item, numbers.Integral) and item == value[0] for item in value)):
        value = value[0]
    return value_source(value, where)


def call_source(function, arguments, indent, suffix=""):
    """`function(arg, ...)suffix` at `indent` spaces, on one line when it fits in LINE_LENGTH
    (with the comma a list item adds), else its arguments wrapped one indent deeper."""
    one_line = f"{' ' * indent}{function}({', '.join(arguments)}){suffix}"
    if len(one_line) + 1 <= LINE_LENGTH:
        return one_line
    inner, room = " " * (indent + 4), LINE_LENGTH - len(suffix) - 1  # `)`, suffix, a comma
    lines, line = [], ""
    for argument in arguments:
        candidate = f"{line} {argument}," if line else f"{inner}{argument},"
        if line and len(candidate) > room:
            lines.append(line)
            candidate = f"{inner}{argument},"
        line = candidate
    lines.append(line[:-1] + ")" + suffix)
    return f"{' ' * indent}{function}(\n" + "\n".join(lines)


def applied_source(target, function, arguments, indent, inputs):
    """`target = function(arguments)(inputs)`, `inputs` one name or a list of several; when the
    call would pass LINE_LENGTH, the inputs go on a line of their own one indent deeper, one
    per line if they still do not fit (an `Add` of two long unit names, a four-branch Concatenate)."""
    argument = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
    text = call_source(f"{target} = {function}", arguments, indent, f"({argument})")
    if max(len(line) for line in text.splitlines()) <= LINE_LENGTH:
        return text
    head, inner = call_source(f"{target} = {function}", arguments, indent, "("), " " * (indent + 4)
    if len(inner) + len(argument) + 1 <= LINE_LENGTH or len(inputs) == 1:
        return f"{head}\n{inner}{argument})"
    items = [f"{inner}[{inputs[0]},"] + [f"{inner} {name}," for name in inputs[1:]]
    return head + "\n" + "\n".join(items)[:-1] + "])"


def comment_lines(text, indent):
    """`text` as `# ...` lines at `indent` spaces, wrapped at LINE_LENGTH."""
    prefix = " " * indent + "# "
    lines, line = [], prefix
    for word in str(text).split():
        if line != prefix and len(line) + 1 + len(word) > LINE_LENGTH:
            lines.append(line.rstrip())
            line = prefix
        line += ("" if line == prefix else " ") + word
    lines.append(line.rstrip())
    return lines


def identifier(name, taken):
    """A Python identifier for a layer or input name, distinct from those in `taken` (added)."""
    text = "".join(character if character.isalnum() or character == "_" else "_" for character in name)
    text = text if text and not text[0].isdigit() else f"layer_{text}"
    candidate, number = text, 1
    while candidate in taken or candidate in ("keras", "build_model", "model", "inputs"):
        candidate, number = f"{text}_{number}", number + 1
    taken.add(candidate)
    return candidate
