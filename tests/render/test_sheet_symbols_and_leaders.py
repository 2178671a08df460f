"""What a cartographer checks on a finished sheet: two symbols at one place both show,
a detail inset names its subject before the villages around it, no leader line crosses
the furniture or another label, preflight names what the frame cuts, a see-through
fill's legend swatch looks as it does on the map, and a square sheet's band holds its whole
legend."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from briefmap.data.projection import to_map
from briefmap.model.view import scenario_state
from briefmap.render.labeling import LabelRequest, leader_start, place_labels, segment_hits_boxes
from briefmap.render.legend import legend_items, swatch_rgba
from briefmap.render.preflight import findings
from briefmap.render.sheet import SheetOptions, SheetReport, build_sheet


def _sheet(briefing, tables, scenario="overview", preset="slide-16x9", dpi=80, **state_changes):
    report = SheetReport()
    state = scenario_state(briefing, scenario).with_(**state_changes)
    fig, renderer = build_sheet(briefing, tables, state, SheetOptions.from_preset(preset, dpi=dpi), report)
    return fig, renderer, report


def _marker_centres_px(renderer, layer_id):
    la = renderer.layers[layer_id]
    out = {}
    for g in la.groups:
        if g.kind == "point":
            xy = g.artist.get_offset_transform().transform(g.artist.get_offsets())
            for k, i in enumerate(g.indices):
                out[la.table.ids[i]] = (xy[k], g.style.markersize * renderer.ax.figure.dpi / 72, g.artist.get_zorder())
    return out


def test_offensive_star_and_peacekeepers_square_both_show(briefing, tables):
    """Both are marked at Stepanakert / Khankendi: the square is drawn beside the star
    (an offset in its symbol), the facts' coordinates are the same and unchanged."""
    _fig, renderer, _ = _sheet(briefing, tables, dpi=150, extent=None)
    la = renderer.layers["karabakh"]
    ids = list(la.table.ids)
    star_geom = la.table.geometries[ids.index("offensive-2023")]
    square_geom = la.table.geometries[ids.index("peacekeepers")]
    assert star_geom.equals(square_geom)  # one place, as the sources give it
    assert np.allclose((star_geom.x, star_geom.y), to_map(46.75, 39.82, briefing.crs))
    centres = _marker_centres_px(renderer, "karabakh")
    (star, star_size, star_z), (square, square_size, square_z) = centres["offensive-2023"], centres["peacekeepers"]
    # The square's middle lies outside the star's body and the star's middle outside the
    # square: each is seen, not one hidden under the other.
    gap = np.hypot(*(star - square))
    assert gap > square_size / 2 + star_size * 0.2
    assert gap < star_size + square_size  # still beside it, reading as the same place
    assert square_z > star_z  # the smaller symbol on top where they touch


def test_marker_offset_out_of_range_is_refused_with_its_line(briefing_copy):
    from briefmap.data.briefing import open_briefing
    from briefmap.data.errors import BriefingError

    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("marker_dx = -5.5", "marker_dx = -90.0"), encoding="utf-8")
    with pytest.raises(BriefingError) as err:
        open_briefing(briefing_copy)
    assert "marker_dx" in str(err.value) and "-90" in str(err.value) and "catalog.toml:" in str(err.value)


@pytest.mark.parametrize("preset, scenario", [("square", "agreement"), ("a4-landscape", "agreement"),
                                              ("a4-portrait", "overview")])
def test_detail_inset_names_every_section_before_the_villages(briefing, tables, preset, scenario):
    _fig, _renderer, report = _sheet(briefing, tables, scenario, preset)
    detail = report.renderers[1]
    boxes = detail.label_report.boxes
    sections = detail.layers["delimitation_sections"]
    shown = [i for i in range(len(sections.table)) if sections.shown[i]]
    assert len(shown) == 4
    assert all(("delimitation_sections", i) in boxes for i in shown)
    names = {" ".join(lab.artist.get_text().split()) for lab in detail.visible_labels()}
    assert "Berkaber / Qızılhacılı" in names and "Kirants / Xeyrimli" in names
    dropped_layers = {lid for lid, _i, _t in detail.label_report.dropped}
    assert "delimitation_sections" not in dropped_layers


