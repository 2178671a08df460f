"""`briefmap layers`: a briefing's layers, scenarios and bookmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefmap.cli.common import EXIT_OK, open_briefing

NAME = "layers"


def add_parser(sub) -> None:
    la = sub.add_parser("layers", help="list a briefing's layers, scenarios and bookmarks")
    la.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in one)")


def run(args: argparse.Namespace) -> int:
    briefing, tables = open_briefing(args.briefing)
    print(f"{briefing.title} ({briefing.id} {briefing.version})\n")
    print("Layers:")
    for spec in briefing.layers:
        n = len(tables[spec.id]) if spec.id in tables else 0
        flags = [f for f, on in (("historical", spec.historical), ("schematic", spec.schematic),
                                 ("after the article", spec.after_article), ("hidden", not spec.visible)) if on]
        extra = f"  [{', '.join(flags)}]" if flags else ""
        print(f"  {spec.id:<24} {spec.group:<20} {n:>4} features  {spec.title}{extra}")
    print("\nScenarios:")
    for s in briefing.scenarios:
        print(f"  {s.id:<24} {s.title}")
    print("\nNaming policies (--names):")
    for p in briefing.naming:
        print(f"  {p.id:<24} {p.title}")
    print("\nBookmarks:")
    for b in briefing.bookmarks:
        print(f"  {b.id:<24} {b.title}")
    return EXIT_OK
