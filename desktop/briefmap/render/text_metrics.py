"""Text measured in points with matplotlib's text-to-path metrics (the sheet's font, no
rendering), so the window, the sheet and every dpi agree."""

from __future__ import annotations

from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

_TEXT = TextToPath()
LINE_SPACING = 1.2


@lru_cache(maxsize=4096)
def text_size_points(text: str, size: float, weight: str, style: str) -> tuple[float, float]:
    """Width and height in points of (possibly multi-line) text in the sheet's font."""
    prop = FontProperties(family=["DejaVu Sans", "sans-serif"], size=size, weight=weight, style=style)
    lines = text.split("\n")
    width = max(_TEXT.get_text_width_height_descent(s, prop, ismath=False)[0] for s in lines) if text else 0.0
    return width, len(lines) * size * LINE_SPACING
