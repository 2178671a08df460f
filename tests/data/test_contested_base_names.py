"""The base map's third-party layers (GeoNames cities, Natural Earth admin-1) name the
contested places as the naming policy says, like the briefing's own places do."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from briefmap.data.projection import bounds_to_map
from briefmap.model.view import scenario_state
from briefmap.render.sheet import SheetOptions, build_sheet
from briefmap.ui.identify import feature_title

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "geodata"))
import contested_names  # noqa: E402

# (layer, feature id) -> the briefing place it is; the policy's names come from that place.
CONTESTED = {
    ("admin1", "aze-xankandi-sahari"): ("Stepanakert", "Khankendi"),
    ("admin1", "aze-susa-sahari"): ("Shushi", "Shusha"),
    ("cities", "geonames-147105"): ("Shushi", "Shusha"),
}
EXPECTED = {
    "armenian": lambda hy, az: hy,
    "azerbaijani": lambda hy, az: az,
    "both": lambda hy, az: f"{hy} / {az}",
}


def briefing_usages() -> set[tuple[str, str]]:
    sheet = tomllib.loads((ROOT / "geodata" / "south-caucasus" / "features.toml").read_text(encoding="utf-8"))
    return {(f["name_hy_usage"], f["name_az_usage"]) for layer in sheet["layer"]
            for f in layer.get("feature", []) if "name_hy_usage" in f}


def test_base_layers_carry_only_the_briefings_usages(tables):
    usages = briefing_usages()
    found = {}
    for layer in ("admin1", "cities"):
        t = tables[layer]
        for fid, props in zip(t.ids, t.properties, strict=True):
            if props.get("name_hy_usage") or props.get("name_az_usage"):
                found[(layer, fid)] = (props["name_hy_usage"], props["name_az_usage"])
    assert found == CONTESTED
    assert set(found.values()) <= usages  # no name that the briefing's places do not use


@pytest.mark.parametrize("policy", sorted(EXPECTED))
def test_cities_and_provinces_labels_follow_the_naming_policy(briefing, tables, policy):
    state = scenario_state(briefing).with_(
        names=policy, visible=("countries", "admin1", "cities", "places"),
        extent=bounds_to_map(briefing.bookmark("karabakh").bounds, briefing.crs))
    _fig, renderer = build_sheet(briefing, tables, state, SheetOptions.from_preset("slide-16x9"))
    texts = {}
    for layer in ("admin1", "cities"):
        la = renderer.layers[layer]
        for lab in la.labels:
            texts[(layer, la.table.ids[lab.index])] = lab.artist
    for key, (hy, az) in CONTESTED.items():
        want = EXPECTED[policy](hy, az)
        assert texts[key].get_text() == want, key
        props = tables[key[0]].properties[tables[key[0]].ids.index(key[1])]
        assert feature_title(props, policy, key[1], briefing) == want  # the identify popup's title
    # At the Karabakh bookmark the GeoNames city is on the sheet under the policy's name.
    assert texts[("cities", "geonames-147105")].get_visible()
    # Places that are not contested keep their one name under every policy.
    assert texts[("admin1", "aze-barda-rayon")].get_text() == "Barda Rayon"
    assert texts[("cities", "geonames-174895")].get_text() == "Goris"


def test_the_build_refuses_a_name_that_is_not_the_places(tmp_path):
    table = tmp_path / "contested-names.toml"
    table.write_text('[[place]]\nplace = "stepanakert"\nhy = "Stepanakert"\naz = "Xankendi City"\n'
                     'admin1 = ["Xankandi Sahari"]\ncities = []\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"place 1 \('stepanakert'\): hy/az must be the place's usages"):
        contested_names.load(table)
    table.write_text('[[place]]\nplace = "martakert"\nhy = "Martakert"\naz = "Aghdara"\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="no such place"):
        contested_names.load(table)
