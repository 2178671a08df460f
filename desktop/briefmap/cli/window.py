"""`briefmap` with no command: the window."""

from __future__ import annotations

import argparse
import os
import sys

from briefmap.cli.common import EXIT_INVALID, collector_off_while_starting, open_briefing, resolve_view


def _missing_x11_libraries() -> list[str]:
    """Qt aborts the process when its X11 plugin cannot load; say why before that."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") \
            or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        return []
    from ctypes.util import find_library

    needed = {"xcb-cursor": "libxcb-cursor0", "xkbcommon-x11": "libxkbcommon-x11-0", "xcb-icccm": "libxcb-icccm4",
              "xcb-keysyms": "libxcb-keysyms1"}
    return [deb for lib, deb in needed.items() if find_library(lib) is None]


def run(args: argparse.Namespace) -> int:
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
    with collector_off_while_starting():
        return _open(args)


def _open(args: argparse.Namespace) -> int:
    from briefmap.ui.app import run as run_window

    if args.from_png:
        briefing, tables = open_briefing(args.briefing)
        view_args = argparse.Namespace(from_png=args.from_png, scenario=None, layers=None, hide=None, date=None,
                                       names=None, bookmark=None)
        state = resolve_view(briefing, view_args)
        return run_window(args.briefing, opened=(briefing, tables), state=state)
    return run_window(args.briefing)
