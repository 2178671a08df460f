"""Artists to Qt images (ui/raster.py): a layer's image cropped to what was drawn, and label
sprites measured and drawn on one scratch canvas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D
from PySide6.QtGui import QImage

from briefmap.ui.raster import EMPTY, SCRATCH, Sprites, finish


def _pixels(image: QImage) -> np.ndarray:
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888_Premultiplied)
    rows = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * rgba.height())
    return rows.reshape(rgba.height(), -1)[:, :rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4).copy()


def _premultiplied(rgba: np.ndarray) -> np.ndarray:
    image = QImage(rgba.tobytes(), rgba.shape[1], rgba.shape[0], rgba.shape[1] * 4, QImage.Format.Format_RGBA8888)
    return _pixels(image)


def test_a_layer_image_is_cropped_to_the_drawn_pixels(qapp):
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    renderer = RendererAgg(400, 300, 100)
    patch = Rectangle((0.3, 0.2), 0.25, 0.1, transform=fig.transFigure, facecolor=(0.9, 0.2, 0.1, 0.6),
                      edgecolor="none")
    patch.set_figure(fig)
    patch.draw(renderer)
    canvas = np.asarray(renderer.buffer_rgba()).copy()
    drawn_rows = np.flatnonzero(canvas[:, :, 3].any(axis=1))
    drawn_cols = np.flatnonzero(canvas[:, :, 3].any(axis=0))

    raster = finish(renderer, 1.0)
    assert (raster.origin.x(), raster.origin.y()) == (drawn_cols[0], drawn_rows[0])
    assert (raster.image.width(), raster.image.height()) == (drawn_cols.size, drawn_rows.size)
    region = canvas[drawn_rows[0]:drawn_rows[-1] + 1, drawn_cols[0]:drawn_cols[-1] + 1]
    assert np.array_equal(_pixels(raster.image), _premultiplied(region))


def test_a_single_drawn_pixel_in_a_corner_and_an_empty_canvas(qapp):
    renderer = RendererAgg(50, 40, 100)
    buffer = np.asarray(renderer.buffer_rgba())
    assert finish(renderer, 1.0) is EMPTY
    buffer[39, 49] = (10, 20, 30, 40)  # bottom-right corner, barely opaque
    buffer[5, 7] = (1, 2, 3, 1)
    raster = finish(renderer, 1.0)
    assert (raster.origin.x(), raster.origin.y()) == (7, 5)
    assert (raster.image.width(), raster.image.height()) == (43, 35)
    assert np.array_equal(_pixels(raster.image), _premultiplied(buffer[5:40, 7:50].copy()))


def _label(ax, text: str, size: float = 10.0):
    ann = ax.annotate(text, (20.0, 30.0), xytext=(3.0, -2.5), textcoords="offset points", fontsize=size,
                      ha="center", va="center", fontweight="bold", color="#333355")
    ann.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground=(1, 1, 1, 0.85))])
    return ann


def _drawn_alone(ann, ax, sprite) -> np.ndarray:
    """The label drawn on a canvas of its own at the sprite's size, as the window once did."""
    dpi = ax.figure.dpi
    w, h = sprite.image.width(), sprite.image.height()
    ax_px, ay_px = ax.transData.transform(ann.xy)
    renderer = ax.figure.canvas.get_renderer()
    ann.update_positions(renderer)
    box = Text.get_window_extent(ann, renderer)
    pad = 4.0 * dpi / 72.0
    ox, oy = pad - (box.x0 - ax_px), pad - (box.y0 - ay_px)
    scratch = Figure(figsize=(1, 1), dpi=dpi)
    text = Text(0, 0, ann.get_text())
    text.update_from(ann)
    text.set_path_effects(ann.get_path_effects())
    text.set_figure(scratch)
    text.set_transform(scratch.dpi_scale_trans + Affine2D().translate(ox, oy))
    text.set_position((ann.xyann[0] / 72.0, ann.xyann[1] / 72.0))
    alone = RendererAgg(w, h, dpi)
    text.draw(alone)
    assert (sprite.origin.x(), sprite.origin.y()) == (round(-ox), round(-(h - oy)))
    assert (w, h) == (math.ceil(box.width + 2 * pad), math.ceil(box.height + 2 * pad))
    return _premultiplied(np.asarray(alone.buffer_rgba()).copy())


@pytest.mark.parametrize("text, size", [("Stepanakert / Khankendi", 9.0), ("Armenia", 14.0),
                                        ("Nagorno-Karabakh " * 12, 12.0)])
def test_a_sprite_is_the_label_as_drawn_on_its_own(qapp, text, size):
    fig = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    sprites = Sprites()
    first = sprites.get(_label(ax, "Yerevan"), ax, 1.0)  # the scratch canvas is shared: nothing carries over
    ann = _label(ax, text, size)
    sprite = sprites.get(ann, ax, 1.0)
    assert sprites.get(_label(ax, "Yerevan"), ax, 1.0) is first and len(sprites) == 2
    got = _pixels(sprite.image)
    assert got[:, :, 3].any()
    if len(text) > 100:  # wider than the scratch canvas: drawn on one of its own
        assert sprite.image.width() > SCRATCH[0]
    want = _drawn_alone(ann, ax, sprite)
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 2
