"""The pack's fonts and how wide a text is in them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

FONT, MONO = "DejaVu Sans", "DejaVu Sans Mono"
# Ligatures off: a PDF's "fi" glyph would be found by no search for "first", and each
# ligature costs the file a second copy of the font.
FEATURES = ("-liga",)


class _Metrics:
    """A font's unhinted advances and kerning in font units, read once per glyph: far
    cheaper than shaping every word, and what the PDF places to within a hair."""

    def __init__(self, path: str, face_index: int = 0):
        from matplotlib.ft2font import FT2Font

        # A face of our own: matplotlib's shared one keeps its state between its calls.
        self.font = FT2Font(path, face_index=face_index)
        self.em = self.font.units_per_EM
        self.advance: dict[str, tuple[int, int]] = {}
        self.kern: dict[tuple[int, int], int] = {}

    def glyph(self, ch: str) -> tuple[int, int]:
        got = self.advance.get(ch)
        if got is None:
            from matplotlib.ft2font import LoadFlags

            index = self.font.get_char_index(ord(ch))
            glyph = self.font.load_glyph(index, flags=LoadFlags.NO_HINTING | LoadFlags.NO_SCALE)
            got = self.advance[ch] = (index, glyph.horiAdvance)
        return got

    def kerning(self, prev: int, index: int) -> int:
        pair = (prev, index)
        k = self.kern.get(pair)
        if k is None:
            from matplotlib.ft2font import Kerning

            k = self.kern[pair] = self.font.get_kerning(prev, index, Kerning.UNSCALED)
        return k

    def width(self, text: str) -> float:
        """Width in ems."""
        return sum(adv + kern for _ch, _index, kern, adv in self._placed(text)) / self.em

    def run(self, text: str) -> list[tuple[str, int, int]]:
        """Each character with its glyph and the kerning before it (font units): the
        text placed exactly as `width` measured it."""
        return [(ch, index, kern) for ch, index, kern, _adv in self._placed(text)]

    def _placed(self, text: str) -> list[tuple[str, int, int, int]]:
        # Every character of every page goes through here: the kept advances and kerns
        # are read straight from their dictionaries, the font asked only on a miss.
        advance, kerns, glyph, kerning = self.advance, self.kern, self.glyph, self.kerning
        out, prev = [], None
        for ch in text:
            got = advance.get(ch)
            index, adv = got if got is not None else glyph(ch)
            if prev is None:
                kern = 0
            else:
                kern = kerns.get((prev, index))
                if kern is None:
                    kern = kerning(prev, index)
            out.append((ch, index, kern, adv))
            prev = index
        return out


@cache
def face(path: str, face_index: int = 0) -> _Metrics:
    """The advances and kerning of the font in this file."""
    return _Metrics(path, face_index)


@cache
def _metrics(bold: bool, italic: bool, mono: bool) -> _Metrics:
    from matplotlib.font_manager import FontProperties, findfont

    prop = FontProperties(family=MONO if mono else FONT, weight="bold" if bold else "normal",
                          style="italic" if italic else "normal")
    return face(findfont(prop))


def metrics(bold: bool = False, italic: bool = False, mono: bool = False) -> _Metrics:
    """The face a typeset run is measured and drawn with."""
    return _metrics(bold, italic, mono)


@cache
def text_width(text: str, size: float, bold: bool = False, italic: bool = False, mono: bool = False) -> float:
    """Width in inches of `text` set unhinted at `size` points."""
    return _metrics(bold, italic, mono).width(text) * size / 72


# Tables a PDF never reads from an embedded font: it places every glyph itself.
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern")


@contextmanager
def lean_font_subsets() -> Iterator[None]:
    """Embed fonts without their layout tables (GSUB, GPOS, GDEF, kern).

    A PDF places every glyph itself, so the embedded subset never needs them. They are
    dropped as the font file is opened, before the subsetter would parse them (fontTools
    reads GSUB and GPOS whole before it drops any table): embedding a face costs a
    fraction of the time, and the file is a little smaller. matplotlib subsets with
    fontTools' `Options` and `load_font`, which are swapped for this block only."""
    from fontTools import subset

    base, load = subset.Options, subset.load_font

    class LeanOptions(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.drop_tables = [*self.drop_tables, *_LAYOUT_TABLES]
            self.layout_features = []

    def lean_load(font_file, options, **kwargs):
        font = load(font_file, options, **kwargs)
        for tag in _LAYOUT_TABLES:
            if tag in font:
                del font[tag]
        return font

    subset.Options, subset.load_font = LeanOptions, lean_load
    try:
        yield
    finally:
        subset.Options, subset.load_font = base, load
