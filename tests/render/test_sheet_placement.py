"""Where the sheet puts its insets and scale bar, which names it keeps, and which it may
leave out: the rules a cartographer signs, read from the built figure (artist positions,
the label report) and from `briefmap export --check`."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import shapely

from briefmap.cli import main
from briefmap.data.projection import bounds_to_map
from briefmap.model.view import scenario_state
from briefmap.render.export import sheet_rc
from briefmap.render.give_way import accepted_drops
from briefmap.render.sheet import PRESETS, SheetOptions, SheetReport, build_sheet


def build(briefing, tables, preset, scenario="overview", bookmark=None, dpi=None):
    state = scenario_state(briefing, scenario)
    if bookmark:
        state = state.with_(extent=bounds_to_map(briefing.bookmark(bookmark).bounds, briefing.crs))
    report = SheetReport()
    with matplotlib.rc_context(sheet_rc()):  # as the export builds it
        fig, renderer = build_sheet(briefing, tables, state, SheetOptions.from_preset(preset, dpi=dpi), report)
    return fig, renderer, report


def inset_boxes(fig, renderer):
    """The display boxes of every axes drawn over the main map (locator, detail)."""
    main_box = shapely.box(*renderer.ax.get_window_extent().extents)
    return [shapely.box(*a.get_window_extent().extents) for a in fig.axes
            if a is not renderer.ax and shapely.box(*a.get_window_extent().extents).intersects(main_box)]


def hidden_share(fig, renderer, iso: str) -> float:
    """The share of a country's part in view that the insets over the map hide."""
    la = renderer.layers["countries"]
    geom = next(g for p, g in zip(la.table.properties, la.table.geometries, strict=True) if p.get("iso_a3") == iso)
    seen = shapely.intersection(geom, shapely.box(*renderer.extent()))
    on_screen = shapely.transform(seen, renderer.ax.transData.transform)
    return sum(shapely.intersection(on_screen, b).area for b in inset_boxes(fig, renderer)) / on_screen.area


@pytest.mark.parametrize("preset, scenario", [("square", "overview"), ("square", "agreement"),
                                              ("square", "stalemate"), ("slide-16x9", "overview"),
                                              ("slide-16x9", "agreement"), ("slide-16x9", "stalemate"),
                                              ("a4-landscape", "agreement")])
def test_no_inset_hides_a_focus_country(briefing, tables, preset, scenario):
    """The square sheets used to hide western Armenia (a tenth of it) under the detail; the
    slide's full-size detail hid a strip of it along the Turkish border (3.3 %) and its
    locator a corner of Azerbaijan."""
    fig, renderer, report = build(briefing, tables, preset, scenario, dpi=60)
    assert len(report.renderers) == 2, "the detail inset is drawn"
    for iso in ("ARM", "AZE", "GEO"):
        assert hidden_share(fig, renderer, iso) < 0.0005, iso


def test_a_crowded_square_detail_stands_in_the_band_beside_the_legend(briefing, tables):
    fig, renderer, report = build(briefing, tables, "square", "agreement", dpi=60)
    detail = report.renderers[1].ax.get_window_extent()
    main_map = renderer.ax.get_window_extent()
    assert detail.y1 <= main_map.y0, "the detail stands below the map, in the band"
    legend_title = next(t for t in fig.texts if t.get_text() == "Legend")
    x, _y = fig.transFigure.transform(legend_title.get_position())
    assert x >= detail.x1, "the legend stands beside the detail, not under it"
    # Every name the detail magnifies is shown, the subject's sections first.
    assert not [d for d in report.renderers[1].label_report.dropped if d[0] == "delimitation_sections"]


def test_locator_inset_keeps_off_the_close_ups_places(briefing, tables):
    """On the Syunik close-up the locator used to cover Stepanakert and Shushi."""
    fig, renderer, _report = build(briefing, tables, "slide-16x9", bookmark="syunik", dpi=60)
    boxes = inset_boxes(fig, renderer)
    la = renderer.layers["places"]
    frame = shapely.box(*renderer.extent())
    under = [la.table.properties[i]["name"] for i, g in enumerate(la.table.geometries)
             if la.shown[i] and frame.contains(g)
             and any(b.contains(shapely.Point(renderer.ax.transData.transform((g.x, g.y)))) for b in boxes)]
    assert under == []