def test_a_leader_goes_round_no_wall_and_crosses_no_label():
    # Anchor at the origin; just right of it a thin wall (an inset's edge) with free room
    # beyond it; every place beside the anchor is taken.
    wall = (6.0, -30.0, 12.0, 30.0)
    req = LabelRequest(0, ((0.0, 0.0),), 40.0, 10.0, 1, gap=3.0)
    blocker = (-3.0, -3.0, 3.0, 3.0)  # the anchor's symbol: every beside-position is taken
    layout = place_labels([req], (-200, -200, 200, 200), obstacles=[wall, blocker,
                                                                    (-48, -8, -5, 8), (-20, 4, 20, 20),
                                                                    (-20, -20, 20, -4)],
                          no_cross=[wall])
    p = layout.placed[0]
    assert p.leader
    start = leader_start(p.anchor, p.box)
    assert not segment_hits_boxes(np.array([wall]), start, p.anchor)
    # Without the wall rule the first leader position (right) would run through it.
    free = place_labels([req], (-200, -200, 200, 200), obstacles=[blocker, (-48, -8, -5, 8), (-20, 4, 20, 20),
                                                                   (-20, -20, 20, -4)])
    assert free.placed[0].box[0] > wall[2]
    assert p.box[0] < wall[0] or p.box[1] > wall[3] or p.box[3] < wall[1] or p.box[2] < wall[0]


def test_leaders_cross_neither_furniture_nor_labels_on_real_sheets(briefing, tables):
    leaders = 0
    for preset, scenario in (("square", "collapse"), ("slide-16x9", "overview"), ("a4-portrait", "agreement")):
        _fig, _renderer, report = _sheet(briefing, tables, scenario, preset)
        for r in report.renderers:
            px = r.ax.figure.dpi
            furniture = np.array([(b[0] * px, b[1] * px, b[2] * px, b[3] * px) for b in r.furniture_inches])
            labels = r.label_report.boxes
            for la in r.layers.values():
                for lab in la.labels:
                    ann = lab.artist
                    if not ann.get_visible() or ann.arrowprops is None:
                        continue
                    leaders += 1
                    box = labels[(la.spec.id, lab.index)]
                    anchor = tuple(r.ax.transData.transform(ann.xy))
                    start = leader_start(anchor, box)
                    walls = [b for b in furniture if not (b[0] <= anchor[0] <= b[2] and b[1] <= anchor[1] <= b[3])]
                    assert not segment_hits_boxes(np.array(walls).reshape(-1, 4), start, anchor), ann.get_text()
                    others = np.array([b for k, b in labels.items() if k != (la.spec.id, lab.index)])
                    assert not segment_hits_boxes(others, start, anchor), (preset, scenario, ann.get_text())
    assert leaders > 5  # the sheets do use leaders, and every one was checked


def test_preflight_names_a_point_symbol_the_frame_cuts(briefing, tables):
    """The overview moved so that its right edge runs through Yerevan's capital square."""
    fig, renderer, report = _sheet(briefing, tables)
    assert not [f for f in findings(fig, report) if "symbol" in f.text]  # as built, no symbol is cut
    places = renderer.layers["places"]
    yerevan = places.table.geometries[[p.get("name") for p in places.table.properties].index("Yerevan")]
    x0, x1 = renderer.ax.get_xlim()
    renderer.ax.set_xlim(yerevan.x - (x1 - x0), yerevan.x)
    cut = [f.text for f in findings(fig, report) if f.kind == "cut"]
    assert any(t.startswith("the symbol of places/") and t.endswith("frame of the map") for t in cut), cut


