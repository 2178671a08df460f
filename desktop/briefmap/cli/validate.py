"""`briefmap validate`: check a briefing folder and report every problem as file:line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefmap.cli.common import EXIT_INVALID, EXIT_OK

NAME = "validate"


def add_parser(sub) -> None:
    va = sub.add_parser("validate", help="check a briefing folder and report every problem")
    va.add_argument("path", type=Path, nargs="?", help="briefing folder (default: the built-in one)")


def run(args: argparse.Namespace) -> int:
    from briefmap.data.briefing import validate
    from briefmap.data.paths import builtin_briefing_dir

    path = Path(args.path) if args.path else builtin_briefing_dir()
    problems = validate(path)
    for p in problems:
        print(p)
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_INVALID
    print(f"{path}: valid")
    return EXIT_OK
