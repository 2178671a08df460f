"""A line drawn in the editor is named beside the line, never across it (a name written over its own
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


def test_a_line_drawn_in_the_editor_is_named_beside_it_on_the_map(briefing, tables):
    """On the built-in map, a bent route and a straight one drawn in the editor: each name
    is shown, written clear of its line as drawn (the words, not their leader)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from briefmap.model.edits import EDITS_LAYER
    from tests.editor_map import draw_in_editor, editor_map, place_xy

    fig, r = editor_map(briefing, tables, (9.6, 6.4), 150)
    FigureCanvasAgg(fig)
    x, y = place_xy(tables, "Ganja")
    y += 60e3  # north of Ganja, in Azerbaijan
    routes = [shapely.LineString([(x - 60e3, y + 20e3), (x, y), (x + 60e3, y + 20e3)]),  # a shallow V
              shapely.LineString([(x - 50e3, y - 110e3), (x + 50e3, y - 110e3)])]
    draw_in_editor(r, ["v", "flat"], routes, [{"name": "Example supply route", "after_article": ""},
                                              {"name": "Example flat route", "after_article": ""}])
    r.layout_labels()
    fig.canvas.draw()
    to_px = r.ax.transData.transform
    la = r.layers[EDITS_LAYER]
    shown = {lab.index: lab for lab in r.visible_labels() if lab.layer == EDITS_LAYER}
    assert set(shown) == {0, 1}
    for i, lab in shown.items():
        width_px = r.style_for(la.spec, la.table, i).linewidth * fig.dpi / 72
        drawn = shapely.LineString(to_px(np.asarray(routes[i].coords)))
        bb = Text.get_window_extent(lab.artist)  # the words alone: a leader does reach the line
        words = shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)
        assert not words.intersects(drawn.buffer(width_px / 2)), lab.artist.get_text()
        assert words.distance(drawn) < 3 * bb.height  # beside it, not wandering off
