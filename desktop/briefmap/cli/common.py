"""What every command shares: exit codes, the usage error, opening a briefing, the view the options ask for."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def add_view_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in South Caucasus briefing)")
    p.add_argument("--from", dest="from_png", type=Path, metavar="FILE.png",
                   help="restore the view stored in a PNG that briefmap exported")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--layers", help="show exactly these layers (comma-separated ids)")
    group.add_argument("--hide", help="hide these layers from the scenario's set (comma-separated ids)")
    p.add_argument("--scenario", help="scenario id (see `briefmap layers`)")
    p.add_argument("--date", help="as-of date YYYY-MM-DD: show only what existed then")
    p.add_argument("--names", help="naming policy id from the briefing's catalog (default: its first; see `briefmap layers`)")
    p.add_argument("--bookmark", help="bookmark id for the map extent")


# (top-level dest, the subcommand's dest, the option as typed)
TOP_LEVEL = (("top_briefing", "briefing", "--briefing"), ("top_from", "from_png", "--from"))


NUMBER_LIST = re.compile(r"^-\d[\d.]*(,-?[\d.]+)+$")


def joined_number_lists(argv: list[str]) -> list[str]:
    """`--bbox -10,35,5,44` as `--bbox=-10,35,5,44`: argparse takes a value that starts with
    a minus for an option of its own and refuses the box; a list of numbers never is one."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and NUMBER_LIST.match(arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def merge_top_level(args: argparse.Namespace) -> None:
    """Hand `briefmap --briefing X --from P COMMAND` to the command, or refuse: a top-level
    option is never silently replaced by the command's default or ignored."""
    for top, dest, flag in TOP_LEVEL:
        value = getattr(args, top, None)
        if value is None:
            continue
        if dest == "briefing":
            from briefmap.data.paths import describe_path_problem

            why = describe_path_problem(Path(value), folder=True)
            if why:
                raise UsageError(f"--briefing: {why}")
        if args.command == "validate" and dest == "briefing":
            dest = "path"
        if args.command is not None and not hasattr(args, dest):
            raise UsageError(f"{flag} does not apply to `briefmap {args.command}`")
        given = getattr(args, dest, None)
        if given is not None and Path(given) != Path(value):
            raise UsageError(f"{flag} was given twice with different values ({value} and {given})")
        setattr(args, dest, value)
    if args.command is None:
        for _top, dest, _flag in TOP_LEVEL:
            if not hasattr(args, dest):
                setattr(args, dest, None)


def briefing_path(path: Path | None) -> Path:
    """The briefing folder to open: the built-in one, or the one given, which must be a folder."""
    from briefmap.data.paths import builtin_briefing_dir, describe_path_problem

    if not path:
        return builtin_briefing_dir()
    why = describe_path_problem(Path(path), folder=True)
    if why:
        raise UsageError(f"--briefing: {why}")
    return Path(path)


