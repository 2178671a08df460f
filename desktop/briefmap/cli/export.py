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


def add_parser(sub) -> None:
    ex = sub.add_parser("export", help="write the briefing sheet to PNG, SVG or PDF (no display needed)")
    ex.add_argument("-o", "--output", type=Path, required=True, help="file to write (.png, .svg or .pdf)")
    ex.add_argument("--preset", help="slide-16x9, a4-landscape, a4-portrait or square (default slide-16x9)")
    ex.add_argument("--size", help="custom size in pixels, WxH (with --dpi)")
    ex.add_argument("--dpi", type=int, help="dots per inch (default: the preset's)")
    ex.add_argument("--no-side-column", action="store_true", help="leave out the key-points column")
    ex.add_argument("--add-layer", action="append", type=Path, default=[], metavar="FILE",
                    help="add your own layer (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV); repeatable")
    add_view_options(ex)


def run(args: argparse.Namespace) -> int:
    from briefmap.render.export import ExportError, check_writable, export_sheet, format_for
    from briefmap.render.sheet import PRESETS, SheetOptions

    if args.preset and args.size:
        raise UsageError("give either --preset or --size, not both")
    if args.preset and args.preset not in PRESETS:
        raise UsageError(f"unknown preset {args.preset!r}; choose one of: {', '.join(PRESETS)}")
    if args.dpi is not None and not 30 <= args.dpi <= 1200:
        raise UsageError(f"--dpi: expected 30 to 1200, got {args.dpi}")
    try:
        format_for(args.output)
        check_writable(args.output)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if args.size:
        w, h = parse_size(args.size, "--size")
        opts = SheetOptions.from_pixels(w, h, args.dpi or 150, not args.no_side_column)
    else:
        opts = SheetOptions.from_preset(args.preset or "slide-16x9", args.dpi, not args.no_side_column)
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
        export_sheet(briefing, tables, state, args.output, opts)
    except ExportError as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except ValueError as exc:  # the sheet's layout cannot fit this size and resolution
        w, h = opts.pixels
        raise UsageError(f"a {w} × {h} px sheet at {opts.dpi} dpi leaves no room for the layout ({exc}); "
                         "use a larger --size or a lower --dpi") from None
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
    return add_user_layers(briefing, tables, files, stored)
