"""A page's typeset text and rules drawn onto a matplotlib Figure."""

from __future__ import annotations

from functools import cache

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

from briefmap.render.pack.fonts import FEATURES, FONT, MONO, metrics
from briefmap.render.pack.lines import TextOp
from briefmap.render.pack.pdf_text import write_glyphs


@cache
def _prop(size: float, bold: bool, italic: bool, mono: bool) -> FontProperties:
    return FontProperties(family=MONO if mono else FONT, size=size, weight="bold" if bold else "normal",
                          style="italic" if italic else "normal")


class TextRuns(Artist):
    """All of a page's text as one artist. The typesetter has already placed every run
    on its baseline, so each goes straight to the renderer as plain text (never
    mathtext), without a Text artist's second layout pass.

    In a PDF the runs are written as glyph runs (pdf_text) with the advances and
    kerning the typesetter measured, so a line is drawn exactly as wide as it was laid
    out."""

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
                font = metrics(op.bold, op.italic, op.mono).font
                write_glyphs(target.file, font.fname, font.face_index, op.text, op.size, x, y)
            else:
                renderer.draw_text(gc, x, y, op.text, _prop(op.size, op.bold, op.italic, op.mono), 0.0,
                                   ismath=False, mtext=self)
        gc.restore()
        self.stale = False


def draw(fig, ops: list) -> None:
    """Put a page's text and rules on a Figure whose size is the page's, in inches."""
    tr = fig.dpi_scale_trans
    for op in ops:
        if not isinstance(op, TextOp):
            fig.add_artist(Line2D([op.x0, op.x1], [op.y0, op.y1], transform=tr, color=op.color,
                                  linewidth=op.width, solid_capstyle="butt"))
    fig.add_artist(TextRuns([op for op in ops if isinstance(op, TextOp)]))
