"""What the handout does to draw its pages sooner changes nothing in them: labels measured
and outlined once per process draw the same bytes, streams deflated by zlib-ng hold the
same page operators and text, and the pages are shared out by cost, the joining process
carrying its own share."""

from __future__ import annotations

import io
from contextlib import ExitStack

import matplotlib
from matplotlib import patheffects
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader

from briefmap.render.pack.fonts import lean_font_subsets
from briefmap.render.pack.handout import RC, labels_as_text
from briefmap.render.pack.lines import break_lines, broken_lines
from briefmap.render.pack.markdown import Run
from briefmap.render.pack.parallel import halves
from briefmap.render.pack.pdf_deflate import fast_streams
from briefmap.render.pack.pdf_text import direct_pdf_text
from briefmap.render.pack.text_measures import kept_text_measures

LABELS = [("Stepanakert / Khankendi", 9.0, "normal"), ("ARMENIA", 12.0, "bold"), ("Lachin corridor", 7.5, "normal"),
          ("Nakhchivan", 9.0, "normal"), ("Two lines\nof a label", 8.0, "normal")]


def _sheet() -> Figure:
    """A map-like page: labels with white halos (as the sheets draw them), on an axes."""
    fig = Figure(figsize=(6, 4), dpi=72, facecolor="white")
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
    ax.fill([0, 1, 1, 0], [0, 0, 1, 1], color="#f3f0e8")
    for k, (text, size, weight) in enumerate(LABELS):
        ax.text(0.1 + 0.15 * k, 0.2 + 0.15 * k, text, fontsize=size, fontweight=weight, parse_math=False,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
    labels_as_text(fig)
    return fig


def _pdf(pages: int, keep: bool, fast: bool = False) -> bytes:
    out = io.BytesIO()
    with ExitStack() as stack:
        stack.enter_context(matplotlib.rc_context(RC))
        stack.enter_context(lean_font_subsets())
        stack.enter_context(direct_pdf_text())
        if keep:
            stack.enter_context(kept_text_measures())
        if fast:
            stack.enter_context(fast_streams())
        with PdfPages(out, metadata={"CreationDate": None}) as pdf:
            for _ in range(pages):  # a new figure each time, as each scenario's sheet is
                pdf.savefig(_sheet())
    return out.getvalue()


def test_labels_measured_and_outlined_once_draw_the_same_bytes():
    # The second and third pages draw from what the first measured and outlined.
    assert _pdf(3, keep=True) == _pdf(3, keep=False)


def test_a_keep_inside_a_keep_leaves_the_outer_one_in_charge():
    from matplotlib.backends.backend_pdf import RendererPdf

    before = RendererPdf.get_text_width_height_descent
    with kept_text_measures():
        outer = RendererPdf.get_text_width_height_descent
        with kept_text_measures():
            assert RendererPdf.get_text_width_height_descent is outer
        assert RendererPdf.get_text_width_height_descent is outer
    assert RendererPdf.get_text_width_height_descent is before


def test_fast_streams_hold_the_same_pages_and_text():
    ours, theirs = _pdf(2, keep=False, fast=True), _pdf(2, keep=False)
    assert ours != theirs  # another deflate was used
    a, b = PdfReader(io.BytesIO(ours)), PdfReader(io.BytesIO(theirs))
    assert len(a.pages) == len(b.pages) == 2
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert pa.get_contents().get_data() == pb.get_contents().get_data()
        assert pa.extract_text() == pb.extract_text()
        assert "Stepanakert / Khankendi" in pa.extract_text()
    assert _pdf(2, keep=True, fast=True) == _pdf(2, keep=True, fast=True)  # and the same bytes on a rerun


def test_kept_lines_are_the_lines_broken_afresh():
    runs = (Run("The 2024 delimitation sections run along the "), Run("Tavush", bold=True),
            Run(" border, where villages"), Run("1", note=1), Run(" lie on both sides of the new line."))
    for width in (1.2, 2.5, 6.5):
        fresh = break_lines(list(runs), 10.0, width)
        kept = broken_lines(runs, 10.0, width)
        assert [[(p.text, p.run, p.size, p.space) for p in line] for line in kept] == \
               [[(p.text, p.run, p.size, p.space) for p in line] for line in fresh]
        assert len(kept) > 1 or width == 6.5


def test_pages_are_shared_by_cost_and_the_joining_process_draws_less():
    sheets_and_text = [26.0, 26.0, 13.5, 26.0, 7.5] + [1.0] * 9
    first, second = halves(sheets_and_text, head=6.0)
    assert sorted(first + second) == list(range(len(sheets_and_text)))
    load = [sum(sheets_and_text[i] for i in part) for part in (first, second)]
    assert abs(load[0] + 6.0 - load[1]) <= max(sheets_and_text)
    even = [1.0] * 10
    first, second = halves(even, head=4.0)
    assert (len(first), len(second)) == (3, 7)
    assert halves(even) == (list(range(0, 10, 2)), list(range(1, 10, 2)))


def test_fonts_found_once_per_face_are_the_fonts_matplotlib_finds_at_each_size():
    from matplotlib.font_manager import FontProperties, fontManager

    props = [FontProperties(family=["DejaVu Sans", "sans-serif"], size=size, weight=weight, style=style)
             for size in (5.2, 9.0, 12.5, 24.0) for weight in ("normal", "bold") for style in ("normal", "italic")]
    props.append(FontProperties(family="DejaVu Sans Mono", size=8.5))
    fresh = [fontManager._find_fonts_by_props(p) for p in props]
    with matplotlib.rc_context(RC), kept_text_measures():
        kept = [fontManager._find_fonts_by_props(p) for p in props]
        again = [fontManager._find_fonts_by_props(p) for p in props]
    assert kept == fresh == again
    assert len({tuple(f) for f in fresh}) == 5  # four faces of the sans, one mono
    assert "_find_fonts_by_props" not in vars(fontManager)  # the manager's own method again
