"""`briefmap export`: the briefing sheet to PNG, SVG or PDF, no display needed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefmap.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    LayerFileError,
    UsageError,
    add_user_layers,
    add_view_options,
    open_briefing,
    parse_size,
    resolve_view,
)

NAME = "export"
MAX_WORDS = 500  # characters of a title, subtitle or note


def add_parser(sub) -> None:
    ex = sub.add_parser("export", help="write the briefing sheet to PNG, SVG or PDF (no display needed)")
    ex.add_argument("-o", "--output", type=Path, help="file to write (.png, .svg or .pdf)")
    ex.add_argument("--preset", help="slide-16x9, a4-landscape, a4-portrait or square (default slide-16x9)")
    ex.add_argument("--size", help="custom size in pixels, WxH (with --dpi); at least 4 in wide, and tall enough "
                    "for a map under its words (a size too small is refused, naming its minimum)")
    ex.add_argument("--dpi", type=int, help="dots per inch, 30 to 1200 (default: the preset's, or 150)")
    ex.add_argument("--no-side-column", action="store_true", help="leave out the key-points column")
    ex.add_argument("--title", help="the sheet's title for this export (default: the briefing's)")
    ex.add_argument("--subtitle", help="the sheet's subtitle for this export (default: the scenario's)")
    ex.add_argument("--note", help="a note printed on the map")
    ex.add_argument("--check", action="store_true",
                    help="preflight only: list dropped labels, overlaps, small text and cut features; write nothing")
    ex.add_argument("--strict", action="store_true", help="with --check: exit 1 when anything is listed")
    ex.add_argument("--add-layer", action="append", type=Path, default=[], metavar="FILE",
                    help="add your own layer (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV); repeatable")
    add_view_options(ex)


def _words(args) -> dict[str, str | None]:
    stored: dict[str, str] = {}
    if getattr(args, "from_png", None):
        from briefmap.render.export import read_sheet_text

        try:
            stored = read_sheet_text(args.from_png)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    out: dict[str, str | None] = {}
    for key in ("title", "subtitle", "note"):
        value = getattr(args, key)
        value = stored.get(key) if value is None else value
        if value is not None and len(value) > MAX_WORDS:
            raise UsageError(f"--{key}: at most {MAX_WORDS} characters, got {len(value)}")
        out[key] = value
    return out


def options(args):
    from dataclasses import replace

    from briefmap.render.sheet import PRESETS, SheetOptions, SheetTooSmall, check_size

    if args.preset and args.size:
        raise UsageError("give either --preset or --size, not both")
    if args.preset and args.preset not in PRESETS:
        raise UsageError(f"unknown preset {args.preset!r}; choose one of: {', '.join(PRESETS)}")
    if args.dpi is not None and not 30 <= args.dpi <= 1200:
        raise UsageError(f"--dpi: expected 30 to 1200, got {args.dpi}")
    if args.size:
        w, h = parse_size(args.size, "--size")
        opts = SheetOptions.from_pixels(w, h, args.dpi or 150, not args.no_side_column)
    else:
        opts = SheetOptions.from_preset(args.preset or "slide-16x9", args.dpi, not args.no_side_column)
    try:
        check_size(opts)
    except SheetTooSmall as exc:
        raise UsageError(str(exc)) from None
    return replace(opts, **_words(args))


def run(args: argparse.Namespace) -> int:
    from briefmap.render.export import ExportError, check_writable, format_for

    if args.strict and not args.check:
        raise UsageError("--strict goes with --check")
    if not args.check:
        if args.output is None:
            raise UsageError("-o/--output is required (or --check for a preflight)")
        try:
            format_for(args.output)
            check_writable(args.output)
        except ExportError as exc:
            raise UsageError(str(exc)) from None
    from briefmap.render.sheet import SheetTooSmall

    opts = options(args)
    briefing, tables = open_briefing(args.briefing)
    try:
        added = _add_layers(briefing, tables, args)
    except LayerFileError as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    state = resolve_view(briefing, args)
    if not args.from_png and args.layers is None:
        state = state.with_(visible=(*state.visible, *(lid for lid in added if lid not in state.visible)))
    try:
        return _run(args, briefing, tables, state, opts)
    except SheetTooSmall as exc:  # found once the sheet's words are measured; nothing written
        raise UsageError(str(exc)) from None


def _run(args, briefing, tables, state, opts) -> int:
    from briefmap.render.export import ExportError, export_sheet

    if args.check:
        from briefmap.render.preflight import check

        findings, accepted = check(briefing, tables, state, opts, with_left_out=True)
        for f in findings:
            print(f)
        for f in accepted:  # by a cartographic rule, with its reason: not counted
            print(f)
        print(f"preflight: {len(findings)} finding(s)" if findings else "preflight: nothing to report")
        return EXIT_INVALID if findings and args.strict else EXIT_OK
    try:
        export_sheet(briefing, tables, state, args.output, opts, two_cores=True)
    except ExportError as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    from briefmap.render.text_metrics import keep_measures

    keep_measures()  # the words' widths, for the next export
    w, h = opts.pixels
    print(f"wrote {args.output} ({w} × {h} px, {opts.dpi} dpi, scenario {state.scenario})")
    return EXIT_OK


def _add_layers(briefing, tables, args: argparse.Namespace) -> list[str]:
    """The layers of --add-layer, and those a --from PNG's view shows (by the file they
    were read from: a file that has gone is named)."""
    files = list(args.add_layer)
    stored: dict[str, str] = {}
    if args.from_png:
        from briefmap.render.export import read_user_layers

        try:
            stored = read_user_layers(args.from_png)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        given = {str(Path(f)) for f in files}
        for lid, file in stored.items():
            if file in given:
                continue
            if not Path(file).is_file():
                raise LayerFileError(f"{args.from_png}: its view shows your layer {lid!r} from {file}, which is "
                                     "missing; put the file back or pass --add-layer with its new place")
            files.append(Path(file))
    if not files:
        return []  # the readers of layer files (and their child process) are not loaded
    return add_user_layers(briefing, tables, files, stored)
