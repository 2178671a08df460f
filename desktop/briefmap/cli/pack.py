"""`briefmap pack`: the briefing pack, a PDF handout or a PowerPoint deck, in one command."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from briefmap.cli import pack_options as po
from briefmap.cli.common import EXIT_INVALID, EXIT_OK, LayerFileError, open_briefing

NAME = "pack"
DEFAULT_PRESET = {".pdf": "a4-portrait", ".pptx": "slide-16x9"}


def add_parser(sub) -> None:
    p = sub.add_parser("pack", help="write the briefing pack: a PDF handout or a PowerPoint deck",
                       description="Cover, one map per scenario, the panels, the timeline and the sources: "
                                   "a handout (.pdf) or a deck (.pptx).")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write (.pdf or .pptx)")
    p.add_argument("--scenarios", help="scenario ids in the order wanted, comma-separated (default: all)")
    po.add_options(p, "page or slide format: a4-portrait (the handout's default), a4-landscape, "
                      "slide-16x9 (the deck's default) or square")


def run(args: argparse.Namespace) -> int:
    # A short job: the cyclic collector would only walk the modules being imported and
    # matplotlib's figures, again and again, for a tenth of the pack's time (it would
    # free a few MB). Switched back on for a caller that goes on (tests, scripts).
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_on:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    from briefmap.render.pack import PackCancelled, PackRequest, write_pack
    from briefmap.render.pack.parallel import PartFailed

    suffix = args.output.suffix.lower()
    po.check_output(args.output, tuple(DEFAULT_PRESET))
    preset = po.check_preset(args.preset, DEFAULT_PRESET[suffix])
    briefing, tables = open_briefing(args.briefing)
    ids = po.scenario_ids(briefing, args.scenarios)
    states = tuple(po.view_for(briefing, sid, args) for sid in ids)
    try:
        added = po.add_layers(briefing, tables, args)
    except LayerFileError as exc:
        print(f"briefmap pack: {exc}", file=sys.stderr)
        return EXIT_INVALID
    states = tuple(po.with_layers(s, added) for s in states)
    req = PackRequest(briefing, tables, states, preset, po.as_of(briefing, args), args.names or briefing.naming[0].id)
    po.stop_on_term()
    try:
        # Two halves side by side where there are two cores; the bytes are the same either way.
        count = write_pack(req, args.output, progress=po.printer(args.progress),
                           side_by_side=(os.cpu_count() or 1) > 1)
    except PackCancelled:
        print("briefmap pack: cancelled; nothing written", file=sys.stderr)
        return EXIT_INVALID
    except PartFailed as exc:
        print(f"briefmap pack: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"briefmap pack: {args.output}: could not write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    unit = "pages" if suffix == ".pdf" else "slides"
    print(f"wrote {args.output} ({count} {unit}, {len(states)} scenario(s), preset {preset})")
    return EXIT_OK
