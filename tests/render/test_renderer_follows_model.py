"""The renderer follows the model: it keeps artists, never state."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from briefmap.model.map_model import MapModel
from briefmap.model.view import scenario_state
from briefmap.render.map_layers import MapRenderer


@pytest.fixture
def drawn(briefing, tables):
    fig = Figure(figsize=(8, 5), dpi=60)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    model = MapModel.from_briefing(briefing, tables)
    renderer = MapRenderer(briefing, tables, ax, model=model)
    model.apply(scenario_state(briefing))
    from briefmap.data.projection import bounds_to_map

    renderer.set_extent(bounds_to_map(briefing.bookmark("region").bounds, briefing.crs))
    return model, renderer


def test_visibility_and_opacity_come_from_the_model(drawn):
    model, r = drawn
    la = r.layers["eu_mission"]
    assert la.visible and all(a.get_visible() for a in la.artists())
    model.layers["eu_mission"].visible = False
    assert not la.visible and not any(a.get_visible() for a in la.artists())
    model.layers["eu_mission"].visible = True
    model.layers["eu_mission"].opacity = 0.3
    assert all(g.artist.get_alpha() == pytest.approx(0.3) for g in la.groups)  # the export bakes it in


def test_a_move_changes_z_orders_only(drawn):
    model, r = drawn
    lakes, countries = r.layers["lakes"], r.layers["countries"]
    artists = (lakes.groups[0].artist, countries.groups[0].artist)
    assert artists[0].get_zorder() > artists[1].get_zorder()
    model.layers.move("lakes", -1)
    assert (lakes.groups[0].artist, countries.groups[0].artist) == artists  # nothing rebuilt
    assert artists[0].get_zorder() < artists[1].get_zorder()
    assert list(r.layers).index("lakes") < list(r.layers).index("countries")


def test_names_and_dates_reach_the_artists(drawn):
    import datetime as dt

    model, r = drawn
    la = r.layers["places"]
    lab = next(lab for lab in la.labels if la.table.ids[lab.index] == "stepanakert")
    model.view.update(names="azerbaijani")
    assert lab.artist.get_text() == "Khankendi"
    sections = r.layers["delimitation_sections"]
    model.view.update(date=dt.date(2024, 1, 1))
    assert not any(sections.shown) and len(sections.groups[0].artist.get_segments()) == 0


def test_the_selection_is_drawn_from_the_view_store(drawn):
    model, r = drawn
    assert r.selection_artists == []
    model.view.update(selected="places/gyumri")
    assert r.selection_artists
    model.layers["places"].visible = False  # the model clears the selection; the outline goes
    assert model.view.selected == "" and r.selection_artists == []


def test_the_spatial_index_finds_what_a_full_search_finds(drawn):
    _model, r = drawn
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = r.extent()
    tolerance = (x1 - x0) / 200
    for x, y in zip(rng.uniform(x0, x1, 40), rng.uniform(y0, y1, 40), strict=True):
        found = r.hits(x, y, tolerance, backdrop=True)
        point = shapely.Point(x, y)
        for lid, la in r.layers.items():
            if not la.visible or la.spec.base == "seas":
                continue
            d = shapely.distance(np.array(la.table.geometries, dtype=object), point)
            expected = {i for i in np.flatnonzero(d <= tolerance) if la.shown[i]}
            assert {i for layer, i in found if layer == lid} == expected
