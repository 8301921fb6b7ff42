"""The generated `model.py`: a RecognisedModel written as the Keras 3 code a person would
have written, shaped like the kit's hand-written twins (modern_keras/models/*.py).

    source = codegen.model_source(recognised, "legacy_tf1/models/deep_cnn.py")

The module has a docstring naming the TF1 program and the `tf1-to-keras port` command that
wrote it, `import keras`, one small function per initializer (or other Keras object) that
several layers share (`kernel_initializer()`, as the twins have), and `build_model()`:
a `keras.Sequential` of named layers when the model is a chain, a functional
`keras.Model` otherwise. Settings are keyword arguments (the first one or two positional
where Keras' signature reads that way: `Dense(10, ...)`, `Conv2D(32, 5, ...)`); a layer's
notes become comments above it. Lines stay within 100 columns.

A construct's own layer class (constructs.custom_layers(): `Scale`, ...) is copied into the
module, above build_model, from its construct's source, and called by its bare name.
A layer class that neither `keras.layers` nor a construct has, a Lambda (never a way out), a duplicate
or missing name, an input that names no earlier layer, or a setting that is not a literal
raises ValueError naming the layer. The source is compiled before it is returned.
"""

import inspect

import keras

from tf1_to_keras.porting import constructs, rendering, specs

# Settings passed by position, as Keras' signatures (and the hand twins) read.
POSITIONAL = {
    "Dense": ("units",), "Conv1D": ("filters", "kernel_size"), "Conv2D": ("filters", "kernel_size"),
    "Conv2DTranspose": ("filters", "kernel_size"), "SeparableConv2D": ("filters", "kernel_size"),
    "DepthwiseConv2D": ("kernel_size",), "MaxPooling1D": ("pool_size",),
    "MaxPooling2D": ("pool_size",), "AveragePooling1D": ("pool_size",),
    "AveragePooling2D": ("pool_size",), "Reshape": ("target_shape",), "Dropout": ("rate",),
    "Activation": ("activation",), "LSTM": ("units",), "GRU": ("units",), "SimpleRNN": ("units",),
    "Embedding": ("input_dim", "output_dim"), "Bidirectional": ("layer",),
}
REFUSED = ("Lambda", "InputLayer", "TFSMLayer")  # code that would not be a readable port
DOCSTRING_LAYERS = 24  # beyond, the docstring counts the layers and points to port.json


def check_layer_class(layer):
    """ValueError unless `layer.keras_class` is a layer class of `keras.layers` a port may use,
    or a construct's own layer class."""
    if layer.keras_class in constructs.custom_layers():
        return
    found = getattr(keras.layers, str(layer.keras_class), None)
    if layer.keras_class in REFUSED or not (isinstance(found, type)
                                            and issubclass(found, keras.layers.Layer)):
        raise ValueError(f"layer {layer.name!r}: keras_class {layer.keras_class!r} is not a layer "
                         "class of keras.layers a port may use (no Lambda layers)")


def check_model(recognised):
    """ValueError naming the first layer the generated code could not hold faithfully."""
    if not recognised.inputs:
        raise ValueError("the recognised model has no inputs")
    if not recognised.layers:
        raise ValueError("the recognised model has no layers")
    known = {spec.name for spec in recognised.inputs}
    for layer in recognised.layers:
        if not isinstance(layer.name, str) or not layer.name or layer.name in known:
            raise ValueError(f"layer name {layer.name!r}: empty or used twice")
        check_layer_class(layer)
        bad = [key for key in layer.config if not isinstance(key, str) or not key.isidentifier()
               or key == "name"]
        if bad:
            raise ValueError(f"layer {layer.name!r}: settings {bad}; expected keyword names other "
                             "than 'name' (the layer name is LayerSpec.name)")
        missing = [name for name in layer.inputs if name not in known]
        if missing:
            raise ValueError(f"layer {layer.name!r}: inputs {missing} name no earlier layer or input")
        known.add(layer.name)


