"""Sheet sizes and how a sheet of a given size is divided: header, map, side column or
bottom band (or a compact sheet with the legend on the map), footer. In inches."""

from __future__ import annotations

import math
from dataclasses import dataclass

# DejaVu Sans draws the sheet (it ships with matplotlib, so the layout is the same
# everywhere); the generic family brings the fallbacks that SVG and PDF readers use.
FONT_FAMILY = ["DejaVu Sans", "sans-serif"]
FONT_FALLBACKS = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"]
FONT = FONT_FAMILY

# The smallest sheet that still carries a readable title, map, scale and credits.
MIN_WIDTH_IN, MIN_HEIGHT_IN = 4.0, 2.5
SIDE_MIN_BODY = 1.5  # inches of map height a side column needs beside it
MIN_MAP_IN = 1.0  # the map's height once title, subtitle and credits have their room
MAX_PIXELS = 64_000_000  # 8000 × 8000: beyond, the image would not fit in memory comfortably


class SheetTooSmall(ValueError):
    """A sheet size no layout fits; the message names the minimum."""


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    width_in: float
    height_in: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


PRESETS = {
    p.id: p for p in (
        Preset("slide-16x9", "Slide 16:9 (1920 × 1080 px)", 12.8, 7.2, 150),
        Preset("a4-landscape", "A4 landscape, 300 dpi (3508 × 2480 px)", 3508 / 300, 2480 / 300, 300),
        Preset("a4-portrait", "A4 portrait, 300 dpi (2480 × 3508 px)", 2480 / 300, 3508 / 300, 300),
        Preset("square", "Square (1080 × 1080 px)", 7.2, 7.2, 150),
    )
}


@dataclass(frozen=True)
class SheetOptions:
    width_in: float
    height_in: float
    dpi: int
    side_column: bool = True
    inset: bool = True
    # The user's words for one export (None: the briefing's and the scenario's).
    title: str | None = None
    subtitle: str | None = None
    note: str | None = None
    # False: no title or subtitle, for a picture whose slide or page says them already.
    titled: bool = True

    @classmethod
    def from_preset(cls, preset: str, dpi: int | None = None, side_column: bool = True) -> SheetOptions:
        p = PRESETS[preset]
        return cls(p.width_in, p.height_in, dpi or p.dpi, side_column)

    @classmethod
    def from_pixels(cls, width: int, height: int, dpi: int, side_column: bool = True) -> SheetOptions:
        return cls(width / dpi, height / dpi, dpi, side_column)

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


def check_size(opts: SheetOptions) -> None:
    """Refuse a sheet no layout fits, naming the minimum at the sheet's dpi."""
    w, h = opts.pixels
    if opts.width_in < MIN_WIDTH_IN - 1e-9 or opts.height_in < MIN_HEIGHT_IN - 1e-9:
        mw, mh = math.ceil(MIN_WIDTH_IN * opts.dpi), math.ceil(MIN_HEIGHT_IN * opts.dpi)
        raise SheetTooSmall(
            f"a {w} × {h} px sheet at {opts.dpi} dpi is {opts.width_in:.2f} × {opts.height_in:.2f} in; "
            f"the smallest sheet is {MIN_WIDTH_IN:g} × {MIN_HEIGHT_IN:g} in ({mw} × {mh} px at {opts.dpi} dpi)")
    if w * h > MAX_PIXELS:
        raise SheetTooSmall(f"a {w} × {h} px sheet has more than {MAX_PIXELS:,} pixels; "
                            "lower --dpi or the size")


@dataclass(frozen=True)
class Layout:
    """Boxes in inches from the lower-left corner: (left, bottom, width, height)."""

    mode: str  # "side", "band" or "compact"
    k: float  # type scale
    pad: float
    map: tuple[float, float, float, float]
    column: tuple[float, float, float, float] | None


def plan(opts: SheetOptions, header_h: float, footer_h: float, band_need: float = 0.0) -> Layout:
    """Divide the sheet: a side column on a wide sheet, a bottom band on a tall one, and
    on a small one the legend goes onto the map (compact)."""
    W, H = opts.width_in, opts.height_in
    k = type_scale(W, H)
    pad = 0.32 * k
    body_h = H - header_h - footer_h - 0.08
    landscape = W / H >= 1.2
    mode = "compact"
    # A side column down to a short map: a legend beside the map hides nothing of it, where
    # a compact sheet's legend on the map hid a third of it (Armenia, on a 6 × 4 in sheet).
    if opts.side_column and landscape and W >= 5.0 and (body_h >= SIDE_MIN_BODY or W / H >= 2.5):
        mode = "side"
    elif opts.side_column and not landscape and H >= 5.0 and W >= 3.5:
        mode = "band"
    column = None
    map_l, map_b, map_w, map_h = pad, footer_h, W - 2 * pad, body_h
    if mode == "side":
        side_w = min(3.6 * k, max(0.3 * W, 1.7))
        map_w -= side_w + 0.25
        column = (W - pad - side_w, map_b, side_w, map_h)
    elif mode == "band":
        # As tall as its legend and text need, within reason: the map keeps most of the sheet.
        band_h = min(max(band_need, 0.18 * H), 0.4 * H)
        column = (pad, footer_h, W - 2 * pad, band_h)
        map_b, map_h = footer_h + band_h + 0.12, body_h - band_h - 0.12
    return Layout(mode, k, pad, (map_l, map_b, max(map_w, 0.5), max(map_h, 0.5)), column)


def type_scale(W: float, H: float) -> float:
    """Scale the type gently with the sheet, so a square post and an A4 page both read
    well and a small sheet stays legible (never below 6 pt for body text)."""
    return max(0.75, min(1.25, math.sqrt(W * H / (11.69 * 8.27))))
