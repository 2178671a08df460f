"""The sheet's PNG made on two cores: a forked process builds the same sheet, draws it for
the rows below a cut and deflates them, while this one does the rows above.

Each process draws the whole figure into a canvas of the full size, in the same order, so
every pixel of its band is the pixel a single drawing makes; it only leaves out the texts
that cannot reach its band (text is most of the drawing's time: shaping, glyphs and the
labels' halos). Whether a text can reach a band is judged from its anchor and a generous
bound of its size at the moment it is drawn (texts in legends and insets are placed by
their parents then); a text that is not plain enough to bound (a box around it, wrapping,
an arrow, rotated, an unknown path effect) is drawn by both. The cut lies on a boundary of
the PNG writer's deflate blocks, so the file's bytes are those of a single drawing too.

The fork comes before the sheet is built: building it in both processes costs no time
(it is done side by side) and keeps the child off the parent's pages (a fork after the
build made both processes copy the pages of the figure they touched).

For a headless export only (the command line): a fork needs a process with no other
threads, on Linux. A child that fails, or bands that disagree, make the parent draw the
sheet whole: the same file, only later.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
from collections.abc import Callable

import numpy as np

from briefmap.render import png

MARGIN_PX = 8.0  # anti-aliasing and glyph bitmaps' rounding, with room to spare
EM_BOUND = 1.5  # no glyph of the sheet's fonts reaches further than 1.5 em from its line box


def available() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
            and _a_core_is_free())


def _a_core_is_free() -> bool:
    """Whether another core is idle now (as `make -l` asks before starting a job): on a busy
    machine the second band's work (the sheet built twice) would only wait for a core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])  # runnable tasks, this one included
    except (OSError, ValueError, IndexError):
        return False
    return cores >= 2 and running < cores


def _stroke_px(text, dpi: float) -> float | None:
    """How far the text's path effects reach beyond its glyphs (px); None when unknown."""
    from matplotlib import patheffects

    reach = 0.0
    for effect in text.get_path_effects():
        if isinstance(effect, patheffects.Normal):
            continue
        if isinstance(effect, patheffects.Stroke) and not any(effect._offset):
            # the whole width, not half: room for a mitred corner
            reach = max(reach, 2.0 * float(effect._gc.get("linewidth", 0.0)) * dpi / 72.0)
            continue
        return None
    return reach


def reach_px(text, dpi: float, arrows: bool = False) -> float | None:
    """A bound of how far the text's pixels lie from its anchor, up or down (px); None when
    the text cannot be bounded this way. An annotation's arrow is bounded apart
    (`_arrow_rows`), and only when `arrows` says so."""
    if (text.get_bbox_patch() is not None or text.get_wrap() or text.get_usetex()
            or (getattr(text, "arrow_patch", None) is not None and not arrows) or text.get_rotation() % 360 != 0):
        return None
    s = text.get_text()
    if "$" in s and text.get_parse_math():
        return None
    stroke = _stroke_px(text, dpi)
    if stroke is None:
        return None
    size = text.get_fontsize() * dpi / 72.0
    lines = s.count("\n") + 1
    spacing = text.get_linespacing()  # a factor, or "normal": the font's own (well under 2)
    spacing = max(float(spacing), 1.0) if isinstance(spacing, int | float) else 2.0
    return (lines * spacing + 2.0) * size * EM_BOUND + stroke + MARGIN_PX


