"""The one report writer of the library and the kit: the parity table's columns (compare and
verify print the same table), tables as markdown or aligned text (compare, verify, port,
benchmark), atomic writes, and `<stem>.json` + `<stem>.md` pairs. Numbers JSON cannot hold
(NaN, inf) go in by one rule: closeness.json_number."""

import json
import os
import tempfile

COLUMNS = ("model", "params TF1 / Keras", "shapes", "forward max diff",
           "step loss diff (first 10 abs / max rel)", "accuracy TF1 / Keras / gap",
           "samples/s TF1 / Keras", "pass")


def markdown_table(columns, rows):
    """A markdown table's lines: the header, the rule, one line per row of strings."""
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns),
            *["| " + " | ".join(row) + " |" for row in rows]]


def text_table(columns, rows, right_aligned=0):
    """A plain-text table for the terminal: columns padded to their widest cell, a dashed rule
    under the header; the last `right_aligned` columns (numbers) flush right."""
    rows = [tuple(columns), *map(tuple, rows)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(columns))]
    first_right = len(columns) - right_aligned
    lines = ["  ".join(cell.rjust(width) if column >= first_right else cell.ljust(width)
                       for column, (cell, width) in enumerate(zip(row, widths))).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)

def write_atomically(path, text):
    """Writes text to path through a temporary file and a rename: never half-written."""
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(descriptor, "w") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def check_output_location(flag, path, is_file=False):
    """OSError `FLAG PATH: why` unless PATH (a directory, or with `is_file` a file's) exists and
    is writable or can be created. Checked by making and removing a probe directory in it or
    in its nearest existing parent: permission bits do not tell (root, read-only mounts, /proc)."""
    directory = os.path.dirname(os.path.abspath(path)) if is_file else os.path.abspath(path)
    existing = directory
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise OSError(f"{flag} {path}: cannot create it: {existing} is not a directory")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".probe-", dir=existing))
    except OSError as error:
        raise OSError(f"{flag} {path}: not writable: cannot create anything in {existing} "
                      f"({error.strerror})") from None


def prepare_output_directory(directory):
    """Creates `directory` if needed; OSError naming it when it cannot be written."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise OSError(f"cannot create output directory {directory}: {error.strerror}") from error
    if not os.access(directory, os.W_OK):
        raise OSError(f"output directory {directory} is not writable")


def write_json_and_markdown(directory, stem, document, markdown_text):
    """Writes <stem>.md and <stem>.json into `directory` atomically; returns their paths."""
    markdown_path = os.path.join(directory, f"{stem}.md")
    json_path = os.path.join(directory, f"{stem}.json")
    write_atomically(json_path, json.dumps(document, indent=2) + "\n")
    write_atomically(markdown_path, markdown_text)
    return markdown_path, json_path
