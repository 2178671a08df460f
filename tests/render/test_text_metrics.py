"""Text measured for the sheet and the label plan is exactly matplotlib's text-to-path
measure, whatever size it is asked at first and on whichever thread."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from briefmap.data.paths import builtin_briefing_dir
from briefmap.render import text_metrics
from briefmap.render.text_metrics import LINE_SPACING, text_size_points

# Sizes the A4 sheet sets its words and labels in, and an odd one.
SIZES = (6.2996281812528245, 7.0, 8.199516045440184, 10.49938030208804, 14.999114717268629, 23.5)


def matplotlib_size(text: str, size: float, weight: str, style: str) -> tuple[float, float]:
    prop = FontProperties(family=["DejaVu Sans", "sans-serif"], size=size, weight=weight, style=style)
    lines = text.split("\n")
    width = max(TextToPath().get_text_width_height_descent(s, prop, ismath=False)[0] for s in lines) if text else 0.0
    return width, len(lines) * size * LINE_SPACING


def briefing_strings() -> list[str]:
    """Every word and line of the built-in briefing's catalog and panels (names in Latin,
    Armenian-transliterated and Azerbaijani spelling, the article's summary)."""
    folder = builtin_briefing_dir()
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
                     if p.is_file() and p.suffix in (".toml", ".md"))
    lines = sorted({line.strip() for line in text.splitlines() if line.strip()})
    words = sorted({w for line in lines for w in re.split(r"\s+", line) if w})
    return words + lines[:150]


def test_widths_equal_matplotlibs_for_every_word_of_the_briefing():
    text_size_points.cache_clear()
    text_metrics._width_at_font_scale.cache_clear()
    strings = briefing_strings()
    assert len(strings) > 500
    for i, s in enumerate(strings):
        weight, style = (("normal", "normal"), ("bold", "normal"), ("normal", "italic"))[i % 3]
        for size in SIZES[i % 2::2]:  # the same words at other sizes come from the kept width
            assert text_size_points(s, size, weight, style) == matplotlib_size(s, size, weight, style), (s, size)


def test_multiline_empty_and_tiny_text_as_matplotlib():
    for text in ("", "Yerevan\nTbilisi and Baku", "a\n\nlonger line", " "):
        for size in (0.4, 1.0, 9.0):
            assert text_size_points(text, size, "normal", "normal") == matplotlib_size(text, size, "normal", "normal")


@pytest.mark.parametrize("weight", ["normal", "bold"])
def test_worker_threads_measure_the_same(weight):
    strings = briefing_strings()[:300]
    text_size_points.cache_clear()
    text_metrics._width_at_font_scale.cache_clear()
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda s: text_size_points(s, 8.0, weight, "normal"), strings))
    assert got == [matplotlib_size(s, 8.0, weight, "normal") for s in strings]
