"""The window legend's swatches (render/legend.py swatch_rgba) are what a figure holding
the swatch's artists draws: the same pixels, however they are made."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from briefmap.model.view import scenario_state
from briefmap.render.legend import legend_items, swatch_artists, swatch_rgba
from briefmap.render.map_layers import MapRenderer
from briefmap.render.sheet import default_extent


def _figure_drawn(item, width_pt: float, height_pt: float, dpi: float) -> np.ndarray:
    fig = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=dpi, facecolor="none")
    canvas = FigureCanvasAgg(fig)
    for art in swatch_artists(item, 0.04, 0.0, 0.92, 1.0, fig.transFigure):
        fig.add_artist(art)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("dpi", [96.0, 192.0])
def test_every_swatch_of_every_layer_is_the_figure_drawn_one(briefing, tables, dpi):
    fig = Figure(figsize=(8, 6), dpi=100)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, "overview")
    r.apply(state.with_(visible=tuple(spec.id for spec in briefing.layers)))  # every kind of symbol
    r.set_extent(default_extent(briefing, state))
    items = legend_items(r)
    assert len(items) > 15
    for item in items:
        for size in ((27.0, 10.5), (40.0, 20.0)):
            got = swatch_rgba(item, *size, dpi)
            assert got[:, :, 3].any(), item.label
            assert np.array_equal(got, _figure_drawn(item, *size, dpi)), item.label
