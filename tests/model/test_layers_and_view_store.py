"""The observable model: the layer list and the view store announce exactly what changed."""

from __future__ import annotations

import datetime as dt

import pytest

from briefmap.model.layers import Layer, LayerList
from briefmap.model.map_model import MapModel
from briefmap.model.view import ViewStore, check_view, scenario_state


@pytest.fixture
def model(briefing, tables):
    return MapModel.from_briefing(briefing, tables, scenario_state(briefing))


def record(emitter):
    seen = []
    emitter.connect(lambda *args: seen.append(args))
    return seen


def test_a_toggle_names_the_layer_and_the_field(model):
    seen = record(model.layers.changed)
    model.layers["places"].visible = False
    model.layers["places"].visible = False  # no change, no event
    model.layers["places"].opacity = 0.5
    assert seen == [(("places",), frozenset({"visible"})), (("places",), frozenset({"opacity"}))]


def test_applying_a_view_is_one_event_per_kind_of_change(model, briefing):
    seen = record(model.layers.changed)
    fields = record(model.view.changed)
    collapse = scenario_state(briefing, "collapse")
    model.apply(collapse)
    assert len(seen) == 1
    ids, what = seen[0]
    assert what == {"visible"}
    assert set(ids) == set(collapse.visible) ^ set(scenario_state(briefing).visible)
    assert fields == [(frozenset({"scenario", "panel"}),)]
    state = model.state()
    assert set(state.visible) == set(collapse.visible) and state.with_(visible=collapse.visible) == collapse


def test_the_state_round_trips_through_the_model(model, briefing):
    state = scenario_state(briefing, "stalemate").with_(date=dt.date(2024, 5, 24), names="armenian",
                                                         opacity={"places": 0.4})
    model.apply(state)
    got = model.state()
    assert set(got.visible) == set(state.visible) and got.with_(visible=state.visible) == state


def test_hiding_the_selected_features_layer_clears_the_selection(model):
    model.view.update(selected="places/gyumri")
    model.layers["russia"].visible = False
    assert model.view.selected == "places/gyumri"
    model.layers["places"].visible = False
    assert model.view.selected == ""


def test_moving_a_layer_swaps_order_within_its_group(model):
    moved = record(model.layers.moved)
    below = model.layers.neighbour("lakes", -1)
    assert below == "countries"
    orders = (model.layers["lakes"].order, model.layers["countries"].order)
    assert model.layers.move("lakes", -1)
    assert moved == [("lakes", "countries")]
    assert (model.layers["countries"].order, model.layers["lakes"].order) == orders
    ids = model.layers.ids
    assert ids.index("lakes") < ids.index("countries")
    top = model.layers.in_group("Base map")[0].id
    assert not model.layers.move(top, +1)  # nothing above it in its group


def test_insert_and_remove(model, tables):
    inserted, removed = record(model.layers.inserted), record(model.layers.removed)
    spec = model.layers["places"].spec
    from dataclasses import replace

    layer = Layer(replace(spec, id="user-copy", order=model.layers.top_order() + 1), tables["places"], visible=True)
    model.layers.insert(layer)
    assert model.layers.ids[-1] == "user-copy" and inserted == [(layer,)]
    with pytest.raises(ValueError):
        model.layers.insert(layer)
    model.layers.remove("user-copy")
    assert "user-copy" not in model.layers and removed == [(layer,)]


def test_view_store_reports_only_real_changes():
    store = ViewStore(scenario="a")
    seen = record(store.changed)
    assert store.update(scenario="a") == frozenset()
    assert store.update(scenario="b", names="x") == {"scenario", "names"}
    assert seen == [(frozenset({"scenario", "names"}),)]
    with pytest.raises(TypeError):
        store.update(colour="red")


def test_layer_list_batches_nest():
    ll = LayerList()
    seen = record(ll.changed)
    with ll.batch(), ll.batch():
        pass
    assert seen == []


def test_check_view_names_every_problem(briefing):
    bad = scenario_state(briefing).with_(briefing_id="other", scenario="nope", names="klingon",
                                         visible=("places", "not-a-layer"), date=dt.date(1901, 1, 1))
    problems = check_view(briefing, bad)
    assert len(problems) == 5
    assert any("'other'" in p for p in problems) and any("not-a-layer" in p for p in problems)
    assert check_view(briefing, scenario_state(briefing)) == []


def test_a_layer_knows_its_style_from_the_list(model, briefing):
    assert model.layers["delimitation_sections"].style == briefing.styles["section"]
