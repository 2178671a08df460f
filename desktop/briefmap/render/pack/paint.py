"""A page's typeset text and rules drawn onto a matplotlib Figure."""

from __future__ import annotations

import weakref
from functools import cache

from matplotlib.artist import Artist
from matplotlib.font_manager import FontPath, FontProperties
from matplotlib.lines import Line2D

from briefmap.render.pack.fonts import FEATURES, FONT, MONO, metrics
from briefmap.render.pack.lines import TextOp

# Per PDF file: (font file, character, glyph) -> (font subset, code), so each glyph is
# registered with the file's subsetter once, not once per use.
_CODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@cache
def _prop(size: float, bold: bool, italic: bool, mono: bool) -> FontProperties:
    return FontProperties(family=MONO if mono else FONT, size=size, weight="bold" if bold else "normal",
                          style="italic" if italic else "normal")


def _number(value: float) -> bytes:
    """A PDF number: short, and the same on every machine."""
    text = b"%.4f" % value
    return text.rstrip(b"0").rstrip(b".") or b"0"


class TextRuns(Artist):
    """All of a page's text as one artist. The typesetter has already placed every run
    on its baseline, so each goes straight to the renderer as plain text (never
    mathtext), without a Text artist's second layout pass.

    In a PDF the runs are written as text operators with the glyphs and kerning the
    typesetter measured (the same unhinted advances the embedded font carries), so a
    line is drawn exactly as wide as it was laid out, and without shaping every run
    again glyph by glyph. The glyphs are registered with the file like any other
    text: the fonts are embedded as subsets with their Unicode map, and the words stay
    searchable."""

    def __init__(self, ops: list[TextOp]):
        super().__init__()
        self.ops = ops

    # What a renderer asks of the text it draws.
    def get_fontfeatures(self):
        return FEATURES

    def get_language(self):
        return None

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        import matplotlib as mpl
        from matplotlib.backends.backend_pdf import RendererPdf

        target = getattr(renderer, "_renderer", renderer)  # a PDF's MixedModeRenderer draws through it
        tr = self.figure.dpi_scale_trans
        gc = renderer.new_gc()
        direct = isinstance(target, RendererPdf) and mpl.rcParams["pdf.fonttype"] == 42
        for op in self.ops:
            x, y = tr.transform((op.x, op.y))
            gc.set_foreground(op.color)
            if direct:
                target.check_gc(gc, gc._rgb)
                _write_run(target.file, op, x, y)
            else:
                renderer.draw_text(gc, x, y, op.text, _prop(op.size, op.bold, op.italic, op.mono), 0.0,
                                   ismath=False, mtext=self)
        gc.restore()
        self.stale = False


def _write_run(file, op: TextOp, x: float, y: float) -> None:
    """One run as a PDF text object: BT, font, position, glyph codes with kerns, ET."""
    from matplotlib.backends.backend_pdf import pdfRepr

    face = metrics(op.bold, op.italic, op.mono)
    font = face.font
    path = FontPath(font.fname, font.face_index)
    codes = _CODES.setdefault(file, {})
    size = _number(op.size)
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

    for ch, index, kern in face.run(op.text):
        key = (path, ch, index)
        got = codes.get(key)
        if got is None:
            got = codes[key] = file._character_tracker.track_glyph(font, ch, index)
        subset, code = got
        if subset != current:
            flush()
            out.append(pdfRepr(file.fontName(path, subset)) + b" " + size + b" Tf")
            if current is None:
                out.append(_number(x) + b" " + _number(y) + b" Td")
            current = subset
        if kern:
            flush_glyphs()
            shown.append(_number(-kern * 1000 / face.em))
        glyphs.append(code)
    flush()
    out.append(b"ET\n")
    file.write(b"\n".join(out))


def draw(fig, ops: list) -> None:
    """Put a page's text and rules on a Figure whose size is the page's, in inches."""
    tr = fig.dpi_scale_trans
    for op in ops:
        if not isinstance(op, TextOp):
            fig.add_artist(Line2D([op.x0, op.x1], [op.y0, op.y1], transform=tr, color=op.color,
                                  linewidth=op.width, solid_capstyle="butt"))
    fig.add_artist(TextRuns([op for op in ops if isinstance(op, TextOp)]))