def test_an_off_map_actor_keeps_its_name_beside_the_scale_bar(briefing, tables):
    """On the square collapse sheet India's arrow ends under where the scale bar stood."""
    _fig, renderer, _report = build(briefing, tables, "square", "collapse", dpi=60)
    india = next(lab for lab in renderer.layers["actor_anchors"].labels if lab.artist.get_text() == "India (off map)")
    assert india.artist.get_visible()


def test_the_scenarios_subject_is_named_before_towns(briefing, tables):
    """The route the agreement speaks of was dropped for towns on the square sheet."""
    _fig, renderer, _report = build(briefing, tables, "square", "agreement", dpi=60)
    route = next(lab for lab in renderer.layers["connectivity"].labels)
    assert route.artist.get_visible()
    assert ("connectivity", route.index) in renderer.label_report.boxes


def test_the_frame_slices_no_town_and_shows_a_named_arrow_whole(briefing, tables):
    """On the square Nakhchivan close-up the frame sliced Shushi's symbol and the tail of
    the flight arrow (from Stepanakert); a little more room shows both whole."""
    _fig, renderer, _report = build(briefing, tables, "square", bookmark="nakhchivan", dpi=60)
    flight = renderer.layers["displacement"].table.geometries[0]
    assert shapely.box(*renderer.extent()).contains(flight)
    ax = renderer.ax
    bb = ax.get_window_extent()
    px = ax.figure.dpi / 72
    for lid in ("places", "turkey", "iran", "russia"):
        la = renderer.layers[lid]
        for i, g in enumerate(la.table.geometries):
            if not la.shown[i] or g.geom_type != "Point":
                continue
            style = renderer.style_for(la.spec, la.table, i)
            x, y = ax.transData.transform((g.x, g.y)) + np.array([style.marker_dx, style.marker_dy]) * px
            r = style.markersize / 2 * px
            inside = bb.x0 + r <= x <= bb.x1 - r and bb.y0 + r <= y <= bb.y1 - r
            outside = x < bb.x0 - r or x > bb.x1 + r or y < bb.y0 - r or y > bb.y1 + r
            assert inside or outside, f"the frame cuts {lid}/{la.table.ids[i]}"


def test_symbols_at_named_places_give_way_with_their_reason(briefing, tables):
    """The consulate's triangle in Kapan may go unnamed on a regional sheet: Kapan is
    named and the legend says what the triangle is. A scenario's subject never may."""
    _fig, renderer, report = build(briefing, tables, "slide-16x9", dpi=60)
    accepted = {(lid, why) for lid, _i, _t, why in accepted_drops(renderer, report)}
    dropped = {d[0] for d in renderer.label_report.dropped}
    if "iran" in dropped:
        assert any(lid == "iran" and "'Kapan', named on the map" in why for lid, why in accepted)
    # Pretend the route (the agreement's subject) and a capital lost their names: neither is excused.
    _fig, renderer, report = build(briefing, tables, "slide-16x9", "agreement", dpi=60)
    route = next(lab for lab in renderer.layers["connectivity"].labels)
    baku = next(lab for lab in renderer.layers["places"].labels if lab.artist.get_text() == "Baku")
    renderer.label_report.dropped += [("connectivity", route.index, "route"), ("places", baku.index, "Baku")]
    excused = {(lid, i) for lid, i, _t, _why in accepted_drops(renderer, report)}
    assert ("connectivity", route.index) not in excused and ("places", baku.index) not in excused


