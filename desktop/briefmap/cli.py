"""`briefmap`: the window with no arguments; headless jobs as subcommands.

Exit codes: 0 done, 1 a briefing that is not valid (validate) or an export that failed,
2 a usage error (unknown layer, scenario or bookmark, bad date, unsupported file...).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from briefmap import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _add_view_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in South Caucasus briefing)")
    p.add_argument("--from", dest="from_png", type=Path, metavar="FILE.png",
                   help="restore the view stored in a PNG that briefmap exported")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--layers", help="show exactly these layers (comma-separated ids)")
    group.add_argument("--hide", help="hide these layers from the scenario's set (comma-separated ids)")
    p.add_argument("--scenario", help="scenario id (see `briefmap layers`)")
    p.add_argument("--date", help="as-of date YYYY-MM-DD: show only what existed then")
    p.add_argument("--names", choices=("both", "armenian", "azerbaijani"), help="naming policy (default: both)")
    p.add_argument("--bookmark", help="bookmark id for the map extent")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="briefmap", description="Briefing maps: the South Caucasus briefing and others.")
    ap.add_argument("--version", action="version", version=f"briefmap {__version__}")
    ap.add_argument("--briefing", type=Path, help="open this briefing folder in the window")
    ap.add_argument("--from", dest="from_png", type=Path, metavar="FILE.png",
                    help="open the window on the view stored in a PNG that briefmap exported")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("export", help="write the briefing sheet to PNG, SVG or PDF (no display needed)")
    ex.add_argument("-o", "--output", type=Path, required=True, help="file to write (.png, .svg or .pdf)")
    ex.add_argument("--preset", help="slide-16x9, a4-landscape, a4-portrait or square (default slide-16x9)")
    ex.add_argument("--size", help="custom size in pixels, WxH (with --dpi)")
    ex.add_argument("--dpi", type=int, help="dots per inch (default: the preset's)")
    ex.add_argument("--no-side-column", action="store_true", help="leave out the key-points column")
    _add_view_options(ex)

    sn = sub.add_parser("snapshot", help="render the whole main window offscreen to a PNG")
    sn.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    sn.add_argument("--size", default="1600x1000", help="window size WxH (default 1600x1000)")
    _add_view_options(sn)

    va = sub.add_parser("validate", help="check a briefing folder and report every problem")
    va.add_argument("path", type=Path, nargs="?", help="briefing folder (default: the built-in one)")

    la = sub.add_parser("layers", help="list a briefing's layers, scenarios and bookmarks")
    la.add_argument("--briefing", type=Path, help="a briefing folder (default: the built-in one)")
    return ap


def _briefing_path(path: Path | None) -> Path:
    from briefmap.data.paths import builtin_briefing_dir

    return Path(path) if path else builtin_briefing_dir()


def _ids(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def resolve_view(briefing, args):
    """The ViewState the command line asks for; UsageError names what is wrong."""
    from briefmap.data.projection import bounds_to_map
    from briefmap.model.view import scenario_state

    if getattr(args, "from_png", None):
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
            raise UsageError(f"{args.from_png}: unknown layer(s) {', '.join(unknown)} in the stored view")
        if state.scenario not in {s.id for s in briefing.scenarios}:
            raise UsageError(f"{args.from_png}: unknown scenario {state.scenario!r} in the stored view")
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
        state = state.with_(names=args.names)
    if args.bookmark:
        ids = [b.id for b in briefing.bookmarks]
        if args.bookmark not in ids:
            raise UsageError(f"unknown bookmark {args.bookmark!r}; choose one of: {', '.join(ids)}")
        state = state.with_(extent=bounds_to_map(briefing.bookmark(args.bookmark).bounds))
    return state


def _parse_size(text: str, what: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"{what}: expected WxH in pixels, like 1600x1000; got {text!r}") from None
    if not (64 <= w <= 20000 and 64 <= h <= 20000):
        raise UsageError(f"{what}: each side must be from 64 to 20000 pixels; got {text!r}")
    return w, h


def _open(path: Path | None):
    from briefmap.data.briefing import open_briefing

    return open_briefing(_briefing_path(path))


def cmd_export(args) -> int:
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
        w, h = _parse_size(args.size, "--size")
        opts = SheetOptions.from_pixels(w, h, args.dpi or 150, not args.no_side_column)
    else:
        opts = SheetOptions.from_preset(args.preset or "slide-16x9", args.dpi, not args.no_side_column)
    briefing, tables = _open(args.briefing)
    state = resolve_view(briefing, args)
    try:
        export_sheet(briefing, tables, state, args.output, opts)
    except ExportError as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    w, h = opts.pixels
    print(f"wrote {args.output} ({w} × {h} px, {opts.dpi} dpi, scenario {state.scenario})")
    return EXIT_OK


def cmd_validate(args) -> int:
    from briefmap.data.briefing import validate

    path = _briefing_path(args.path)
    problems = validate(path)
    for p in problems:
        print(p)
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_INVALID
    print(f"{path}: valid")
    return EXIT_OK


def cmd_layers(args) -> int:
    briefing, tables = _open(args.briefing)
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
    print("\nBookmarks:")
    for b in briefing.bookmarks:
        print(f"  {b.id:<24} {b.title}")
    return EXIT_OK


def cmd_snapshot(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    w, h = _parse_size(args.size, "--size")
    if args.output.suffix.lower() != ".png":
        raise UsageError(f"{args.output}: a snapshot is a PNG; use a .png file name")
    from briefmap.render.export import ExportError, check_writable

    try:
        check_writable(args.output)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    briefing, tables = _open(args.briefing)
    state = resolve_view(briefing, args)
    from briefmap.ui.app import snapshot

    snapshot(briefing, tables, state, args.output, (w, h))
    print(f"wrote {args.output} ({w} × {h} px window)")
    return EXIT_OK


def _missing_x11_libraries() -> list[str]:
    """Qt aborts the process when its X11 plugin cannot load; say why before that."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") \
            or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        return []
    from ctypes.util import find_library

    needed = {"xcb-cursor": "libxcb-cursor0", "xkbcommon-x11": "libxkbcommon-x11-0", "xcb-icccm": "libxcb-icccm4",
              "xcb-keysyms": "libxcb-keysyms1"}
    return [deb for lib, deb in needed.items() if find_library(lib) is None]