def _arrow_rows(ann, renderer, y: float, reach: float) -> tuple[float, float] | None:
    """Display y's bounds of an annotation's arrow, once its positions are updated: it runs
    from a point of the text's box (within `reach` of its anchor `y`) to the annotated
    point, along an arc3 curve that stays within the triangle of its ends and its control
    point (*rad* times the chord off the chord's middle); its head and stroke around it."""
    from matplotlib.patches import ConnectionStyle

    style = ann.arrow_patch.get_connectionstyle()
    if not isinstance(style, ConnectionStyle.Arc3):
        return None
    x0, _y = ann.get_transform().transform(ann.get_unitless_position())
    x1, y1 = ann._get_position_xy(renderer)  # the annotated point, in display units
    if not (np.isfinite(x1) and np.isfinite(y1) and np.isfinite(x0)):
        return None
    chord = float(np.hypot(x1 - x0, y1 - y)) + 2.0 * reach
    px = renderer.dpi / 72.0
    around = (abs(style.rad) * chord + 4.0 * ann.arrow_patch.get_mutation_scale() * px
              + 2.0 * ann.arrow_patch.get_linewidth() * px + MARGIN_PX)
    return min(y - reach, y1) - around, max(y + reach, y1) + around


def drawn_artists(fig) -> list:
    """The figure's artists, as `fig.findobj()` lists them but for the axis (ticks, tick
    labels) of an axes drawn without it: asking an axis for its children makes its ticks,
    some fifty artists per axes that the drawing never makes nor draws."""
    from matplotlib.axes import Axes

    found = []

    def visit(artist) -> None:
        children = artist.get_children()
        if isinstance(artist, Axes) and not artist.axison:
            hidden = {id(axis) for axis in artist._axis_map.values()}
            children = [c for c in children if id(c) not in hidden]
        for child in children:
            visit(child)
        found.append(artist)

    visit(fig)
    return found