def test_a_place_gives_way_only_from_the_scale_the_briefing_sets(briefing, tables):
    _fig, renderer, report = build(briefing, tables, "slide-16x9", dpi=60)
    places = renderer.layers["places"]
    goris = next(lab for lab in places.labels if lab.artist.get_text() == "Goris")  # rank 3
    agarak = next(lab for lab in places.labels if lab.artist.get_text() == "Agarak")  # rank 4
    renderer.label_report.dropped += [("places", goris.index, "Goris"), ("places", agarak.index, "Agarak")]
    scale = renderer.metres_per_inch() / 0.0254
    assert scale < 5_000_000  # the slide's regional map is larger than 1:5,000,000
    excused = {(lid, i): why for lid, i, _t, why in accepted_drops(renderer, report)}
    assert ("places", goris.index) not in excused  # rank 3 gives way only from 1:5,000,000
    assert "rank 4" in excused[("places", agarak.index)]


def test_bad_give_way_names_its_line(briefing_copy, capsys):
    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    assert "give_way = [[4, 0], [3, 5000000]]" in text
    catalog.write_text(text.replace("give_way = [[4, 0], [3, 5000000]]", "give_way = [[1, 0]]"), encoding="utf-8")
    line = catalog.read_text(encoding="utf-8").splitlines().index("give_way = [[1, 0]]") + 1
    assert main(["export", "--briefing", str(briefing_copy), "-o", str(briefing_copy / "x.png")]) == 1
    err = capsys.readouterr().err
    assert f"catalog.toml:{line}" in err and "sheet.give_way" in err


def test_check_lists_what_it_leaves_out_apart_from_findings(capsys):
    assert main(["export", "--check", "--strict", "--preset", "slide-16x9", "--dpi", "60"]) == 0
    out = capsys.readouterr().out
    assert "preflight: nothing to report" in out
    left = [line for line in out.splitlines() if line.startswith("left out:")]
    assert left and all(": " in line.split("on the map", 1)[1] for line in left)  # each with its reason


SHEETS = [(p, s, None) for p in PRESETS for s in ("overview", "agreement", "stalemate", "collapse")] + [
    (p, "overview", b) for p in PRESETS for b in ("wide", "tavush-gazakh", "syunik", "karabakh", "nakhchivan")]


@pytest.mark.slow
@pytest.mark.parametrize("preset, scenario, bookmark", SHEETS)
def test_every_sheet_passes_preflight(briefing, tables, preset, scenario, bookmark):
    from briefmap.render.preflight import findings

    fig, _renderer, report = build(briefing, tables, preset, scenario, bookmark)
    found = [str(f) for f in findings(fig, report)]
    assert found == []


def test_a_small_sheets_detail_is_as_wide_as_its_names_need(capsys):
    """On an 800 × 600 sheet the detail was too narrow for its four sections and the two
    sides' names (Azerbaijan went unnamed in it)."""
    assert main(["export", "--check", "--strict", "--size", "800x600", "--dpi", "100"]) == 0
    assert "preflight: nothing to report" in capsys.readouterr().out


def _detail_names(report) -> tuple[set[str], set[str]]:
    """The detail's section names shown, and its village names shown (one line each)."""
    detail = report.renderers[1]
    shown = {lid: {" ".join(lab.artist.get_text().split()) for lab in detail.layers[lid].labels
                   if lab.artist.get_visible()} for lid in ("delimitation_sections", "delimitation_villages")}
    return shown["delimitation_sections"], shown["delimitation_villages"]


@pytest.mark.parametrize("size", ["800x600", "1000x700", "2000x400"])
def test_a_crowded_detail_keeps_its_sections_and_lets_their_villages_go_by_rule(capsys, size):
    """On small custom sheets the agreement's detail lost a section's name (and Azerbaijan's)
    to the names of the villages that the section's name already carries."""
    assert main(["export", "--check", "--strict", "--size", size, "--dpi", "100", "--scenario", "agreement"]) == 0
    out = capsys.readouterr().out
    assert "preflight: nothing to report" in out
    assert "left out: 'Berkaber' on the detail inset: its name is part of the section's name " \
           "'Berkaber / Qızılhacılı'" in out


def test_a_detail_with_room_names_its_villages(briefing, tables):
    _fig, _renderer, report = build(briefing, tables, "slide-16x9", "agreement", dpi=60)
    sections, villages = _detail_names(report)
    assert len(sections) == 4
    assert {"Baghanis", "Berkaber", "Voskepar"} <= villages
    assert not getattr(report.renderers[1], "label_yield", {})
