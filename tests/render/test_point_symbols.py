"""Point symbols are made as a collection directly (not through `Axes.scatter`): what the
user sees must be exactly what scatter draws, for every marker the schema allows, every
size (including none), an offset marker, and any number of points."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from briefmap.data.schema import MARKERS
from briefmap.model.briefing import Style
from briefmap.render import artists
from briefmap.render.geometry import marker_transform


def scatter_reference(ax, style: Style, points: list, z: float):
    """What a point group drew before: `Axes.scatter` with the style's settings."""
    offsets = np.concatenate(points) if points else np.zeros((0, 2))
    art = ax.scatter(offsets[:, 0], offsets[:, 1], s=style.markersize ** 2, marker=style.marker,
                     c=[artists.rgba(style.color, style.alpha)], edgecolors=style.markeredgecolor,
                     linewidths=0.6 if style.markersize else 0, zorder=z + 2 - style.markersize / 100)
    art.set_offset_transform(marker_transform(ax, style))
    return art


def pixels(fig: Figure, ax, only) -> np.ndarray:
    for c in ax.collections:
        c.set_visible(c is only)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("marker", MARKERS)
def test_point_symbols_draw_exactly_as_scatter_does(marker):
    fig = Figure(figsize=(3, 2), dpi=120)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    rng = np.random.default_rng(7)
    for size, n, dx in ((0.0, 3, 0.0), (4.0, 1, 0.0), (9.0, 4, 0.0), (6.0, 30, 3.0)):
        style = dataclasses.replace(Style(id="s"), marker=marker, markersize=size, color="#aa3300", alpha=0.7,
                                    markeredgecolor="#203040", marker_dx=dx, marker_dy=-dx)
        points = [rng.uniform(0.5, 9.5, (1, 2)) for _ in range(n - 1)] + [rng.uniform(0.5, 9.5, (2, 2))]
        ref = scatter_reference(ax, style, points, 20)
        group = artists._scatter(ax, style, list(range(n)), points, 20)
        made = group.artist
        assert group.kind == "point" and group.items is points
        assert made.get_zorder() == ref.get_zorder()
        assert np.array_equal(made.get_offsets(), ref.get_offsets())
        assert np.array_equal(made.get_sizes(), ref.get_sizes())
        assert np.array_equal(made.get_facecolor(), ref.get_facecolor())
        assert np.array_equal(made.get_edgecolor(), ref.get_edgecolor())
        assert np.array_equal(made.get_linewidth(), ref.get_linewidth())
        assert np.array_equal(made.get_paths()[0].vertices, ref.get_paths()[0].vertices)
        assert made.get_clip_on() and np.array_equal(made.get_clip_box().get_points(), ref.get_clip_box().get_points())
        assert np.array_equal(pixels(fig, ax, made), pixels(fig, ax, ref))
        # A date that hides some features swaps the offsets in place; both still agree.
        for art in (made, ref):
            art.set_offsets(np.concatenate(points[1:]) if n > 1 else np.zeros((0, 2)))
        assert np.array_equal(pixels(fig, ax, made), pixels(fig, ax, ref))
