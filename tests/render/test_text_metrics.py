"""Text measured for the sheet and the label plan is exactly matplotlib's text-to-path
measure, whatever size it is asked at first and on whichever thread."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from briefmap.data.paths import builtin_briefing_dir
from briefmap.render import text_metrics
from briefmap.render.text_metrics import LINE_SPACING, text_size_points

ROOT = Path(__file__).resolve().parents[2]
# The article's text beside the checkout when it is there; the briefing's own words always.
ARTICLE = next((up / "shared" / "reference" / "article.md" for up in (ROOT.parent, ROOT.parent.parent)
                if (up / "shared" / "reference" / "article.md").is_file()), None)

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


def clear_caches() -> None:
    text_size_points.cache_clear()
    text_metrics._width_at_font_scale.cache_clear()
    text_metrics._shaped_width.cache_clear()


def article_lines() -> list[str]:
    """Lines as the sheet's wrapper tries them: runs of 2 to 14 words of the article and
    the briefing (ligatures such as "fi", kerned pairs, commas, brackets, quotes, digits)."""
    folder = builtin_briefing_dir()
    text = " ".join([ARTICLE.read_text(encoding="utf-8") if ARTICLE else "",
                     *(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.toml")))])
    words = text.split()
    return [" ".join(words[i:i + n]) for i in range(0, len(words) - 14, 3) for n in (2, 5, 14)]


def test_lines_measured_word_by_word_equal_lines_shaped_whole():
    clear_caches()
    lines = article_lines()
    assert len(lines) > 300
    odd = ["  Yerevan", "Baku  ", "Nagorno  Karabakh", "fi fi", "Tbilisi and Baku", "AV AV", "T. Y."]
    for i, line in enumerate(lines + odd):
        weight, style = (("normal", "normal"), ("bold", "normal"), ("normal", "italic"))[i % 3]
        size = SIZES[i % len(SIZES)]
        assert text_size_points(line, size, weight, style) == matplotlib_size(line, size, weight, style), line


def test_widths_equal_matplotlibs_for_every_word_of_the_briefing():
    clear_caches()
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
    clear_caches()
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda s: text_size_points(s, 8.0, weight, "normal"), strings))
    assert got == [matplotlib_size(s, 8.0, weight, "normal") for s in strings]
