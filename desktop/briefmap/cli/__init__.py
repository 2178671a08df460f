"""`briefmap`: the window with no arguments; headless jobs as subcommands, one module each.

Exit codes: 0 done, 1 a briefing that is not valid (validate) or an export that failed,
2 a usage error (unknown layer, scenario or bookmark, bad date, unsupported file...).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from briefmap import __version__
from briefmap.cli import animate, export, export_data, layers, new, pack, snapshot, validate, window
from briefmap.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    joined_number_lists,
    merge_top_level,
    resolve_view,
)

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "UsageError", "build_parser", "main", "resolve_view", "run"]

# Each command module has NAME, add_parser(subparsers) and run(args) -> exit code.
# A new command is a new module added to this tuple.
COMMANDS = (export, snapshot, validate, layers, export_data, pack, animate, new)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, the subcommand named there alone (a command
    given first needs no other's options: every start builds one parser, not eight)."""
    ap = argparse.ArgumentParser(prog="briefmap", description="Briefing maps: the South Caucasus briefing and others.")
    ap.add_argument("--version", action="version", version=f"briefmap {__version__}")
    # Their own dests: a subcommand's defaults must never overwrite what was given here
    # (merge_top_level honours them or refuses them).
    ap.add_argument("--briefing", dest="top_briefing", type=Path, metavar="FOLDER",
                    help="the briefing folder, for the window or for the command that follows")
    ap.add_argument("--from", dest="top_from", type=Path, metavar="FILE.png",
                    help="the view stored in a PNG that briefmap exported, for the window or the command")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        if only is None or only == command.NAME:
            command.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    from briefmap.cli.lean import defer_unused_imports

    defer_unused_imports()  # before any command imports matplotlib
    words = joined_number_lists(sys.argv[1:] if argv is None else list(argv))
    first = words[0] if words else None
    parser = build_parser(only=first if first in {c.NAME for c in COMMANDS} else None)
    args = parser.parse_args(words)
    from briefmap.data.errors import BriefingError

    commands = {c.NAME: c.run for c in COMMANDS}
    commands[None] = window.run
    try:
        merge_top_level(args)
        return commands[args.command](args)
    except UsageError as exc:
        print(f"{' '.join(filter(None, ('briefmap', args.command)))}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BriefingError as exc:
        print("briefmap: the briefing cannot be opened:", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return EXIT_INVALID


HEADLESS = frozenset(c.NAME for c in COMMANDS)


# Jobs whose objects all live until their file is written: the cycle collector's passes over
# matplotlib's and the briefing's objects (about 45 ms of an A4 export, two full passes
# while the libraries load) free nothing worth having; the process ends, and gives its
# memory back, right after (about 2 MB more at the peak).
WITHOUT_CYCLE_COLLECTION = frozenset({"export", "pack"})


def run() -> None:
    """The `briefmap` command. A headless job that has finished has written and renamed
    its file (fsync'd) and flushed its output; it then leaves without the interpreter's
    teardown, which spends about 0.2 s freeing matplotlib's objects for nothing."""
    if len(sys.argv) > 1 and sys.argv[1] in WITHOUT_CYCLE_COLLECTION:
        gc.disable()  # for this process only: it ends with os._exit below
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] in HEADLESS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
