"""`briefmap new FOLDER`: a new briefing for any region, or a copy of an existing one."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefmap.cli.common import EXIT_INVALID, EXIT_OK, UsageError

NAME = "new"


def add_parser(sub) -> None:
    p = sub.add_parser("new", help="make a new briefing for a region (its own base map), or copy one",
                       description="Make a new briefing folder. FOLDER must not exist; nothing is written "
                                   "unless the whole briefing could be made.")
    p.add_argument("folder", type=Path, metavar="FOLDER", help="the new briefing's folder (must not exist)")
    p.add_argument("--title", help="the briefing's title (with --from: a new title for the copy)")
    p.add_argument("--bbox", metavar="LON0,LAT0,LON1,LAT1",
                   help="the region: west, south, east, north in degrees (west > east crosses the antimeridian), "
                        "e.g. --bbox -10,35,5,44")
    p.add_argument("--from", dest="source", metavar="BRIEFING", type=Path,
                   help="copy this briefing folder instead ('builtin' for the built-in briefing)")
    p.add_argument("--no-admin1", dest="admin1", action="store_false",
                   help="leave out provinces and regions (admin-1)")


def retitle(folder: Path, title: str) -> None:
    """Give a copied briefing its own title, noted in its change log."""
    from briefmap.data.catalog import load_catalog
    from briefmap.data.writer import save_briefing

    b = load_catalog(folder)
    old = b.title
    b.title = title
    save_briefing(b, f"Copied from {b.id} {b.version} ({old!r}) and retitled")


def run(args: argparse.Namespace) -> int:
    from briefmap.data.bbox import parse_box
    from briefmap.data.briefing import validate
    from briefmap.data.new_briefing import NewBriefingError, check_target, copy_briefing, create_briefing
    from briefmap.data.paths import builtin_briefing_dir

    folder: Path = args.folder
    try:
        if args.source is not None:
            if args.bbox:
                raise UsageError("give either --from or --bbox, not both")
            source = builtin_briefing_dir() if str(args.source) == "builtin" else args.source
            check_target(folder)
            problems = validate(source)
            if problems:
                for p in problems:
                    print(p)
                print(f"{source}: not a valid briefing; nothing was written")
                return EXIT_INVALID
            copy_briefing(folder, source)
            if args.title:
                retitle(folder, args.title)
            print(f"{folder}: a copy of {source}")
            return EXIT_OK
        if not args.bbox or not args.title:
            raise UsageError("give --title and --bbox LON0,LAT0,LON1,LAT1 (or --from BRIEFING)")
        try:
            box = parse_box(args.bbox)
        except ValueError as exc:
            raise UsageError(f"--bbox: {exc}; nothing was written") from None
        counts = create_briefing(folder, args.title, box, with_admin1=args.admin1)
    except NewBriefingError as exc:
        raise UsageError(str(exc)) from None
    print(f"{folder}: {counts.countries} countries, {counts.borders} borders, {counts.capitals} capitals, "
          f"{counts.cities} cities, {counts.lakes} lakes, {counts.admin1} admin-1 units")
    return EXIT_OK
