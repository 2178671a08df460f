"""The command line builds only the parser of the command it was given first: the same
arguments, defaults, help and errors as the parser of every command."""

from __future__ import annotations

import contextlib
import io

import pytest

from briefmap.cli import COMMANDS, build_parser

LINES = {
    "export": ["export", "-o", "x.png", "--preset", "a4-landscape", "--title", "T"],
    "snapshot": ["snapshot", "-o", "w.png", "--size", "800x600"],
    "validate": ["validate"],
    "layers": ["layers"],
    "pack": ["pack", "-o", "p.pdf"],
}


@pytest.mark.parametrize("line", list(LINES.values()), ids=list(LINES))
def test_one_commands_parser_reads_a_line_as_the_whole_parser_does(line):
    assert vars(build_parser(only=line[0]).parse_args(line)) == vars(build_parser().parse_args(line))


def _outcome(parser, line: list[str]) -> tuple[int | str | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parser.parse_args(line)
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", [c.NAME for c in COMMANDS])
def test_help_and_usage_errors_are_the_same(name):
    for line in ([name, "--help"], [name, "--no-such-option"]):
        assert _outcome(build_parser(only=name), line) == _outcome(build_parser(), line)
