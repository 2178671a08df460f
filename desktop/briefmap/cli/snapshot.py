"""`briefmap snapshot`: the whole main window rendered offscreen to a PNG."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from briefmap.cli.common import (
    EXIT_OK,
    UsageError,
    add_view_options,
    collector_off_while_starting,
    open_briefing,
    parse_size,
    resolve_view,
)

NAME = "snapshot"


def add_parser(sub) -> None:
    sn = sub.add_parser("snapshot", help="render the whole main window offscreen to a PNG")
    sn.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    sn.add_argument("--size", default="1600x1000", help="window size WxH (default 1600x1000)")
    add_view_options(sn)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with collector_off_while_starting():  # a snapshot is a start-up and nothing after it
        return _snapshot(args)


def _snapshot(args: argparse.Namespace) -> int:
    w, h = parse_size(args.size, "--size")
    if args.output.suffix.lower() != ".png":
        raise UsageError(f"{args.output}: a snapshot is a PNG; use a .png file name")
    from briefmap.render.export import ExportError, check_writable

    try:
        check_writable(args.output)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    briefing, tables = open_briefing(args.briefing)
    state = resolve_view(briefing, args)
    from briefmap.ui.app import snapshot

    snapshot(briefing, tables, state, args.output, (w, h))
    from briefmap.render.text_metrics import keep_measures

    keep_measures()  # the labels' widths, for the next start (render/measure_store.py)
    print(f"wrote {args.output} ({w} × {h} px window)")
    return EXIT_OK