def cmd_window(args) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        print("briefmap: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.\n"
              "  Export the briefing without a display instead, for example:\n"
              "    briefmap export -o briefing.png --preset slide-16x9\n"
              "  or render the window offscreen:  briefmap snapshot -o window.png", file=sys.stderr)
        return EXIT_INVALID
    missing = _missing_x11_libraries()
    if missing:
        print(f"briefmap: Qt's X11 platform needs system libraries that are missing: {', '.join(missing)}.\n"
              f"  Install them (Debian/Ubuntu: apt-get install {' '.join(missing)}), or start briefmap with\n"
              "  `bash packaging/quickstart.sh run`, which installs them.", file=sys.stderr)
        return EXIT_INVALID
    from briefmap.ui.app import run

    if args.from_png:
        briefing, tables = _open(args.briefing)
        view_args = argparse.Namespace(from_png=args.from_png, scenario=None, layers=None, hide=None, date=None,
                                       names=None, bookmark=None)
        state = resolve_view(briefing, view_args)
        return run(args.briefing, opened=(briefing, tables), state=state)
    return run(args.briefing)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from briefmap.data.errors import BriefingError

    commands = {"export": cmd_export, "validate": cmd_validate, "layers": cmd_layers,
                "snapshot": cmd_snapshot, None: cmd_window}
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(f"briefmap {args.command or ''}: {exc}".replace("  ", " "), file=sys.stderr)
        return EXIT_USAGE
    except BriefingError as exc:
        print("briefmap: the briefing cannot be opened:", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return EXIT_INVALID


def run() -> None:
    """The `briefmap` command. A headless job that has finished has written and renamed
    its file (fsync'd) and flushed its output; it then leaves without the interpreter's
    teardown, which spends about 0.2 s freeing matplotlib's objects for nothing."""
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] in ("export", "snapshot", "validate", "layers"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
