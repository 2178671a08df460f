"""A sheet's PNG made in two bands (a forked process draws the rows below the cut) is the
very file a single drawing makes; a band that fails leaves the whole drawing to this
process; and every text left out of a band really cannot reach it."""

from __future__ import annotations

import io
import os

import matplotlib
import numpy as np
import pytest

from briefmap.model.view import scenario_state
from briefmap.render import banded_png, png
from briefmap.render.export import export_sheet, sheet_rc
from briefmap.render.sheet import SheetOptions, build_sheet
from briefmap.render.sheet_canvas import SheetCanvas

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the two bands need fork (Linux)")


def sheet_maker(briefing, tables, scenario, size, dpi):
    opts = SheetOptions.from_pixels(*size, dpi, True)
    state = scenario_state(briefing, scenario)
    return lambda: build_sheet(briefing, tables, state, opts)[0]


def whole_png(fig, text, dpi) -> bytes:
    canvas = SheetCanvas(fig)
    canvas.draw()
    return png.encode(np.asarray(canvas.buffer_rgba()), text, dpi=dpi)


def pixels_of(data: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGBA"))


def how_they_differ(banded: bytes, whole: bytes, cut_row: int) -> str:
    """For a failure: the first differing byte, and whether the pixels differ (how many,
    in which rows, each side of the cut) or only the compressed bytes do."""
    n = min(len(banded), len(whole))
    first = next((i for i in range(n) if banded[i] != whole[i]), n)
    said = f"{len(banded)} vs {len(whole)} bytes, first difference at byte {first}"
    a, b = pixels_of(banded), pixels_of(whole)
    if a.shape != b.shape:
        return f"{said}; sizes {a.shape} vs {b.shape}"
    rows = np.flatnonzero((a != b).any(axis=(1, 2)))
    if not rows.size:
        return f"{said}; the pixels are equal (only the deflate streams differ)"
    count = int((a != b).any(axis=2).sum())
    above = int((rows < cut_row).sum())
    return (f"{said}; {count} pixels differ in {rows.size} rows ({above} above the cut at row {cut_row}), "
            f"rows {rows[0]}..{rows[-1]}: {rows[:12].tolist()}, largest channel difference "
            f"{int(np.abs(a.astype(int) - b.astype(int)).max())}")


@pytest.mark.parametrize("scenario, size", [("overview", (1754, 1240)), ("collapse", (1240, 1754))])
def test_two_bands_make_the_bytes_of_one_drawing(briefing, tables, scenario, size):
    text = {"Title": "South Caucasus"}
    with matplotlib.rc_context(sheet_rc()):
        make = sheet_maker(briefing, tables, scenario, size, 150)
        fig, data = banded_png.sheet_png(make, text, 150)
        assert data is not None  # joined from both bands
        k = banded_png.cut(fig, size[1])
        assert 0 < k < len(png.block_bounds(size[1])) - 1
        whole = whole_png(make(), text, 150)
        assert data == whole, how_they_differ(data, whole, png.block_bounds(size[1])[k])


def test_a_difference_is_reported_by_pixels_and_rows():
    rgba = np.full((300, 200, 4), 255, np.uint8)
    rgba[:, :, :3] = np.random.default_rng(16).integers(0, 4, (300, 200, 3)) * 60  # to compress by level
    same, denser = png.encode(rgba), png.encode(rgba, level=2)
    assert denser != same
    assert how_they_differ(same, denser, 150).endswith("the pixels are equal (only the deflate streams differ)")
    rgba[200:203, 10:15, 0] = 255
    said = how_they_differ(same, png.encode(rgba), 150)
    assert "15 pixels differ in 3 rows (0 above the cut at row 150), rows 200..202" in said
    assert said.endswith("largest channel difference 255")


def test_a_failing_band_leaves_the_drawing_whole(briefing, tables):
    parent = os.getpid()
    make = sheet_maker(briefing, tables, "overview", (1200, 800), 100)

    def fails_in_the_child():
        if os.getpid() != parent:
            raise RuntimeError("the child's sheet")
        return make()

    with matplotlib.rc_context(sheet_rc()):
        fig, data = banded_png.sheet_png(fails_in_the_child, None, 100)
    assert data is None and fig is not None
    assert not any("draw" in vars(t) for t in fig.texts)  # its texts draw as ever


def test_a_sheet_that_cannot_be_built_raises_here():
    def too_small():
        raise ValueError("no layout fits")

    with pytest.raises(ValueError, match="no layout fits"):
        banded_png.sheet_png(too_small, None, 100)


def test_every_left_out_text_stays_within_its_bound(briefing, tables):
    """The cut leaves a text out of a band only by its anchor and reach_px: its drawn box
    lies within that reach, for every text of real sheets."""
    with matplotlib.rc_context(sheet_rc()):
        for scenario in ("overview", "agreement"):
            fig = sheet_maker(briefing, tables, scenario, (1754, 1240), 150)()
            canvas = SheetCanvas(fig)
            canvas.draw()
            renderer = canvas.get_renderer()
            checked = arrows = 0
            for t in fig.findobj(lambda a: isinstance(a, matplotlib.text.Text)):
                reach = banded_png.reach_px(t, renderer.dpi, arrows=True)
                if reach is None or not t.get_visible() or not t.get_text():
                    continue
                _x, y = t.get_transform().transform(t.get_unitless_position())
                box = t.get_window_extent(renderer)  # an annotation's: its text and its arrow
                lo, hi = y - reach, y + reach
                if getattr(t, "arrow_patch", None) is not None:
                    lo, hi = banded_png._arrow_rows(t, renderer, y, reach)
                    arrows += 1
                assert lo <= box.y0 and box.y1 <= hi, (t.get_text(), y, reach, box)
                checked += 1
            assert checked > 40 and arrows >= 3  # the leaders of crowded places


def test_export_writes_the_bytes_either_way(briefing, tables, tmp_path, monkeypatch):
    state = scenario_state(briefing, "stalemate")
    opts = SheetOptions.from_pixels(1500, 1000, 120, True)
    joined = []
    real = banded_png.sheet_png

    def sheet_png(*args):
        fig, data = real(*args)
        joined.append(data is not None)
        return fig, data

    monkeypatch.setattr(banded_png, "available", lambda: True)  # whatever else runs on the machine now
    monkeypatch.setattr(banded_png, "sheet_png", sheet_png)
    export_sheet(briefing, tables, state, tmp_path / "two.png", opts, two_cores=True)
    export_sheet(briefing, tables, state, tmp_path / "one.png", opts)
    assert joined == [True]
    assert (tmp_path / "two.png").read_bytes() == (tmp_path / "one.png").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.png", "two.png"]  # no part left


@pytest.mark.parametrize("loadavg, cores, free", [("0.90 1.10 1.20 1/312 4242\n", 2, True),
                                                  ("1.90 1.10 1.20 2/312 4242\n", 2, False),
                                                  ("0.10 0.10 0.10 1/90 77\n", 1, False),
                                                  ("3.10 2.10 1.20 3/400 4242\n", 4, True)])
def test_a_second_band_only_when_a_core_is_idle(monkeypatch, loadavg, cores, free):
    import io

    monkeypatch.setattr(banded_png, "open", lambda *a, **k: io.StringIO(loadavg), raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    assert banded_png._a_core_is_free() is free


@pytest.mark.parametrize("xytext, rad", [((0.7, 0.9), 0.0), ((0.95, 0.5), 0.7), ((0.95, 0.5), -0.9)])
def test_a_long_curved_leader_stays_within_its_bound(xytext, rad):
    """A leader far from its text, straight or bowed well above or below its chord."""
    from matplotlib import patheffects
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 8), dpi=150)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ann = ax.annotate("Meghri", (0.05, 0.5 if rad else 0.05), xytext=xytext, textcoords="axes fraction",
                      arrowprops=dict(arrowstyle="-|>", connectionstyle=f"arc3,rad={rad}", linewidth=1.5),
                      path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")])
    canvas = SheetCanvas(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    reach = banded_png.reach_px(ann, renderer.dpi, arrows=True)
    _x, y = ann.get_transform().transform(ann.get_unitless_position())
    lo, hi = banded_png._arrow_rows(ann, renderer, y, reach)
    arrow = ann.arrow_patch.get_window_extent(renderer)
    assert arrow.y0 < y - reach or arrow.y1 > y + reach  # the leader runs far beyond its text's own bound
    assert lo <= arrow.y0 and arrow.y1 <= hi


def test_the_bands_list_the_drawn_artists_without_waking_hidden_axes(briefing, tables):
    """drawn_artists lists what fig.findobj lists but the ticks of axes drawn without
    their axis, and makes none: a real sheet's texts, shapes and lines are all there."""
    with matplotlib.rc_context(sheet_rc()):
        make = sheet_maker(briefing, tables, "overview", (1754, 1240), 150)
        fig = make()
        hidden = [ax for ax in fig.axes if not ax.axison]
        assert hidden  # the map and its insets

        def ticks() -> list[int]:
            return [len(axis.majorTicks) + len(axis.minorTicks) for ax in fig.axes for axis in ax._axis_map.values()]

        before = ticks()
        found = banded_png.drawn_artists(fig)
        assert ticks() == before  # no tick made
        other = make()  # a second sheet: findobj makes ticks of its hidden axes
        every = other.findobj()
        assert sum(len(axis.majorTicks) for ax in other.axes for axis in ax._axis_map.values()) > sum(before)
        inside_axis = {id(a) for ax in other.axes if not ax.axison
                       for axis in ax._axis_map.values() for a in axis.findobj()}
        assert len(found) == len(every) - len(inside_axis) and len(found) == len(set(map(id, found)))
        kinds = sorted(type(a).__name__ for a in found)
        assert kinds == sorted(type(a).__name__ for a in every if id(a) not in inside_axis)
