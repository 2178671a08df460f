"""The sheet's PNG writer produces standard PNGs that decode to the very pixels."""

from __future__ import annotations

import io
import zlib

import numpy as np
from PIL import Image

from briefmap.render import png


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_opaque_image_round_trips_as_rgb():
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (333, 517, 4), dtype=np.uint8)
    rgba[:, :, 3] = 255
    im = decode(png.encode(rgba, {"Title": "Südkaukasus — test", "briefmap:view": '{"a": 1}'}))
    assert im.mode == "RGB"
    assert np.array_equal(np.asarray(im), rgba[:, :, :3])
    assert im.text["Title"] == "Südkaukasus — test"
    assert im.text["briefmap:view"] == '{"a": 1}'


def test_transparent_image_keeps_alpha():
    rgba = np.zeros((70, 90, 4), dtype=np.uint8)
    rgba[10:20, 30:60] = (200, 10, 10, 128)
    im = decode(png.encode(rgba))
    assert im.mode == "RGBA" and np.array_equal(np.asarray(im), rgba)


def test_same_pixels_same_bytes():
    rgba = np.full((400, 300, 4), 255, dtype=np.uint8)
    rgba[::7, ::5] = (0, 100, 200, 255)
    assert png.encode(rgba) == png.encode(rgba, threads=1) == png.encode(rgba)


def test_adler32_combine_matches_zlib():
    a, b = bytes(range(256)) * 50, bytes(reversed(range(256))) * 33
    assert png._adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


def test_zlib_stands_in_for_zlib_ng_with_the_same_pixels(monkeypatch):
    """A build without zlib-ng writes other bytes, never other pixels."""
    rng = np.random.default_rng(7)
    rgba = np.full((700, 450, 4), 255, dtype=np.uint8)
    rgba[100:400, 50:300, :3] = rng.integers(0, 256, (300, 250, 3), dtype=np.uint8)
    assert png._deflate.__name__ == "zlib_ng.zlib_ng"  # a dependency: installed with briefmap
    with_ng = png.encode(rgba, {"Title": "Ərazi"}, dpi=300)
    monkeypatch.setattr(png, "_deflate", zlib)
    with_zlib = png.encode(rgba, {"Title": "Ərazi"}, dpi=300)
    for data in (with_ng, with_zlib):
        im = decode(data)
        assert np.array_equal(np.asarray(im), rgba[:, :, :3])
        assert im.text["Title"] == "Ərazi" and round(im.info["dpi"][0]) == 300


def test_a_sheet_deflates_to_the_same_bytes_every_time(briefing, tables):
    """The same rows give the same stream whatever ran before (ISA-L, used before, gave
    another valid stream now and then: a band and a whole drawing differed in bytes)."""
    import matplotlib

    from briefmap.model.view import scenario_state
    from briefmap.render.export import sheet_rc
    from briefmap.render.sheet import SheetOptions, build_sheet
    from briefmap.render.sheet_canvas import SheetCanvas

    with matplotlib.rc_context(sheet_rc()):
        opts = SheetOptions.from_pixels(1240, 1754, 150, True)
        canvas = SheetCanvas(build_sheet(briefing, tables, scenario_state(briefing, "collapse"), opts)[0])
        canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    first = png.encode(rgba)
    rng = np.random.default_rng(5)
    for i in range(40):
        churn = [rng.integers(0, 256, 1 << 18, dtype=np.uint8) for _ in range(i % 4)]  # the heap as it goes
        assert png.encode(rgba, threads=1 + i % 3) == first, i
        del churn
    assert np.array_equal(np.asarray(decode(first)), rgba[:, :, :3])
