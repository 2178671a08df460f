"""The view state a PNG carries, naming policies, and date filtering."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState, scenario_state

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=20)


@given(
    visible=st.lists(ids, max_size=8),
    scenario=ids,
    date=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
    names=st.sampled_from(["both", "armenian", "azerbaijani"]),
    extent=st.one_of(st.none(), st.tuples(*[st.floats(-1e7, 1e7).map(lambda v: round(v, 1))] * 4)),
    opacity=st.dictionaries(ids, st.floats(0, 1).map(lambda v: round(v, 3)), max_size=4),
)
def test_view_state_round_trips_through_json(visible, scenario, date, names, extent, opacity):
    state = ViewState("b", "1", tuple(visible), scenario, date, names, extent, opacity, "p")
    assert ViewState.from_json(state.to_json()) == state


@pytest.mark.parametrize("text, message", [
    ("not json", "not JSON"),
    ('{"format": "other"}', "not a briefmap view"),
    ('{"format": "briefmap-view/1", "briefing_id": "b", "briefing_version": "1", "visible": "x",'
     ' "scenario": "s", "names": "both"}', "'visible'"),
    ('{"format": "briefmap-view/1", "briefing_id": "b", "briefing_version": "1", "visible": [],'
     ' "scenario": "s", "names": "both", "date": "2024-02-30"}', "'date'"),
    ('{"format": "briefmap-view/1", "briefing_id": "b", "briefing_version": "1", "visible": [],'
     ' "scenario": "s", "names": "both", "extent": [1, 2]}', "'extent'"),
])
def test_bad_stored_views_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        ViewState.from_json(text)


def test_features_shown_on_a_date():
    t = FeatureTable("l", ["a", "b", "c"], [None] * 3,
                     [{"start": "2020-11-10", "end": "2024-06-12"}, {"start": "2024-04-19"}, {}])
    assert t.shown_on(None) == [True, True, True]
    assert t.shown_on(dt.date(2020, 11, 9)) == [False, False, True]
    assert t.shown_on(dt.date(2024, 5, 1)) == [True, True, True]
    assert t.shown_on(dt.date(2024, 6, 12)) == [False, True, True]


def test_scenario_state_uses_the_scenarios_layers(briefing):
    s = scenario_state(briefing, "collapse")
    assert "actor_links" in s.visible and "delimitation_sections" not in s.visible
    assert s.scenario == "collapse" and s.names == "both" and s.date is None
    assert scenario_state(briefing).scenario == briefing.default_scenario


def test_naming_policies_come_from_the_catalog(briefing):
    from briefmap.model.naming import DEFAULT_NAMING, label_for, policy_for

    assert [p.id for p in briefing.naming] == ["both", "armenian", "azerbaijani"]
    props = {"name": "Stepanakert", "name_hy_usage": "Stepanakert", "name_az_usage": "Khankendi"}
    got = {p.id: label_for(props, p, "name", briefing.naming) for p in briefing.naming}
    assert got == {"both": "Stepanakert / Khankendi", "armenian": "Stepanakert", "azerbaijani": "Khankendi"}
    # An uncontested place shows its one name under every policy.
    assert label_for({"name": "Gyumri"}, policy_for(briefing.naming, "azerbaijani"), "name", briefing.naming) == "Gyumri"
    # A briefing without policies has one that shows the label field; an unknown id falls back to it.
    assert policy_for((), "armenian") == DEFAULT_NAMING[0]
    assert label_for(props, DEFAULT_NAMING[0], "name") == "Stepanakert"
