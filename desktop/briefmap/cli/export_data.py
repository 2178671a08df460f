"""`briefmap export-data`: the briefing's layers for other tools (GeoPackage for QGIS, GeoJSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefmap.cli.common import EXIT_INVALID, EXIT_OK, UsageError, open_briefing

NAME = "export-data"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export-data", help="write the layers, sources and timeline as a styled GeoPackage (or one layer as GeoJSON)",
        description="FILE.gpkg: every layer (or those chosen) as a table in EPSG:4326, the sources and timeline "
                    "events as attribute tables, and QGIS styles so QGIS draws each layer as briefmap does. "
                    "FILE.geojson: one layer, chosen with --layers.")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="FILE.gpkg or FILE.geojson")
    p.add_argument("--layers", help="only these layers (comma-separated ids; see `briefmap layers`)")
    p.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in one)")


def run(args: argparse.Namespace) -> int:
    from briefmap.data.export_data import ExportRequestError, ExportWriteError, export_data

    out: Path = args.output
    ids = None if args.layers is None else [t.strip() for t in args.layers.split(",") if t.strip()]
    if not out.parent.is_dir():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    briefing, tables = open_briefing(args.briefing)
    try:
        written = export_data(briefing, tables, out, ids)
    except ExportRequestError as exc:
        raise UsageError(str(exc)) from None
    except ExportWriteError as exc:
        print(f"briefmap export-data: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {out} ({len(written)} layer(s))")
    return EXIT_OK