def shared_objects(layers):
    """{setting: source} of the Keras objects that two or more layers share (the same source
    under the same setting, e.g. kernel_initializer): each becomes a small function."""
    sources = {}
    for layer in layers:
        for key, value in layer.config.items():
            if isinstance(value, specs.KerasObject):
                sources.setdefault(key, []).append(rendering.value_source(value, f"{layer.name}.{key}"))
    return {key: found[0] for key, found in sources.items() if len(found) > 1 and len(set(found)) == 1}


def layer_arguments(layer, helpers):
    """The constructor's arguments as source: positional, settings, name, Keras objects."""
    positional, leading = [], POSITIONAL.get(layer.keras_class, ())
    for key in leading:  # a prefix of the signature only
        if key not in layer.config:
            break
        positional.append(key)
    where = f"layer {layer.name!r}"
    def source(key):
        if key in helpers and rendering.value_source(layer.config[key], where) == helpers[key]:
            return f"{key}()"
        return rendering.setting_source(key, layer.config[key], f"{where}: {key}")
    objects = [key for key in layer.config if isinstance(layer.config[key], specs.KerasObject)
               and key not in positional]
    plain = [key for key in layer.config if key not in positional and key not in objects]
    return ([source(key) for key in positional] + [f"{key}={source(key)}" for key in plain]
            + [f"name={rendering.value_source(layer.name)}"] + [f"{key}={source(key)}" for key in objects])


def layer_call(layer):
    """`keras.layers.Dense`, or the bare name of a construct's own class written in model.py."""
    if layer.keras_class in constructs.custom_layers():
        return layer.keras_class
    return f"keras.layers.{layer.keras_class}"


def custom_class_sources(layers):
    """The source of each construct layer class the layers use, in first-use order."""
    classes = constructs.custom_layers()
    used = dict.fromkeys(layer.keras_class for layer in layers if layer.keras_class in classes)
    return [inspect.getsource(classes[name]).rstrip() for name in used]


def input_source(spec):
    """`keras.Input((784,), name="x")` for an InputSpec (dtype only when not float32)."""
    arguments = [rendering.value_source(tuple(spec.shape), f"input {spec.name!r} shape"),
                 f"name={rendering.value_source(spec.name)}"]
    if spec.dtype != "float32":
        arguments.append(f"dtype={rendering.value_source(spec.dtype)}")
    return f"keras.Input({', '.join(arguments)})"


def helper_source(key, source):
    """The small function returning a shared Keras object, like the twins' kernel_initializer()."""
    words = key.replace("_", " ")
    return (f"def {key}():\n    \"\"\"The {words} of every layer that sets one, as the TF1 program "
            f"had it.\"\"\"\n    return {source}")


def sequential_body(recognised, helpers, model_name):
    """build_model's body for a chain: `return keras.Sequential([...], name=...)`."""
    lines = ["    return keras.Sequential([", f"        {input_source(recognised.inputs[0])},"]
    for layer in recognised.layers:
        for note in layer.notes:
            lines += rendering.comment_lines(note, 8)
        lines.append(rendering.call_source(layer_call(layer), layer_arguments(layer, helpers), 8) + ",")
    lines.append(f"    ], name={rendering.value_source(model_name)})")
    return lines


def functional_body(recognised, helpers, model_name):
    """build_model's body for a graph: one line per input and layer, then keras.Model."""
    taken, variables, lines = set(), {}, []
    for spec in recognised.inputs:
        variables[spec.name] = rendering.identifier(spec.name, taken)
        lines.append(f"    {variables[spec.name]} = {input_source(spec)}")
    previous = variables[recognised.inputs[0].name]
    for layer in recognised.layers:
        sources = [variables[name] for name in layer.inputs] or [previous]
        previous = variables[layer.name] = rendering.identifier(layer.name, taken)
        for note in layer.notes:
            lines += rendering.comment_lines(note, 4)
        lines.append(rendering.applied_source(previous, layer_call(layer), layer_arguments(layer, helpers),
                                              4, sources))
    inputs = [variables[spec.name] for spec in recognised.inputs]
    inputs_source = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
    lines.append(f"    return keras.Model({inputs_source}, {previous}, "
                 f"name={rendering.value_source(model_name)})")
    return lines


