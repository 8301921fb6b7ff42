"""`tf1-to-keras port-survey DIR`: `port` run on every TF1 program of a folder, and the rate.

The work is porting.survey (each port in a subprocess of its own, with a timeout, in a
scratch directory removed afterwards) and porting.survey_report (the rate over the programs
that train, a table per cause, a row per program). This module parses, checks the output
paths before anything runs, prints each outcome as it comes and the rate, and writes the
reports atomically. Exit status 0 once the survey ran, whatever the rate: it measures.
"""

import json
import os

from mnist_core import exit_codes
from tf1_to_keras.commands.arguments import check_at_least, command_line

USAGE = "tf1-to-keras port-survey DIR [--out FILE.md] [--json FILE] [--timeout S] [--jobs N]"


def add_parser(subparsers):
    from tf1_to_keras.porting import survey

    parser = subparsers.add_parser(
        "port-survey", usage=USAGE,
        help="port every TF1 program of a folder and report the port rate, failures by cause")
    parser.add_argument("directory", metavar="DIR",
                        help="folder of TF1 programs (*.py; NAME.npz beside NAME.py is its --data)")
    parser.add_argument("--out", metavar="FILE.md", help="write the survey as Markdown")
    parser.add_argument("--json", metavar="FILE", help="write the survey as JSON")
    parser.add_argument("--timeout", type=int, default=survey.DEFAULT_TIMEOUT_S,
                        help="seconds one port may take before it is stopped (a 'timeout' failure)")
    parser.add_argument("--jobs", type=int, default=1, help="ports run at once")
    parser.set_defaults(run=run)


def check_output_file(flag, path):
    """OSError unless `path`'s directory exists and is writable and `path` is not a directory."""
    if path is None:
        return
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OSError(f"{flag} {path}: is a directory; expected a file name")
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise OSError(f"{flag} {path}: {directory} is not a writable directory")


def run(arguments):
    """Runs the survey; OK once every program was tried (the rate is the result, not a check)."""
    from tf1_to_keras import report_files
    from tf1_to_keras.porting import survey, survey_report

    check_at_least("--timeout", arguments.timeout, 1)
    check_at_least("--jobs", arguments.jobs, 1)
    check_output_file("--out", arguments.out)
    check_output_file("--json", arguments.json)
    survey.programs_in(arguments.directory)  # bad input before anything runs

    def progress(outcome):
        print(f"{outcome.program}: {outcome.outcome}" + (f" ({outcome.cause})" if outcome.cause else ""),
              flush=True)

    outcomes = survey.survey_directory(arguments.directory, arguments.timeout, arguments.jobs, progress)
    command = command_line()
    print(survey_report.cause_table(outcomes))
    print(survey_report.rate_line(survey_report.summary(outcomes)))
    if arguments.json:
        document = survey_report.document(outcomes, arguments.directory, command)
        report_files.write_atomically(arguments.json, json.dumps(document, indent=2) + "\n")
        print(f"wrote {arguments.json}")
    if arguments.out:
        report_files.write_atomically(arguments.out, survey_report.markdown(outcomes, arguments.directory, command))
        print(f"wrote {arguments.out}")
    return exit_codes.OK
