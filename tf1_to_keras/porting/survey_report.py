"""What a port survey says: the rate, a table per cause, a row per program (Markdown, JSON).

The rate is over the programs that train: ported / (programs - not a training program).
Nothing here depends on time or order of completion, so the same outcomes give the same text.
"""

from tf1_to_keras.porting.survey import DETAIL_WIDTH, FAILED, NOT_TRAINING, PORTED


def summary(outcomes):
    """{programs, training_programs, ported, ported_training_checked, not_training, failed, rate}."""
    count = {kind: sum(outcome.outcome == kind for outcome in outcomes) for kind in (PORTED, NOT_TRAINING, FAILED)}
    training = len(outcomes) - count[NOT_TRAINING]
    checked = sum(outcome.outcome == PORTED and "training-step checks passed" in outcome.detail
                  for outcome in outcomes)
    return {"programs": len(outcomes), "training_programs": training, "ported": count[PORTED],
            "ported_training_checked": checked, "not_training": count[NOT_TRAINING],
            "failed": count[FAILED], "rate": count[PORTED] / training if training else None}


def causes(outcomes):
    """{cause: [program, ...]} of the failed ports, most programs first, then by name."""
    grouped = {}
    for outcome in outcomes:
        if outcome.outcome == FAILED:
            grouped.setdefault(outcome.cause, []).append(outcome.program)
    return dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))


def unrecognised_types(outcomes):
    """{op type: [program, ...]} over every unrecognised op a failed port's detail names,
    most programs first: which missing pattern would help most programs."""
    grouped = {}
    for outcome in outcomes:
        for op_type in outcome.unrecognised_types:
            grouped.setdefault(op_type, []).append(outcome.program)
    return dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))


def rate_line(figures):
    """`ported 12 of 40 programs that train (30.0%); ...`, one line."""
    rate = "n/a" if figures["rate"] is None else f"{100 * figures['rate']:.1f}%"
    return (f"ported {figures['ported']} of {figures['training_programs']} programs that train ({rate}); "
            f"{figures['ported_training_checked']} of them with the training-step check; "
            f"{figures['not_training']} of {figures['programs']} not a training program by port's capture")


def document(outcomes, directory, command):
    """The survey's JSON document."""
    return {"directory": directory, "command": command, "summary": summary(outcomes),
            "causes": causes(outcomes), "unrecognised_op_types": unrecognised_types(outcomes),
            "programs": [outcome.to_json() for outcome in outcomes]}


def _cell(text):
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= DETAIL_WIDTH else text[:DETAIL_WIDTH - 3] + "..."


def _stem(program):
    return program.removesuffix(".py")


def cause_table(outcomes):
    """Markdown: one row per cause, its count and programs."""
    rows = ["| cause | programs | which |", "|---|---:|---|"]
    rows += [f"| {_cell(cause)} | {len(programs)} | {', '.join(map(_stem, programs))} |"
             for cause, programs in causes(outcomes).items()]
    return "\n".join(rows) if len(rows) > 2 else "No port failed."


def op_type_table(outcomes):
    """Markdown: one row per unrecognised op type, the programs it appears in."""
    rows = ["| op type | programs | which |", "|---|---:|---|"]
    rows += [f"| {op_type} | {len(programs)} | {', '.join(map(_stem, programs))} |"
             for op_type, programs in unrecognised_types(outcomes).items()]
    return "\n".join(rows) if len(rows) > 2 else "No unrecognised op."


def program_table(outcomes):
    """Markdown: one row per program, its outcome, cause and the reason's first line."""
    rows = ["| program | outcome | cause | first line |", "|---|---|---|---|"]
    rows += [f"| {_stem(outcome.program)} | {outcome.outcome} | {_cell(outcome.cause) or '-'} | "
             f"{_cell(outcome.detail) or '-'} |" for outcome in outcomes]
    return "\n".join(rows)


def markdown(outcomes, directory, command):
    """The survey as Markdown: command, rate, cause table, program table."""
    return "\n".join([
        f"# Port survey of `{directory}`", "", f"`{command}`", "", rate_line(summary(outcomes)) + ".", "",
        "## Failed ports by cause", "", cause_table(outcomes), "",
        "## Unrecognised op types (a program may show several)", "", op_type_table(outcomes), "",
        "## Every program", "", program_table(outcomes), ""])
