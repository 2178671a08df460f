"""`briefmap animate`: the map through the timeline, one frame per step, as a GIF or an MP4."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from briefmap.cli import pack_options as po
from briefmap.cli.common import EXIT_INVALID, EXIT_OK, LayerFileError, UsageError, open_briefing

NAME = "animate"


def add_parser(sub) -> None:
    p = sub.add_parser("animate", help="the map through the timeline as a GIF or an MP4",
                       description="One frame per step from --start to --end: the map as it stood, the date "
                                   "large, the step's events named. MP4 needs ffmpeg on PATH.")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write (.gif or .mp4)")
    p.add_argument("--start", help="first date YYYY-MM-DD (default: the briefing's first)")
    p.add_argument("--end", help="last date YYYY-MM-DD (default: the briefing's last)")
    p.add_argument("--step", default="1m", help="time per frame: a count and d, w, m or y (default 1m)")
    p.add_argument("--scenario", help="scenario id for the layers shown (default: the briefing's default)")
    po.add_options(p, "frame size: slide-16x9 (default, 1920 × 1080), square, a4-landscape or a4-portrait",
                   "as-of date YYYY-MM-DD: events after it are named as later (default: the article's date); "
                   "each frame shows the map at its own date")


def _date(text: str | None, what: str, default: dt.date, briefing) -> dt.date:
    if not text:
        return default
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: expected YYYY-MM-DD, got {text!r}") from None
    if not briefing.date_min <= d <= briefing.date_max:
        raise UsageError(f"{what}: {d} is outside the briefing's timeline ({briefing.date_min} to {briefing.date_max})")
    return d


def run(args: argparse.Namespace) -> int:
    from briefmap.render.pack.animation import AnimationError, PackCancelled, Step, ffmpeg_path, periods, write_animation
    from briefmap.render.sheet import PRESETS

    po.check_output(args.output, (".gif", ".mp4"))
    if args.output.suffix.lower() == ".mp4" and ffmpeg_path() is None:
        raise UsageError("writing MP4 needs ffmpeg, which is not on PATH (Debian: apt-get install ffmpeg); "
                         "or write a .gif")
    preset = PRESETS[po.check_preset(args.preset, "slide-16x9")]
    try:
        step = Step.parse(args.step)
    except ValueError as exc:
        raise UsageError(f"--step: {exc}") from None
    briefing, tables = open_briefing(args.briefing)
    start = _date(args.start, "--start", briefing.date_min, briefing)
    end = _date(args.end, "--end", briefing.date_max, briefing)
    if end < start:
        raise UsageError(f"--end {end} comes before --start {start}: no frames to draw")
    try:
        count = len(periods(start, end, step))
    except ValueError as exc:
        raise UsageError(f"--step: {exc}") from None
    state = po.view_for(briefing, args.scenario, args)
    try:
        state = po.with_layers(state, po.add_layers(briefing, tables, args))
    except LayerFileError as exc:
        print(f"briefmap animate: {exc}", file=sys.stderr)
        return EXIT_INVALID
    po.stop_on_term()
    try:
        write_animation(briefing, tables, state, args.output, (preset.width_in, preset.height_in, preset.dpi),
                        start, end, step, po.as_of(briefing, args), progress=po.printer(args.progress))
    except PackCancelled:
        print("briefmap animate: cancelled; nothing written", file=sys.stderr)
        return EXIT_INVALID
    except (AnimationError, OSError) as exc:
        print(f"briefmap animate: {args.output}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {args.output} ({count} frames, {start} to {end}, step {args.step}, preset {preset.id})")
    return EXIT_OK