def test_see_through_fill_swatch_is_drawn_over_the_land(briefing, tables):
    _fig, renderer, _ = _sheet(briefing, tables, "overview")
    item = next(i for i in legend_items(renderer) if i.label == "EUMA patrol area (schematic)")
    assert item.style.alpha < 1
    countries = renderer.layers["countries"]
    fills = {renderer.style_for(countries.spec, countries.table, i).facecolor for i in range(len(countries.table))}
    assert item.ground in fills  # a land colour of the map, not white
    rgba = swatch_rgba(item, 40, 20, 100)
    centre = rgba[rgba.shape[0] // 2, rgba.shape[1] // 2, :3].astype(float)
    a = item.style.alpha * item.opacity
    expected = (a * np.array(to_rgb(item.style.facecolor)) + (1 - a) * np.array(to_rgb(item.ground))) * 255
    over_white = (a * np.array(to_rgb(item.style.facecolor)) + (1 - a)) * 255
    assert np.abs(centre - expected).max() < 8
    assert np.abs(centre - over_white).max() > 15


def test_a_label_beside_its_point_is_nearer_to_it_than_to_another_point():
    """Left of its anchor, the label would end beside another town's dot and read as its
    name: it goes where it is nearer its own."""
    other = (-57.0, 0.0)
    req = LabelRequest(0, ((0.0, 0.0),), 50.0, 10.0, 1, gap=4.0)
    taken_right = (4.0, -6.0, 60.0, 6.0)
    taken_above = (-30.0, 7.0, 30.0, 20.0)
    plain = place_labels([req], (-200, -200, 200, 200), obstacles=[taken_right, taken_above])
    assert plain.placed[0].box[2] <= 0  # without the rule: left, ending beside the other dot
    ruled = place_labels([req], (-200, -200, 200, 200), obstacles=[taken_right, taken_above],
                         marks=[(0.0, 0.0), other], cluster=12.0)
    box = ruled.placed[0].box
    assert box != plain.placed[0].box

    def dist(p):
        return np.hypot(max(box[0] - p[0], 0, p[0] - box[2]), max(box[1] - p[1], 0, p[1] - box[3]))

    assert ruled.placed[0].leader or dist((0.0, 0.0)) < dist(other)
    # A symbol that marks the same place (within the cluster distance) does not count.
    near = place_labels([req], (-200, -200, 200, 200), obstacles=[taken_right, taken_above],
                        marks=[(0.0, 0.0), (-8.0, -3.0)], cluster=12.0)
    assert near.placed[0].box[2] <= 0


@pytest.mark.parametrize("scenario", ["agreement", "collapse"])
def test_square_sheet_band_holds_the_whole_legend(briefing, tables, scenario):
    """The bottom band is sized for its legend as drawn (6 pt rows at least), the legend
    continuing under the text: no entry, the scenario's glow included, is left off."""
    fig, renderer, report = _sheet(briefing, tables, scenario, "square")
    assert report.mode == "band"
    assert not [i for i in report.overflow.items if i.startswith("legend entry")]
    texts = {" ".join(t.get_text().split()) for t in fig.texts}  # a long entry may wrap
    assert {i.label for i in legend_items(renderer)} <= texts


def test_selection_and_glow_ring_a_moved_symbol_where_it_is_drawn(briefing, tables):
    """The peacekeepers' square is drawn beside the town: selecting it, or a scenario
    emphasising it, rings the square, not the bare coordinate."""
    _fig, renderer, _ = _sheet(briefing, tables, dpi=150, extent=None)
    square, _size, _z = _marker_centres_px(renderer, "karabakh")["peacekeepers"]
    renderer.select("karabakh/peacekeepers")
    renderer.set_highlights(["karabakh/peacekeepers"])
    rings = [*renderer.selection_artists, *renderer.overlays.of_layer("karabakh")]
    assert rings
    for ring in rings:
        xy = ring.get_transform().transform(np.column_stack(ring.get_data()))[0]
        assert np.hypot(*(xy - square)) < 0.5
