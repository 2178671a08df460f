"""The built-in briefing's content: sourced, dated, linked, and faithful to the fact sheet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import shapely

from briefmap.data.briefing import panel_links
from briefmap.data.catalog import load_catalog
from briefmap.data.layers import read_base
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.projection import to_map
from briefmap.model.features import CONFIDENCE_LEVELS

BUILTIN = load_catalog(builtin_briefing_dir())
CRS = BUILTIN.crs


def feature(tables, layer, fid):
    t = tables[layer]
    i = t.index(fid)
    return t.geometries[i], t.properties[i]


def test_every_feature_has_source_as_of_and_confidence(briefing, tables):
    for lid, t in tables.items():
        for fid, props in zip(t.ids, t.properties, strict=True):
            assert props["source"] in briefing.sources, f"{lid}/{fid}"
            dt.date.fromisoformat(props["as_of"])
            assert props["confidence"] in CONFIDENCE_LEVELS, f"{lid}/{fid}"


def test_every_panel_link_resolves(briefing, tables):
    links = 0
    for panel in briefing.panels:
        for kind, target, _line in panel_links(panel.text):
            links += 1
            if kind == "feature":
                layer, _, fid = target.partition("/")
                assert fid in tables[layer].ids, f"{panel.file}: {target}"
            elif kind == "panel":
                assert target in {p.id for p in briefing.panels}
            else:
                assert target in {e.id for e in briefing.events}
    assert links >= 40


def test_panels_cover_the_argument(briefing):
    titles = {p.id for p in briefing.panels}
    assert {"bottom-line", "how-we-got-here", "mediators", "away-from-russia", "power-gap", "protests",
            "outcomes", "stability", "after-the-article", "sources"} <= titles
    text = "\n".join(p.text for p in briefing.panels)
    for needle in ("eight miles", "12.7 km", "100,417", "115,183", "COP29", "COP Bureau", "forum shopping",
                   "1997", "CSTO", "India", "maximally decrease our dependency on others", "guarantees",
                   "mid-April", "Russia, Turkey and Iran", "Artin DerSimonian", "Inkstick"):
        assert needle in text, needle


def test_quotes_are_short(briefing):
    """At most one sentence quoted at a time."""
    for panel in briefing.panels:
        for quote in re.findall(r"\"([^\"\n]*)\"", panel.text):
            assert len(quote) < 200 and quote.count(". ") == 0, (panel.id, quote)


def test_scenarios_name_existing_layers_and_highlights(briefing, tables):
    assert {"agreement", "stalemate", "collapse"} <= {s.id for s in briefing.scenarios}
    for s in briefing.scenarios:
        assert s.layers and set(s.layers) <= set(briefing.layer_ids), s.id
        assert s.key_points and s.summary
        for ref in s.highlight:
            layer, _, fid = ref.partition("/")
            assert fid in tables[layer].ids


def test_timeline_has_fifteen_sourced_events_from_2020_to_2025(briefing):
    events = briefing.events
    assert len(events) >= 15
    assert min(e.date for e in events) >= dt.date(2020, 11, 1)
    assert max(e.date for e in events) <= dt.date(2025, 11, 30)
    assert all(e.source in briefing.sources for e in events)
    for e in events:
        if e.date > briefing.article_as_of:
            assert e.after_article, e.id


def test_dates_match_the_fact_sheet(briefing, tables):
    dates = {e.id: e.date for e in briefing.events}
    assert dates["delimitation-agreed"] == dt.date(2024, 4, 19)
    assert dates["first-pillar"] == dt.date(2024, 4, 23)
    assert dates["protocol"] == dt.date(2024, 5, 15)
    assert dates["handover"] == dt.date(2024, 5, 24)
    assert dates["kirants-transition-ends"] == dt.date(2024, 7, 24)
    assert dates["joint-statement"] == dt.date(2023, 12, 7)
    assert dates["peacekeepers-leave"] == dt.date(2024, 6, 12)
    assert dates["zvartnots"] == dt.date(2024, 7, 31)
    _g, pk = feature(tables, "karabakh", "peacekeepers")
    assert (pk["start"], pk["end"], pk["troops"]) == ("2020-11-10", "2024-06-12", 1960.0)
    _g, k = feature(tables, "delimitation_sections", "kirants")
    assert (k["agreed"], k["first_pillar"], k["protocol_signed"], k["handover"], k["transitional_until"]) == (
        "2024-04-19", "2024-04-23", "2024-05-15", "2024-05-24", "2024-07-24")


def test_sections_lie_on_the_border_near_their_villages(tables):
    borders = read_base(BUILTIN, "borders")
    border = borders.geometries[borders.ids.index("ARM-AZE")]
    confirmed = {"baghanis": (41.12, 45.07), "voskepar": (41.06, 45.06), "berkaber": (41.05, 45.13)}
    total = 0.0
    for fid in ("baghanis", "voskepar", "kirants", "berkaber"):
        g, props = feature(tables, "delimitation_sections", fid)
        # Every vertex of the section lies on the border line (within 1 km).
        pts = shapely.points(shapely.get_coordinates(g))
        assert shapely.distance(border, pts).max() < 1000, fid
        total += g.length
        if fid in confirmed:
            lat, lon = confirmed[fid]
            assert g.distance(shapely.Point(*to_map(lon, lat, CRS))) < 3000, fid
        assert props["source"] == "armenpress-1137916"
    assert total / 1000 == pytest.approx(12.7, abs=0.2)
    # The official lengths, where published, add up with the combined figure.
    k = feature(tables, "delimitation_sections", "kirants")[1]["official_length_km"]
    b = feature(tables, "delimitation_sections", "berkaber")[1]["official_length_km"]
    v = feature(tables, "delimitation_sections", "voskepar")[1]["combined_length_km"]
    assert k + b + v == pytest.approx(12.6)


def test_unconfirmed_villages_say_so(tables):
    for fid in ("kirants-village", "xeyrimli-village", "qizilhacili-village"):
        _g, props = feature(tables, "delimitation_villages", fid)
        assert props["confidence"] == "unconfirmed"
        assert "unconfirmed" in props["position_note"].lower()
    _g, k = feature(tables, "delimitation_sections", "kirants")
    assert k["confidence"] == "unconfirmed"


def test_villages_match_fact_sheet_coordinates(tables):
    for fid, (lat, lon) in {"voskepar-village": (41.06, 45.06), "baghanis-village": (41.12, 45.07),
                            "berkaber-village": (41.05, 45.13), "baganis-ayrim-village": (41.10, 45.08),
                            "asagi-askipara-village": (41.08, 45.08)}.items():
        g, _ = feature(tables, "delimitation_villages", fid)
        x, y = to_map(lon, lat, CRS)
        assert abs(g.x - x) < 2 and abs(g.y - y) < 2, fid


def test_contested_places_carry_both_usages_and_scripts(tables):
    for fid, hy, az in (("stepanakert", "Stepanakert", "Khankendi"), ("shushi", "Shushi", "Shusha"),
                        ("berdzor", "Berdzor", "Lachin")):
        _g, p = feature(tables, "places", fid)
        assert (p["name_hy_usage"], p["name_az_usage"]) == (hy, az)
        assert p["name_hy_script"] and p["name_az_script"]
        assert any("\u0531" <= ch <= "\u058f" for ch in p["name_hy_script"])


def test_later_developments_are_marked_after_the_article(briefing, tables):
    spec = briefing.layer("later_developments")
    assert spec.after_article and not spec.visible
    for props in tables["later_developments"].properties:
        assert props["after_article"] == "yes"
        assert dt.date.fromisoformat(props["start"]) > briefing.article_as_of


def test_actor_links_are_typed_and_sourced(tables):
    relations = {p["relation"] for p in tables["actor_links"].properties}
    assert {"alliance", "treaty of friendship and mutual assistance", "arms supply", "mediation",
            "red line"} <= relations


def test_displacement_figures(tables):
    _g, p = feature(tables, "displacement", "exodus-2023")
    assert p["people_armenian_government_2023_09_30"] == 100417
    assert p["people_unhcr_2024_02_01"] == 115183
    assert p["people_article"] == "more than 100,000"


def test_cities_come_from_geonames():
    cities = read_base(BUILTIN, "cities")
    countries = read_base(BUILTIN, "countries")
    country = {p["iso_a3"]: g for g, p in zip(countries.geometries, countries.properties, strict=True)}
    assert {p["source"] for p in cities.properties} == {"geonames"}
    # Each city lies in the country GeoNames gives for it, where it says (lat/lon) it is.
    for g, p in zip(cities.geometries, cities.properties, strict=True):
        x, y = to_map(p["lon"], p["lat"], CRS)
        assert g.distance(shapely.Point(x, y)) < 1.0, p["name"]
        if p["iso_a3"] in ("ARM", "AZE", "GEO"):
            assert country[p["iso_a3"]].distance(g) < 5_000, p["name"]
    names = {p["name"]: p for p in cities.properties}
    for capital, iso in (("Yerevan", "ARM"), ("Baku", "AZE"), ("Tbilisi", "GEO")):
        assert names[capital]["iso_a3"] == iso
        assert names[capital]["population"] == max(p["population"] for p in cities.properties if p["iso_a3"] == iso)
