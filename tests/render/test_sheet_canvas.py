"""The sheet's PNG canvas draws exactly what matplotlib's Agg canvas draws: every pixel of
real sheets, and of text it has to handle (rotated, haloed, without anti-aliasing, glyphs
from a fallback font, mathtext's rules)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from briefmap.model.view import scenario_state
from briefmap.render.export import sheet_rc
from briefmap.render.sheet import SheetOptions, build_sheet
from briefmap.render.sheet_canvas import SheetCanvas, SheetRenderer


def pixels(fig, canvas_class) -> np.ndarray:
    canvas = canvas_class(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("scenario, size", [("overview", (1754, 1240)), ("collapse", (1200, 1200))])
def test_sheets_pixel_for_pixel(briefing, tables, scenario, size):
    opts = SheetOptions.from_pixels(*size, 150, True)
    with matplotlib.rc_context(sheet_rc()):
        fig, _ = build_sheet(briefing, tables, scenario_state(briefing, scenario), opts)
        stock = pixels(fig, FigureCanvasAgg)
        ours = pixels(fig, SheetCanvas)
    assert isinstance(fig.canvas.get_renderer(), SheetRenderer)
    assert stock.shape == (size[1], size[0], 4)
    assert (stock[:, :, :3] < 128).any()  # words and lines were drawn
    assert np.array_equal(ours, stock)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_awkward_text_pixel_for_pixel():
    fig = Figure(figsize=(4, 3), dpi=200)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    fig.text(0.1, 0.8, "Yerevan · Երևան · Bakı · Ağdam", fontsize=9, path_effects=halo, color="#333333")
    fig.text(0.2, 0.3, "Syunik / Zangezur", fontsize=8, rotation=33, style="italic")
    fig.text(0.5, 0.5, "Ganja\nGazakh", fontsize=11, weight="bold", rotation=-75, ha="center")
    fig.text(0.1, 0.1, "no anti-aliasing", fontsize=10, antialiased=False)
    fig.text(0.6, 0.15, r"$\frac{1}{2}\sqrt{x}$", fontsize=12)  # mathtext: rules drawn as boxes
    fig.text(0.55, 0.7, "漢字 fallback", fontsize=9, family=["DejaVu Sans", "sans-serif"])
    assert np.array_equal(pixels(fig, SheetCanvas), pixels(fig, FigureCanvasAgg))


def test_drawn_again_on_the_same_canvas_the_same():
    """A second drawing clears what the first left (a new renderer starts cleared)."""
    fig = Figure(figsize=(3, 2), dpi=100)
    fig.patch.set_alpha(0.0)
    label = fig.text(0.2, 0.5, "Lachin corridor", fontsize=12,
                     path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    canvas = SheetCanvas(fig)
    canvas.draw()
    first = np.asarray(canvas.buffer_rgba()).copy()
    label.set_position((0.5, 0.2))
    canvas.draw()
    label.set_position((0.2, 0.5))
    canvas.draw()
    assert np.array_equal(np.asarray(canvas.buffer_rgba()), first)
    assert first[:, :, 3].any() and not first[0, 0, 3]  # drawn, on a transparent sheet
