"""The legend of what the user drew in the editor: one entry per kind of geometry drawn
(places, lines, areas), each swatch showing that kind alone, as the map draws it."""

from __future__ import annotations

import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import IdentityTransform

from briefmap.render.legend import legend_items, swatch_artists
from tests.editor_map import draw_in_editor, editor_map, place_xy


def _renderer_with_drawing(briefing, tables, features):
    _fig, r = editor_map(briefing, tables, (8, 6), 72)
    # Drawn around Yerevan (real coordinates of the shipped places layer), in view.
    x, y = place_xy(tables, "Yerevan")
    shapes = {"point": shapely.Point(x + 20e3, y), "line": shapely.LineString([(x, y - 30e3), (x + 40e3, y - 20e3)]),
              "polygon": shapely.box(x - 30e3, y + 10e3, x - 10e3, y + 30e3)}
    rows = [(f"f{n}", shapes[kind], {"name": f"Drawn {kind}", "after_article": later})
            for n, (kind, later) in enumerate(features)]
    draw_in_editor(r, [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows])
    return r


def test_one_entry_per_kind_drawn_and_only_those(briefing, tables):
    r = _renderer_with_drawing(briefing, tables, [("line", ""), ("polygon", ""), ("line", "yes")])
    items = {i.label: i for i in legend_items(r)}
    drawn = {label: item for label, item in items.items() if "editor" in label or "after the analysis" in label}
    assert set(drawn) == {"Added in the editor: lines", "Added in the editor: areas",
                          "Added after the analysis: lines"}
    assert all(len(item.kinds) == 1 for item in drawn.values())
    # A briefing's own symbol that joins kinds on purpose stays one entry.
    assert any(len(i.kinds) > 1 for i in items.values())


def test_each_swatch_draws_its_own_kind_with_the_maps_symbol(briefing, tables):
    r = _renderer_with_drawing(briefing, tables, [("point", ""), ("line", ""), ("polygon", "")])
    items = {i.label: i for i in legend_items(r)}
    style = r.model.layers.styles["edits-point"]

    def parts(label):
        arts = swatch_artists(items[label], 0, 0, 30, 10, IdentityTransform())
        rects = [a for a in arts if isinstance(a, Rectangle)]
        strokes = [a for a in arts if isinstance(a, Line2D) and a.get_linestyle() != "None"]
        markers = [a for a in arts if isinstance(a, Line2D) and a.get_marker() not in (None, "None", "")]
        return rects, strokes, markers

    rects, strokes, markers = parts("Added in the editor: places")
    assert not rects and not strokes and [m.get_marker() for m in markers] == [style.marker]
    rects, strokes, markers = parts("Added in the editor: lines")
    assert not rects and not markers and len(strokes) == 1 and strokes[0].get_linewidth() == style.linewidth
    rects, strokes, markers = parts("Added in the editor: areas")
    assert not strokes and not markers and rects[-1].get_hatch() == style.hatch