def docstring_text(text):
    """`text` safe inside a triple-quoted docstring: backslashes and triple quotes escaped."""
    return str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def command_lines(command):
    """The command, indented, wrapped at LINE_LENGTH with shell continuations (`\\`)."""
    lines, line = [], "   "
    for word in docstring_text(command).split(" "):
        if line.strip() and len(line) + len(word) + 3 > rendering.LINE_LENGTH:
            lines.append(line + " \\\\")
            line = "       "
        line += " " + word
    return lines + [line]


def paragraph(text):
    """`text` as docstring lines wrapped at LINE_LENGTH."""
    return [line[2:] for line in rendering.comment_lines(docstring_text(text), 0)]


def layer_names(recognised):
    """": a, b, c." for a model a reader takes in at a glance; for a deep one, its size, first and
    last layer, and where the whole list is (a 300-name paragraph is not what a person writes)."""
    names = [layer.name for layer in recognised.layers]
    if len(names) <= DOCSTRING_LAYERS:
        return ": " + ", ".join(names) + "."
    return (f" ({len(names)} layers, {names[0]} to {names[-1]}; port.json's `layers` lists each with "
            "the TF1 ops it stands for).")


def module_docstring(recognised, program_name, command):
    """The docstring: the TF1 program, the command, the layer names, the files beside it."""
    stem = docstring_text(program_name.replace("\\", "/").rpartition("/")[2])
    lines = [f'"""Keras 3 model of the TF1 program {stem}, generated by `tf1-to-keras port`:', "",
             *command_lines(command), ""]
    lines += paragraph("Layer names are the TF1 scopes they stand for, in the TF1 order" + layer_names(recognised))
    lines += [""] + paragraph("The weights converted from the TF1 program are in model.weights.h5 "
                              "beside this file (model.load_weights); port.json holds the parity "
                              "check of this model against the TF1 graph.")
    for note in recognised.notes:
        lines += [""] + paragraph(note)
    return "\n".join(lines) + '\n"""'


def model_name_for(program_name):
    """The Keras model's name: the program file's stem as an identifier (deep_cnn)."""
    stem = program_name.replace("\\", "/").rpartition("/")[2].removesuffix(".py")
    return rendering.identifier(stem, set())


def model_source(recognised, program_name, command=None, training=None):
    """The generated model.py for `recognised`, whose TF1 program is `program_name` (as the
    user named it); `command` is the date-free command quoted in its docstring (default
    `tf1-to-keras port PROGRAM`); `training` a training_codegen.TrainingCode (its imports and
    blocks after build_model). ValueError when a layer cannot be written faithfully."""
    check_model(recognised)
    helpers = shared_objects(recognised.layers)
    model_name = model_name_for(program_name)
    body = (sequential_body if recognised.is_chain else functional_body)(recognised, helpers, model_name)
    kind = "keras.Sequential" if recognised.is_chain else "functional keras.Model"
    output = docstring_text(recognised.output)
    build = ["def build_model():",
             f'    """The TF1 graph from its input(s) to {output}, as a {kind}."""', *body]
    header = module_docstring(recognised, program_name, command or f"tf1-to-keras port {program_name}")
    imports = "\n\n".join(["import keras", *(training.imports if training else [])])
    blocks = [imports, *custom_class_sources(recognised.layers),
              *[helper_source(key, source) for key, source in helpers.items()],
              "\n".join(build), *(training.blocks if training else [])]
    source = header + "\n\n" + "\n\n\n".join(blocks) + "\n"
    compile(source, "model.py", "exec")  # a bug here, not bad input: SyntaxError surfaces
    return source