def _keep_to_band(fig, lo: float, hi: float, artists: list | None = None) -> list:
    """Artists of `fig` (`artists`: drawn_artists(fig), when known) draw only when they may
    reach display y in [lo, hi]: texts by reach_px, and shapes (patches, collections,
    lines: Agg clips them to their clip box) by their clip box, such as an inset's; the
    artists given an own draw."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Annotation, Text

    guarded = [a for a in (drawn_artists(fig) if artists is None else artists)
               if isinstance(a, Text | Patch | Collection | Line2D) and "draw" not in vars(a)]
    for artist in guarded:
        if isinstance(artist, Text):
            def draw(renderer, _text=artist):
                reach = reach_px(_text, renderer.dpi, arrows=True)
                if reach is not None and _text.get_visible() and _text.get_text():
                    if isinstance(_text, Annotation):
                        _text.update_positions(renderer)  # its text's transform, as its draw sets it
                    _x, y = _text.get_transform().transform(_text.get_unitless_position())
                    rows = (y - reach, y + reach) if np.isfinite(y) else None
                    if rows and getattr(_text, "arrow_patch", None) is not None:
                        rows = _arrow_rows(_text, renderer, y, reach)
                    if rows and (rows[1] < lo or rows[0] > hi):
                        return
                type(_text).draw(_text, renderer)
        else:
            def draw(renderer, _shape=artist):
                box = _shape.get_clip_box() if _shape.get_clip_on() else None
                if box is not None and (box.y1 + MARGIN_PX < lo or box.y0 - MARGIN_PX > hi):
                    return
                type(_shape).draw(_shape, renderer)

        artist.draw = draw  # an instance's own draw, removed again by draw_band
    return guarded


def cut(fig, height: int, artists: list | None = None) -> int:
    """The block boundary (an index into png.block_bounds) that shares the texts' glyphs
    most evenly between the bands, counting a text near the cut in both (as it is drawn);
    0 when the image is one block. Only the time depends on the choice."""
    from matplotlib.text import Text

    bounds = png.block_bounds(height)
    if len(bounds) < 3:
        return 0
    texts = []  # (row of the anchor, reach in rows, weight)
    for text in (drawn_artists(fig) if artists is None else artists):
        if not isinstance(text, Text) or not text.get_visible():
            continue
        try:
            _x, y = text.get_transform().transform(text.get_unitless_position())
        except (TypeError, ValueError):
            continue
        row = height - y
        if not 0.0 <= row < height:  # off the sheet (a label whose place is out of view)
            continue
        reach = reach_px(text, fig.dpi)
        texts.append((row, float(height) if reach is None else reach,
                      len(text.get_text()) * (3.0 if text.get_path_effects() else 1.0)))

    def busier(k: int) -> float:
        top = sum(w for row, reach, w in texts if row - reach < bounds[k])
        bottom = sum(w for row, reach, w in texts if row + reach >= bounds[k])
        return max(top, bottom)

    return min(range(1, len(bounds) - 1), key=busier)


def draw_band(fig, lo: float, hi: float, artists: list | None = None) -> np.ndarray:
    """The figure drawn whole but for the artists that cannot reach display y in [lo, hi]."""
    from briefmap.render.sheet_canvas import SheetCanvas

    guarded = _keep_to_band(fig, lo, hi, artists)
    try:
        canvas = SheetCanvas(fig)
        canvas.draw()
    finally:
        for artist in guarded:
            del artist.draw
    return np.asarray(canvas.buffer_rgba())


_HEAD = struct.Struct(">I?I")  # the cut, the band is opaque, how many blocks
_PART = struct.Struct(">III")  # adler32, filtered size, deflated size


def _size(fig) -> tuple[int, int]:
    from briefmap.render.sheet_canvas import SheetCanvas

    return SheetCanvas(fig).get_width_height(physical=True)


def _child(make_figure: Callable, out: int) -> None:
    fig = make_figure()
    _width, height = _size(fig)
    artists = drawn_artists(fig)
    k = cut(fig, height, artists)
    bounds = png.block_bounds(height)
    parts: list[png.Block] = []
    opaque = True
    if k:
        rgba = draw_band(fig, 0.0, float(height - bounds[k]), artists)
        opaque = png.is_opaque(rgba[bounds[k]:])
        parts = png.encode_blocks(rgba, k, len(bounds) - 1, 3 if opaque else 4)
    data = [_HEAD.pack(k, opaque, len(parts))]
    for deflated, adler, size in parts:
        data += [_PART.pack(adler, size, len(deflated)), deflated]
    with os.fdopen(out, "wb") as fh:
        fh.write(b"".join(data))


def _read_parts(data: bytes) -> tuple[int, bool, list[png.Block]]:
    k, opaque, count = _HEAD.unpack_from(data, 0)
    at, parts = _HEAD.size, []
    for _ in range(count):
        adler, size, length = _PART.unpack_from(data, at)
        at += _PART.size
        parts.append((data[at:at + length], adler, size))
        at += length
    if at != len(data):
        raise ValueError("the band's blocks do not add up")
    return k, opaque, parts


def sheet_png(make_figure: Callable, text: dict[str, str] | None, dpi: float) -> tuple[object, bytes | None]:
    """(the figure `make_figure()` built here, the PNG's bytes or None when the two bands
    could not be joined: the caller then draws the figure whole). An exception from
    `make_figure` (a sheet too small) is raised here once the child has ended."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the rows below the cut; it never returns into the caller
        code = 1
        try:
            os.close(read_end)
            _child(make_figure, write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")
    try:
        fig = make_figure()
        width, height = _size(fig)
        artists = drawn_artists(fig)
        k = cut(fig, height, artists)
        bounds = png.block_bounds(height)
        if k:
            rgba = draw_band(fig, float(height - bounds[k]), float(height), artists)
            opaque = png.is_opaque(rgba[:bounds[k]])
            parts = png.encode_blocks(rgba, 0, k, 3 if opaque else 4)
        data = reader.read()
    finally:
        reader.close()  # a child still writing gets a broken pipe and ends
        _, status = os.waitpid(pid, 0)
    if not k or os.waitstatus_to_exitcode(status) != 0:
        return fig, None
    try:
        child_k, child_opaque, child_parts = _read_parts(data)
    except (struct.error, ValueError):
        return fig, None
    if child_k != k or child_opaque != opaque or len(child_parts) != len(bounds) - 1 - k:
        return fig, None
    if (width, height) != rgba.shape[1::-1]:
        return fig, None
    return fig, png.assemble(width, height, opaque, parts + child_parts, text, dpi)
