"""A line's name stands beside the line, never across it (a name written over its own
route reads as crossed out and hides the route)."""

from __future__ import annotations

import numpy as np
import shapely

from briefmap.render.labeling import NAMED, LabelRequest, place_labels

FRAME = (0.0, 0.0, 600.0, 400.0)


def _boxes_along(coords, r: float = 2.0):
    line = shapely.LineString(coords)
    pts = [line.interpolate(d) for d in np.arange(0.0, line.length, r)]
    return tuple((p.x - r, p.y - r, p.x + r, p.y + r) for p in pts)


def test_a_bent_line_is_named_over_both_arms_not_on_one():
    # A shallow V drawn in the editor (a supply route): its middle is its lowest point.
    v = [(200.0, 220.0), (300.0, 190.0), (400.0, 220.0)]
    line = shapely.LineString(v)
    own = _boxes_along(v)
    over_under = ((300.0, (200.0, 220.0), (300.0, 190.0)),)
    req = LabelRequest(1, ((300.0, 190.0), (250.0, 205.0)), 220.0, 14.0, NAMED, gap=4.0,
                       own_line=own, over_under=over_under)
    p = place_labels([req], FRAME).placed[1]
    assert not shapely.box(*p.box).intersects(line)
    assert not p.leader
    # Beside it: within a label height of the line, not pushed far away.
    assert shapely.box(*p.box).distance(line) < 14.0


def test_no_line_label_of_the_built_in_map_crosses_its_line(briefing, tables):
    """Every line's name on the overview (the route across Syunik, the delimited sections,
    Iran's red line, the Russian border guards) keeps clear of the line as drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from briefmap.model.view import scenario_state
    from briefmap.render.geometry import kind_of
    from briefmap.render.map_layers import MapRenderer
    from briefmap.render.sheet import default_extent

    fig = Figure(figsize=(9.6, 6.4), dpi=150)
    FigureCanvasAgg(fig)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, "overview")
    r.apply(state)
    r.set_extent(default_extent(briefing, state))
    r.layout_labels()
    fig.canvas.draw()
    to_px = r.ax.transData.transform
    checked = []
    for lab in r.visible_labels():
        la = r.layers[lab.layer]
        geom = la.table.geometries[lab.index]
        if kind_of(geom) != "line":
            continue
        width_px = r.style_for(la.spec, la.table, lab.index).linewidth * fig.dpi / 72
        drawn = shapely.MultiLineString([to_px(np.asarray(part.coords)) for part in shapely.get_parts(geom)])
        bb = Text.get_window_extent(lab.artist)  # the words alone: a leader does reach the line
        text_box = shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)
        assert not text_box.intersects(drawn.buffer(width_px / 2)), lab.artist.get_text()
        checked.append(lab.artist.get_text())
    assert any("Syunik" in t for t in checked), checked
