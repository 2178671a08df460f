"""Text measured in points with matplotlib's text-to-path metrics (the sheet's font, no
rendering), so the window, the sheet and every dpi agree.

The numbers are exactly those of `TextToPath.get_text_width_height_descent`: it lays a
line out at 100 pt (FONT_SCALE) and scales the width by size / 100, so a line's width at
100 pt is kept per (text, weight, style) and scaled here with the same arithmetic: the
wrapper measures a word once, not once for every size of the sheet's text. The font files
for a weight and style are looked up once (the sheet's fonts are scalable: the lookup does
not depend on the size); `get_font` keeps one FreeType face per thread, so the label
planner's worker thread measures with a face of its own.

A line is measured word by word: its width is the sum of its words' and spaces' widths
(the shaper, libraqm, places a word's glyphs, ligatures and kerning, with no pair across a
space in the sheet's fonts; tests/render/test_text_metrics.py holds the sum to the whole
line's measure on every text of the sheet and the article), so the wrapper's trial lines,
each a line before plus a word, cost a look-up per word, not a shaping of the line. A
word's width is kept on disk for the next run (render/measure_store.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

import matplotlib as mpl
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.textpath import TextToPath

from briefmap.render import measure_store

LINE_SPACING = 1.2
FAMILY = ("DejaVu Sans", "sans-serif")


@lru_cache(maxsize=64)
def _font_files(weight: str, style: str, sans_serif: tuple[str, ...]) -> tuple:
    prop = FontProperties(family=list(FAMILY), size=TextToPath.FONT_SCALE, weight=weight, style=style)
    return tuple(fontManager._find_fonts_by_props(prop))


_SPACES = re.compile("( )")


@lru_cache(maxsize=16384)
def _width_at_font_scale(line: str, weight: str, style: str, sans_serif: tuple[str, ...]) -> float:
    """The line's width in points at 100 pt, as TextToPath measures it (before scaling)."""
    if " " not in line or line.isspace():
        return _shaped_width(line, weight, style, sans_serif)
    return sum(_shaped_width(piece, weight, style, sans_serif) for piece in _SPACES.split(line) if piece)


@lru_cache(maxsize=64)
def _store_key(weight: str, style: str, sans_serif: tuple[str, ...]) -> str:
    return measure_store.fonts_key(_font_files(weight, style, sans_serif))


@lru_cache(maxsize=16384)
def _shaped_width(line: str, weight: str, style: str, sans_serif: tuple[str, ...]) -> float:
    """The width of a line shaped whole, in points at 100 pt (exact multiples of 1/64):
    as kept from an earlier run (render/measure_store.py), or measured and kept."""
    key = _store_key(weight, style, sans_serif)
    kept = measure_store.get(key, line)
    if kept is not None:
        return kept
    font = get_font(_font_files(weight, style, sans_serif))
    font.set_size(TextToPath.FONT_SCALE, TextToPath.DPI)
    font.set_text(line, 0.0, flags=LoadFlags.NO_HINTING)
    width = font.get_width_height()[0] / 64.0
    measure_store.put(key, line, width)
    return width


def keep_measures() -> None:
    """Write this run's new widths for the next run (after an export)."""
    measure_store.save()


@lru_cache(maxsize=4096)
def text_size_points(text: str, size: float, weight: str, style: str) -> tuple[float, float]:
    """Width and height in points of (possibly multi-line) text in the sheet's font."""
    lines = text.split("\n")
    if not text:
        return 0.0, len(lines) * size * LINE_SPACING
    # FontProperties keeps sizes as floats, at least 1 pt; TextToPath scales by size / 100.
    scale = max(float(size), 1.0) / TextToPath.FONT_SCALE
    sans_serif = tuple(mpl.rcParams["font.sans-serif"])  # the generic family's fallbacks
    width = max(_width_at_font_scale(s, weight, style, sans_serif) * scale for s in lines)
    return width, len(lines) * size * LINE_SPACING