def _ids(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def resolve_view(briefing, args):
    """The ViewState the command line asks for; UsageError names what is wrong."""
    from briefmap.data.projection import bounds_to_map
    from briefmap.model.view import scenario_state

    if getattr(args, "from_png", None):
        from briefmap.model.view import check_view
        from briefmap.render.export import read_view

        try:
            state = read_view(args.from_png)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if state.briefing_id != briefing.id:
            raise UsageError(f"{args.from_png}: made with briefing {state.briefing_id!r}, "
                             f"not {briefing.id!r}; pass --briefing for that one")
        unknown = [lid for lid in state.visible if lid not in briefing.layer_ids]
        if unknown:
            from briefmap.render.export import read_user_layers

            files = read_user_layers(args.from_png)
            theirs = [f"{lid} (from {files[lid]})" for lid in unknown if lid in files]
            if theirs:
                raise UsageError(f"{args.from_png}: the stored view shows your layer(s) {', '.join(theirs)}; "
                                 "add them with `briefmap export --from … --add-layer FILE` or in the window")
            raise UsageError(f"{args.from_png}: unknown layer(s) {', '.join(unknown[:20])} in the stored view")
        # The rest (scenario, naming policy, date) as the window's Restore view checks it.
        problems = check_view(briefing, state)
        if problems:
            raise UsageError(f"{args.from_png}: " + "; ".join(problems))
    else:
        scenarios = {s.id for s in briefing.scenarios}
        if args.scenario and args.scenario not in scenarios:
            raise UsageError(f"unknown scenario {args.scenario!r}; choose one of: {', '.join(sorted(scenarios))}")
        state = scenario_state(briefing, args.scenario)
    known = briefing.layer_ids
    if args.layers is not None or args.hide is not None:
        ids = _ids(args.layers if args.layers is not None else args.hide)
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UsageError(f"unknown layer(s): {', '.join(unknown)}; see `briefmap layers`")
        if args.layers is not None:
            state = state.with_(visible=tuple(lid for lid in known if lid in ids))
        else:
            state = state.with_(visible=tuple(lid for lid in state.visible if lid not in ids))
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date: expected YYYY-MM-DD, got {args.date!r}") from None
        if not briefing.date_min <= date <= briefing.date_max:
            raise UsageError(f"--date: {date} is outside the briefing's timeline "
                             f"({briefing.date_min} to {briefing.date_max})")
        state = state.with_(date=date)
    if args.names:
        policies = [p.id for p in briefing.naming]
        if args.names not in policies:
            raise UsageError(f"--names: unknown naming policy {args.names!r}; choose one of: {', '.join(policies)}")
        state = state.with_(names=args.names)
    if args.bookmark:
        ids = [b.id for b in briefing.bookmarks]
        if args.bookmark not in ids:
            raise UsageError(f"unknown bookmark {args.bookmark!r}; choose one of: {', '.join(ids)}")
        state = state.with_(extent=bounds_to_map(briefing.bookmark(args.bookmark).bounds, briefing.crs))
    return state


def parse_size(text: str, what: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"{what}: expected WxH in pixels, like 1600x1000; got {text!r}") from None
    if not (64 <= w <= 20000 and 64 <= h <= 20000):
        raise UsageError(f"{what}: each side must be from 64 to 20000 pixels; got {text!r}")
    return w, h


def open_briefing(path: Path | None):
    from briefmap.data.briefing import open_briefing

    return open_briefing(briefing_path(path))


def add_user_layers(briefing, tables, files: list[Path], ids: dict[str, str] | None = None) -> list[str]:
    """Read the user's layer files (in a child process, as the window does) into the
    briefing; their ids, in order. A file that cannot be read is a LayerFileError."""
    from briefmap.data.layer_process import import_isolated
    from briefmap.data.layers import map_crs
    from briefmap.data.user_layer_spec import spec_and_style
    from briefmap.data.user_layers import LayerImportError

    wanted = {str(Path(f)): lid for lid, f in (ids or {}).items()}
    added = []
    for file in files:
        try:
            layer = import_isolated(Path(file), map_crs(briefing))
        except LayerImportError as exc:
            raise LayerFileError(str(exc)) from None
        top = max((s.order for s in briefing.layers), default=0) + 1
        spec, style = spec_and_style(layer, set(briefing.layer_ids), top, wanted.get(str(Path(file))))
        briefing.layers.append(spec)
        briefing.styles[style.id] = style
        tables[spec.id] = layer.table
        added.append(spec.id)
        for note in layer.warnings:
            print(f"briefmap: {Path(file).name}: {note}", file=sys.stderr)
    return added


class LayerFileError(Exception):
    """A user's layer file that cannot be read (exit 1)."""


@contextlib.contextmanager
def collector_off_while_starting():
    """The cyclic collector off while the window starts: its passes over the imports and
    the first frame free nothing (ui/app.after_first_frame turns it back on once the first
    frame is on screen); on in any case when the command returns."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
