"""Artists to Qt images: a layer's cached image (cropped to what was drawn) and label
sprites (each label drawn once by matplotlib, with its own font and halo, then only
placed: the same text artists the export draws)."""

from __future__ import annotations

import math
import sys

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Affine2D
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage


class Raster:
    """A cached rendering: the image and where its top-left corner goes (device pixels)."""

    __slots__ = ("image", "origin")

    def __init__(self, image: QImage | None, origin: QPoint):
        self.image = image
        self.origin = origin


EMPTY = Raster(None, QPoint(0, 0))
_LITTLE_ENDIAN = sys.byteorder == "little"
_ANY_ALPHA = np.uint32(1 << 24)  # a pixel word at or above this has a non-zero alpha byte
SCRATCH = (1024, 256)  # device pixels of the canvas sprites are drawn on; a bigger label gets its own


def render_artists(artists: list, width: int, height: int, dpi: float, ratio: float) -> Raster:
    """Draw the visible artists with Agg at the canvas's size; crop to the drawn pixels."""
    visible = [a for a in artists if a.get_visible()]
    if not visible:
        return EMPTY
    renderer = RendererAgg(width, height, dpi)
    for a in visible:
        a.draw(renderer)
    return finish(renderer, ratio)


def finish(renderer: RendererAgg, ratio: float) -> Raster:
    """A drawn Agg canvas as a Qt image, cropped to the drawn pixels."""
    rgba = np.asarray(renderer.buffer_rgba())
    height, width = rgba.shape[:2]
    # Crop to what was drawn, so compositing blends only those pixels. Read as one word per
    # pixel (little-endian: alpha is the high byte), a row's largest word says whether any of
    # its pixels was drawn: one pass over contiguous words rather than over every fourth byte.
    if _LITTLE_ENDIAN:
        words = rgba.view(np.uint32).reshape(height, width)
        rows = np.flatnonzero(words.max(axis=1) >= _ANY_ALPHA)
        if rows.size == 0:
            return EMPTY
        cols = np.flatnonzero(words[rows[0]:rows[-1] + 1].max(axis=0) >= _ANY_ALPHA)
    else:
        alpha = rgba[:, :, 3]
        rows = np.flatnonzero(alpha.max(axis=1))
        if rows.size == 0:
            return EMPTY
        cols = np.flatnonzero(alpha[rows[0]:rows[-1] + 1].max(axis=0))
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    # QImage reads the crop where it is (its rows a canvas width apart); convertToFormat
    # makes the copy Qt owns (and blends fastest).
    borrowed = QImage(rgba.reshape(-1)[(y0 * width + x0) * 4:], x1 - x0, y1 - y0, width * 4,
                      QImage.Format.Format_RGBA8888)
    image = borrowed.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    del borrowed
    image.setDevicePixelRatio(ratio)
    return Raster(image, QPoint(x0, y0))


class Sprites:
    """Label images keyed by everything that changes their look; kept across zooms and pans.

    Every sprite is measured and drawn on one scratch canvas: matplotlib keeps a text's
    layout per renderer, so the layout worked out to size a sprite is the one its drawing
    uses (measured on the map's canvas and drawn on a fresh one, each text was laid out
    twice)."""

    def __init__(self) -> None:
        self.images: dict[tuple, Raster] = {}
        self._figure: Figure | None = None
        self._canvas: RendererAgg | None = None

    def __len__(self) -> int:
        return len(self.images)

    @staticmethod
    def _key(ann, dpi: float) -> tuple:
        return (ann.get_text(), ann.get_fontsize(), ann.get_fontweight(), ann.get_fontstyle(), ann.get_color(),
                ann.get_ha(), ann.get_va(), tuple(ann.xyann), bool(ann.get_path_effects()), dpi)

    def cached(self, ann, ax, _ratio: float) -> Raster | None:
        """The label's image if it was drawn before, else None."""
        return self.images.get(self._key(ann, ax.figure.dpi))

    def get(self, ann, ax, ratio: float) -> Raster:
        """The label's image, with the offset from its anchor point to the image's corner."""
        figure = ax.figure
        dpi = figure.dpi
        key = self._key(ann, dpi)
        cached = self.images.get(key)
        if cached is not None:
            return cached
        if self._figure is None or self._figure.dpi != dpi:
            # One scratch figure for every sprite: a text needs a figure for its dpi only.
            self._figure = Figure(figsize=(1, 1), dpi=dpi, facecolor="none")
            FigureCanvasAgg(self._figure)
            self._canvas = RendererAgg(SCRATCH[0], SCRATCH[1], dpi)
        canvas = self._canvas
        # The same text, with the same alignment, drawn on the scratch canvas.
        text = Text(0, 0, ann.get_text())
        text.update_from(ann)
        text.set_path_effects(ann.get_path_effects())
        text.set_figure(self._figure)
        dx, dy = ann.xyann
        ax_px, ay_px = ax.transData.transform(ann.xy)
        # The text's own box where the map puts it: the sprite is the text alone (the canvas
        # draws leader lines itself).
        if ann.anncoords == "offset points" and ann.xycoords == "data":
            # The annotation's placement as matplotlib makes it (points from the anchor's
            # pixel), given to the copy: annotation.update_positions would lay out its
            # leader arrow too, for nothing.
            text.set_transform(Affine2D().scale(dpi / 72.0).translate(ax_px, ay_px))
            text.set_position((dx, dy))
            box = text.get_window_extent(canvas)
        else:
            ann.update_positions(canvas)
            box = Text.get_window_extent(ann, canvas)
        pad = 4.0 * dpi / 72.0  # room for the halo
        w, h = math.ceil(box.width + 2 * pad), math.ceil(box.height + 2 * pad)
        ox, oy = pad - (box.x0 - ax_px), pad - (box.y0 - ay_px)  # anchor's place in the sprite (y up)
        text.set_transform(self._figure.dpi_scale_trans + Affine2D().translate(ox, oy))
        text.set_position((dx / 72.0, dy / 72.0))
        if w <= canvas.width and h <= canvas.height:
            text.draw(canvas)
            # The sprite is the canvas's bottom-left w × h (device rows run down from the top).
            rgba = np.asarray(canvas.buffer_rgba())[canvas.height - h:, :w].tobytes()
            canvas.clear()
        else:  # a long callout: a canvas of its own
            own = RendererAgg(w, h, dpi)
            text.draw(own)
            rgba = np.asarray(own.buffer_rgba()).tobytes()
        image = QImage(rgba, w, h, w * 4, QImage.Format.Format_RGBA8888).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        sprite = Raster(image, QPoint(round(-ox), round(-(h - oy))))
        self.images[key] = sprite
        return sprite
