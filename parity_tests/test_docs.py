"""The docs keep their word: every test, committed run and page they cite exists.

README.md and docs/*.md back their claims by naming tests (`file.py::test_name`,
`test_module::test_name`, or `::test_name` after a file earlier in the same table
row or paragraph), committed runs under `results/`, figures and each other. This
reads the docs as text and the tests with `ast` (no TensorFlow, well under a
second), so a renamed test or a moved run fails here instead of misleading a reader.
"""

import ast
import fnmatch
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = ROOT / "parity_tests"
README = ROOT / "README.md"
README_MAX_LINES = 150  # the front door: details live in docs/
DOCS = (README, *sorted((ROOT / "docs").glob("*.md")))

# `compat/test_x.py::test_y[id]`, `test_x::test_y`, `::test_y`; `*` globs a family of tests.
CITATION = re.compile(r"(?P<file>(?:[\w]+/)*test_\w+?(?:\.py)?)?::(?P<name>test_[\w*]+)")
TEST_FILE = re.compile(r"(?<![\w/])(?:[\w]+/)*test_\w+\.py\b")
# A results path; one given to `--out` names where a command writes, so it need not exist.
RESULTS_PATH = re.compile(r"(?<![\w/.-])(?P<out>--out )?(?P<path>results/[\w./-]*[\w/])")
LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(?:#[^)]*)?\)")
IMAGE = re.compile(r"!\[[^\]]*\]\(")
COMMAND = re.compile(r"`(?:\.venv/bin/)?(?:mnist-parity|scripts/|python )")
FUNCTION_MAP = "TF1 <-> Keras, function by function"
MAP_ENTRY = re.compile(r"^    (?P<tf1>\w+(?:, \w+)*) +-> (?P<keras>\w+)")
TWINS = {"softmax_regression": ("softmax_regression",), "deep_cnn": ("deep_cnn",),
         "layers_cnn": ("layers_cnn", "layers_cnn_contrib_learn"), "lenet5": ("lenet5",),
         "core_convnet": ("core_convnet",)}


def collect_test_functions():
    """{path relative to parity_tests/: names of its test functions}, read with ast."""
    names = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names[path.relative_to(TESTS).as_posix()] = {
            node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return names


def resolve_test_file(token, functions):
    """The parity_tests/-relative path a cited file names (`compat/x.py`, `x`, ...), or None."""
    token = token.removeprefix("parity_tests/")
    token = token if token.endswith(".py") else token + ".py"
    if token in functions:
        return token
    matches = [path for path in functions if path.rsplit("/", 1)[-1] == token]
    return matches[0] if len(matches) == 1 else None


def blocks(text):
    """Table rows one by one, other text paragraph by paragraph: the scope of a bare `::test`."""
    for paragraph in re.split(r"\n\s*\n", text):
        lines = paragraph.splitlines()
        if lines and all(line.startswith("|") for line in lines):
            yield from lines
        else:
            yield paragraph


def missing_tests(text, functions):
    """Cited tests (and cited test files) that do not exist, each with why."""
    problems = []
    for block in blocks(text):
        current = None
        for match in CITATION.finditer(block):
            if match["file"]:
                current = resolve_test_file(match["file"], functions)
                if current is None:
                    problems.append(f"{match[0]}: no test file {match['file']}")
                    continue
            elif current is None:
                problems.append(f"{match[0]}: no test file named before it")
                continue
            if not fnmatch.filter(functions[current], match["name"]):
                problems.append(f"{match[0]}: no {match['name']} in parity_tests/{current}")
        problems += [f"{token}: no such test file" for token in TEST_FILE.findall(block)
                     if resolve_test_file(token, functions) is None]
    return problems


def missing_paths(text, base):
    """Cited results/ paths and relative links (pages, figures) that do not exist."""
    problems = [match["path"] for match in RESULTS_PATH.finditer(text)
                if not match["out"] and not (ROOT / match["path"]).exists()]
    for match in LINK.finditer(text):
        target = match["target"]
        if "://" not in target and not (base / target).exists():
            problems.append(target)
    return problems


def figures_without_command(text):
    """Figures with no command (`mnist-parity ...`, `scripts/...`) within 4 lines of them."""
    lines = text.splitlines()
    return [line for number, line in enumerate(lines) if IMAGE.search(line)
            and not any(COMMAND.search(near) for near in lines[max(0, number - 4):number + 5])]


def top_level_functions(path):
    """Names of a module's top-level functions, in file order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]


def function_map(docstring):
    """The twin's TF1 <-> Keras map: ([TF1 names, in order], the map's text)."""
    block = docstring[docstring.index(FUNCTION_MAP):].split("\n\n", 1)[0]
    entries = [MAP_ENTRY.match(line) for line in block.splitlines()[1:]]
    left = [name for entry in entries if entry for name in entry["tf1"].split(", ")]
    return left, block


@pytest.fixture(scope="module")
def functions():
    return collect_test_functions()


@pytest.mark.parametrize("page", DOCS, ids=lambda page: page.name)
def test_every_cited_test_exists(page, functions):
    assert missing_tests(page.read_text(encoding="utf-8"), functions) == []


@pytest.mark.parametrize("page", DOCS, ids=lambda page: page.name)
def test_every_cited_results_path_and_link_exists(page):
    assert missing_paths(page.read_text(encoding="utf-8"), page.parent) == []


@pytest.mark.parametrize("page", DOCS, ids=lambda page: page.name)
def test_every_figure_names_the_command_that_produced_it(page):
    assert figures_without_command(page.read_text(encoding="utf-8")) == []


def test_readme_is_a_front_door_linking_every_docs_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    linked = {match["target"] for match in LINK.finditer(text)}
    assert {f"docs/{page.name}" for page in DOCS[1:]} <= linked


def test_made_up_citations_paths_and_figures_are_caught(functions):
    real = "`test_docs.py::test_every_cited_test_exists`, `::test_made_up_citations_*`"
    assert missing_tests(real, functions) == []
    made_up = ("`test_docs.py::test_no_such_thing`\n\n`::test_every_cited_test_exists`\n\n"
               "`compat/test_nowhere.py::test_x` and `test_nowhere.py`")
    assert missing_tests(made_up, functions) == [
        "test_docs.py::test_no_such_thing: no test_no_such_thing in parity_tests/test_docs.py",
        "::test_every_cited_test_exists: no test file named before it",
        "compat/test_nowhere.py::test_x: no test file compat/test_nowhere.py",
        "compat/test_nowhere.py: no such test file",
        "test_nowhere.py: no such test file"]
    assert missing_paths("results/no-such-run, [a page](NOWHERE.md), `--out results/new`",
                         ROOT) == ["results/no-such-run", "NOWHERE.md"]
    assert figures_without_command("text\n\n![a figure](images/deep_cnn_loss.png)\n") != []
    made_up_map = f"Title.\n\n{FUNCTION_MAP}:\n    deepnn -> model_layers\n"
    assert function_map(made_up_map)[0] == ["deepnn"] != top_level_functions(
        ROOT / "legacy_tf1" / "models" / "deep_cnn.py")


@pytest.mark.parametrize("key", sorted(TWINS))
def test_each_twin_starts_with_a_function_map_of_its_tf1_program(key):
    # docs/MIGRATION.md: read each pair function by function, from the twin's map.
    twin = ROOT / "modern_keras" / "models" / f"{key}.py"
    docstring = ast.get_docstring(ast.parse(twin.read_text(encoding="utf-8")))
    left, block = function_map(docstring)
    for program in TWINS[key]:
        assert left == top_level_functions(ROOT / "legacy_tf1" / "models" / f"{program}.py")
    keras_functions = top_level_functions(twin)
    assert [name for name in keras_functions if not re.search(rf"\b{name}\b", block)] == []
    targets = [MAP_ENTRY.match(line)["keras"] for line in block.splitlines() if MAP_ENTRY.match(line)]
    assert set(targets) <= set(keras_functions)
