"""Options that `pack` and `animate` share with `export`, and the views they ask for."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
from pathlib import Path

from briefmap.cli.common import UsageError, resolve_view


def add_options(p: argparse.ArgumentParser, preset_help: str,
                date_help: str = "as-of date YYYY-MM-DD: show only what existed then") -> None:
    p.add_argument("--preset", help=preset_help)
    p.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in South Caucasus briefing)")
    p.add_argument("--date", help=date_help)
    p.add_argument("--names", help="naming policy id from the briefing's catalog (default: its first; see `briefmap layers`)")
    p.add_argument("--bookmark", help="bookmark id for every map's extent (default: each scenario's own)")
    p.add_argument("--add-layer", action="append", type=Path, default=[], metavar="FILE",
                   help="add your own layer (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV) to every map; "
                        "repeatable")
    p.add_argument("--progress", action="store_true", help="print a line per step: 'progress DONE TOTAL what'")


def check_preset(preset: str | None, default: str) -> str:
    from briefmap.render.sheet import PRESETS

    preset = preset or default
    if preset not in PRESETS:
        raise UsageError(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}")
    return preset


def check_output(path: Path, suffixes: tuple[str, ...]) -> None:
    from briefmap.render.export import ExportError, check_writable

    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: cannot write {path.suffix or 'a file without a suffix'!r}; "
                         f"use one of {', '.join(suffixes)}")
    try:
        check_writable(path)
    except ExportError as exc:
        raise UsageError(str(exc)) from None


def scenario_ids(briefing, text: str | None) -> list[str]:
    known = [s.id for s in briefing.scenarios]
    if text is None:
        ids = known
    else:
        ids = [t.strip() for t in text.split(",") if t.strip()]
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UsageError(f"unknown scenario(s) {', '.join(unknown)}; choose from: {', '.join(known)}")
    if not ids:
        raise UsageError("no scenarios chosen: name at least one with --scenarios, or leave it out for all")
    return list(dict.fromkeys(ids))


def view_for(briefing, scenario: str | None, args: argparse.Namespace):
    """The view `export --scenario S` would draw with the same options."""
    ns = argparse.Namespace(from_png=None, scenario=scenario, layers=None, hide=None, date=args.date,
                            names=args.names, bookmark=args.bookmark)
    return resolve_view(briefing, ns)


def add_layers(briefing, tables, args: argparse.Namespace) -> list[str]:
    """The --add-layer files read into the briefing (as `export` reads them); their ids.
    A file that cannot be read raises LayerFileError (exit 1)."""
    from briefmap.cli.common import add_user_layers

    return add_user_layers(briefing, tables, list(args.add_layer)) if args.add_layer else []


def with_layers(state, added: list[str]):
    return state.with_(visible=(*state.visible, *(lid for lid in added if lid not in state.visible)))


def as_of(briefing, args: argparse.Namespace) -> dt.date:
    return dt.date.fromisoformat(args.date) if args.date else briefing.article_as_of


def printer(enabled: bool):
    if not enabled:
        return None

    def progress(done: int, total: int, what: str) -> None:
        print(f"progress {done} {total} {what}", flush=True)

    return progress


def stop_on_term() -> None:
    """A terminated job unwinds (so its temporary file is removed) instead of dying."""

    def handler(_signum, _frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)
