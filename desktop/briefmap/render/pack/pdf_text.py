"""Text written into a handout's PDF as glyph runs measured once per glyph.

matplotlib's PDF backend shapes every string it draws (libraqm) and loads every glyph
again, for text that in a briefing pack is plain Latin, Cyrillic or Greek set in one
face, without ligatures. Here each run is written as its glyph codes with the face's own
kerning, from advances read once per glyph: the same positions to within a few
hundredths of a point, a fraction of the time. The glyphs are registered with the file
as matplotlib registers them, so the fonts are embedded as subsets with their Unicode
map and the words stay searchable.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from briefmap.render.pack.fonts import face
from briefmap.render.pack.text_measures import font_key

# Per PDF file, per font (file, face): character -> (font subset, code), so each glyph is
# registered with the file's subsetter once, not once per use. Keyed by plain strings: a
# FontPath key hashes and compares in Python, for every character drawn.
_CODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _number(value: float) -> bytes:
    """A PDF number: short, and the same on every machine."""
    text = b"%.4f" % value
    text = text.rstrip(b"0").rstrip(b".")
    return b"0" if text in (b"", b"-0") else text


def write_glyphs(file, path: str, face_index: int, text: str, size: float, x: float, y: float,
                 angle: float = 0.0) -> None:
    """`text` in the font at `path`, `size` points, its baseline starting at (x, y) in
    points, turned `angle` degrees: BT, font, position, glyph codes with kerns, ET."""
    from matplotlib.backends.backend_pdf import pdfRepr
    from matplotlib.font_manager import FontPath

    metrics = face(path, face_index)
    font = metrics.font
    fpath = FontPath(font.fname, font.face_index)
    codes = _CODES.setdefault(file, {}).setdefault((font.fname, font.face_index), {})
    out = [b"BT"]
    shown: list[bytes] = []
    glyphs: list[int] = []
    current = None

    def flush_glyphs() -> None:
        if glyphs:
            shown.append(b"<" + b"".join(b"%04x" % g for g in glyphs) + b">")
            glyphs.clear()

    def flush() -> None:
        flush_glyphs()
        if shown:
            out.append(b"[" + b" ".join(shown) + b"] TJ")
            shown.clear()

    for ch, index, kern in metrics.run(text):
        got = codes.get(ch)
        if got is None:
            got = codes[ch] = file._character_tracker.track_glyph(font, ch, index)
        subset, code = got
        if subset != current:
            flush()
            out.append(pdfRepr(file.fontName(fpath, subset)) + b" " + _number(size) + b" Tf")
            if current is None:
                if angle:
                    a = math.radians(angle)
                    c, s = math.cos(a), math.sin(a)
                    out.append(b" ".join(_number(v) for v in (c, s, -s, c, x, y)) + b" Tm")
                else:
                    out.append(_number(x) + b" " + _number(y) + b" Td")
            current = subset
        if kern:
            flush_glyphs()
            shown.append(_number(-kern * 1000 / metrics.em))
        glyphs.append(code)
    flush()
    out.append(b"ET\n")
    file.write(b"\n".join(out))


def _single_face(prop, text: str, found: dict[tuple, list]) -> tuple[str, int] | None:
    """The font file that holds every character of `text` for `prop` (the first of the
    family's fonts), or None where fallback fonts are needed. `found` keeps each font's
    files (looking them up walks the whole fallback list)."""
    from matplotlib.font_manager import fontManager

    key = font_key(prop)
    paths = found.get(key)
    if paths is None:
        paths = found[key] = fontManager._find_fonts_by_props(prop)
    if not paths:
        return None
    path, index = str(paths[0]), getattr(paths[0], "face_index", 0)
    metrics = face(path, index)
    if any(metrics.glyph(ch)[0] == 0 for ch in text):
        return None
    return path, index


@contextmanager
def direct_pdf_text() -> Iterator[None]:
    """For this block, plain text drawn into a PDF (Type 42 fonts, no mathtext, no link)
    is written as glyph runs; anything else goes through matplotlib as before."""
    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import RendererPdf

    original = RendererPdf.draw_text
    fonts: dict[tuple, list] = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s or mpl.rcParams["pdf.fonttype"] != 42 or mpl.rcParams["pdf.use14corefonts"] \
                or gc.get_url() is not None:
            return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        found = _single_face(prop, s, fonts)
        if found is None:
            return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        self.check_gc(gc, gc._rgb)
        write_glyphs(self.file, found[0], found[1], s, prop.get_size_in_points(), x, y, angle)

    RendererPdf.draw_text = draw_text
    try:
        yield
    finally:
        RendererPdf.draw_text = original
