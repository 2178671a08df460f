"""`briefmap export-data`: the briefing's data as a styled GeoPackage or one layer as GeoJSON.

Read back with pyogrio (as another tool would) and compared with `briefmap.load()`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Geod

import briefmap
from briefmap.cli import main

MIXED = {"russia", "eu_mission", "iran", "later_developments"}  # layers with points and lines or areas


@pytest.fixture(scope="module")
def loaded():
    return briefmap.load()


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "south-caucasus.gpkg"
    assert main(["export-data", "-o", str(out)]) == 0
    return out


def read_layer(path: Path, layer_id: str) -> pd.DataFrame:
    """A layer's table(s) read back, in the order of the API's frame."""
    names = [str(n) for n, _t in pyogrio.list_layers(path)]
    parts = [n for n in names if n == layer_id or (layer_id in MIXED and n.startswith(layer_id + "_"))]
    assert parts, f"no table for {layer_id}"
    return pd.concat([pyogrio.read_dataframe(path, layer=n) for n in parts], ignore_index=True)


def same_value(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, pd.Timestamp) or isinstance(b, pd.Timestamp):
        return pd.Timestamp(a) == pd.Timestamp(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == pytest.approx(float(b))
    return a == b


def same_geometry(a, b, tolerance: float = 1e-7) -> bool:
    """Equal to `tolerance` degrees, part by part (a GeoPackage table may hold a line as a
    one-part multiline)."""
    pa, pb = shapely.get_parts(a), shapely.get_parts(b)
    return len(pa) == len(pb) and all(shapely.equals_exact(x, y, tolerance=tolerance) for x, y in zip(pa, pb,
                                                                                                     strict=True))


def test_every_layer_round_trips(gpkg, loaded):
    for layer_id in loaded.layer_ids:
        expected = loaded.frame(layer_id).set_index("id")
        got = read_layer(gpkg, layer_id).set_index("id")
        assert got.crs.to_epsg() == 4326, layer_id
        assert sorted(got.index) == sorted(expected.index), layer_id
        assert set(expected.columns) <= set(got.columns), layer_id
        for fid, row in expected.iterrows():
            back = got.loc[fid]
            assert same_geometry(back.geometry, row.geometry), f"{layer_id}/{fid}: geometry"
            for column in expected.columns.drop("geometry"):
                assert same_value(back[column], row[column]), f"{layer_id}/{fid}: {column}"


def test_delimitation_sections_come_back_as_four_lines_of_about_12_6_km(gpkg):
    sections = pyogrio.read_dataframe(gpkg, layer="delimitation_sections")
    assert len(sections) == 4
    assert set(sections.geom_type) <= {"LineString", "MultiLineString"}
    geod = Geod(ellps="WGS84")
    total_km = sum(geod.geometry_length(g) for g in sections.geometry) / 1000
    # The official figure is 12.7 km (Armenia's breakdown sums to 12.6); the map traces them
    # along the Natural Earth border.
    assert total_km == pytest.approx(12.6, abs=0.1)
    assert set(sections["name_hy_usage"]) == {"Baghanis", "Voskepar", "Kirants", "Berkaber"}


def test_sources_and_events_are_attribute_tables(gpkg, loaded):
    layers = dict((str(n), t) for n, t in pyogrio.list_layers(gpkg))
    assert layers["sources"] is None and layers["events"] is None
    sources = pyogrio.read_dataframe(gpkg, layer="sources", read_geometry=False)
    expected = loaded.sources()
    assert list(sources["id"]) == list(expected["id"])
    for column in expected.columns:
        assert all(same_value(a, b) for a, b in zip(sources[column], expected[column], strict=True)), column
    events = pyogrio.read_dataframe(gpkg, layer="events", read_geometry=False)
    expected = loaded.events()
    assert list(events["id"]) == list(expected["id"])
    assert [d.date() for d in events["date"]] == [d.date() for d in expected["date"]]
    assert list(events["features"].fillna("")) == list(expected["features"].fillna(""))


def test_each_table_has_a_default_qgis_style(gpkg, briefing):
    with sqlite3.connect(gpkg) as db:
        tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
        rows = {r[0]: r[1:] for r in db.execute(
            "SELECT f_table_name, f_table_schema, f_geometry_column, useAsDefault, styleQML FROM layer_styles")}
        geometry_column = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
    assert sorted(rows) == sorted(tables)
    for table, (schema, column, default, qml) in rows.items():
        # what QGIS looks for: this table and geometry column, empty schema, marked default
        assert schema == "" and column == geometry_column[table] and default == 1
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.tag == "qgis" and root.find("renderer-v2") is not None
    sections = ET.fromstring(rows["delimitation_sections"][3].split("\n", 1)[1])
    line = sections.find("renderer-v2/symbols/symbol/layer")
    props = {o.get("name"): o.get("value") for o in line.iter("Option") if o.get("name")}
    style = briefing.styles["section"]
    assert line.get("class") == "SimpleLine"
    assert props["line_color"] == "230,159,0,255" and style.color == "#e69f00"
    assert float(props["line_width"]) == style.linewidth and props["line_width_unit"] == "Point"
    labels = sections.find("labeling/settings/text-style")
    assert "name_hy_usage" in labels.get("fieldName") and labels.get("fontWeight") == "75"
    nkao = ET.fromstring(rows["nk_oblast_1991"][3].split("\n", 1)[1])
    fill, hatch = nkao.findall("renderer-v2/symbols/symbol/layer")
    fill_props = {o.get("name"): o.get("value") for o in fill.iter("Option") if o.get("name")}
    assert briefing.styles["nkao"].linestyle == "dashed" and fill_props["outline_style"] == "dash"
    assert round(int(fill_props["color"].split(",")[3]) / 255, 2) == briefing.styles["nkao"].alpha
    assert hatch.get("class") == "LinePatternFill"
    borders = ET.fromstring(rows["state_borders"][3].split("\n", 1)[1])
    renderer = borders.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "kind"
    assert {c.get("value") for c in renderer.iter("category")} >= {"delimited", "undelimited"}


def test_mixed_layers_become_one_table_per_geometry_kind(gpkg):
    layers = {str(n): t for n, t in pyogrio.list_layers(gpkg)}
    assert layers["iran_points"] == "Point" and layers["iran_lines"] == "MultiLineString"
    assert layers["eu_mission_polygons"] == "MultiPolygon" and layers["eu_mission_points"] == "Point"
    assert "iran" not in layers
    with sqlite3.connect(gpkg) as db:
        identifier, description = db.execute(
            "SELECT identifier, description FROM gpkg_contents WHERE table_name = 'iran_lines'").fetchone()
    assert identifier == "Iran (lines)" and "red line" in description


def test_same_briefing_gives_the_same_bytes(gpkg, tmp_path):
    again = tmp_path / "again.gpkg"
    assert main(["export-data", "-o", str(again)]) == 0
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(gpkg.read_bytes()).digest()
    with sqlite3.connect(again) as db:
        stamps = {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")}
    assert len(stamps) == 1 and stamps.pop().endswith("T00:00:00.000Z")


def test_chosen_layers_only(tmp_path):
    out = tmp_path / "two.gpkg"
    assert main(["export-data", "-o", str(out), "--layers", "places,delimitation_sections"]) == 0
    names = {str(n) for n, _t in pyogrio.list_layers(out)}
    assert names == {"places", "delimitation_sections", "sources", "events", "layer_styles"}
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it


def test_one_layer_as_geojson(tmp_path, loaded):
    out = tmp_path / "sections.geojson"
    assert main(["export-data", "-o", str(out), "--layers", "delimitation_sections"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 4
    first = doc["features"][0]["properties"]
    assert first["as_of"] == "2024-05-24" and first["name_az_usage"] == "Bağanıs Ayrım"
    back = pyogrio.read_dataframe(out).set_index("id")
    for fid, row in loaded.frame("delimitation_sections").set_index("id").iterrows():
        assert same_geometry(back.geometry[fid], row.geometry), fid
    again = tmp_path / "again.geojson"
    assert main(["export-data", "-o", str(again), "--layers", "delimitation_sections"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_a_mixed_layer_stays_one_geojson_layer(tmp_path, loaded):
    out = tmp_path / "iran.geojson"
    assert main(["export-data", "-o", str(out), "--layers", "iran"]) == 0
    kinds = {f["geometry"]["type"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert kinds == set(loaded.frame("iran").geom_type)


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "{d}/out.shp"], "unsupported file type '.shp'"),
    (["-o", "{d}/out"], "unsupported file type"),
    (["-o", "{d}/out.gpkg", "--layers", "places,atlantis"], "unknown layer(s): atlantis"),
    (["-o", "{d}/out.geojson"], "a GeoJSON file holds one layer"),
    (["-o", "{d}/out.geojson", "--layers", "places,iran"], "a GeoJSON file holds one layer"),
    (["-o", "{d}/out.geojson", "--layers", "atlantis"], "unknown layer(s): atlantis"),
    (["-o", "{d}/missing/out.gpkg"], "does not exist"),
], ids=["shp", "no-suffix", "unknown-layer", "geojson-all", "geojson-two", "geojson-unknown", "no-folder"])
def test_bad_arguments_exit_2_and_write_nothing(tmp_path, capsys, args, message):
    args = [a.format(d=tmp_path) for a in args]
    assert main(["export-data", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("briefmap export-data:")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_whole(tmp_path):
    out = tmp_path / "data.gpkg"
    out.write_bytes(b"an older file")
    assert main(["export-data", "-o", str(out), "--layers", "places"]) == 0
    assert {str(n) for n, _t in pyogrio.list_layers(out)} == {"places", "sources", "events", "layer_styles"}
    assert np.all(pyogrio.read_dataframe(out, layer="places").geometry.is_valid)


def test_a_file_that_cannot_be_written_exits_1_and_leaves_nothing(tmp_path, capsys):
    taken = tmp_path / "taken.gpkg"
    taken.mkdir()  # a folder where the file should go: the rename into place fails
    (taken / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["export-data", "-o", str(taken), "--layers", "places"]) == 1
    err = capsys.readouterr().err
    assert "cannot write the file" in err and str(taken) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.gpkg"]
    assert (taken / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_an_invalid_briefing_exits_1_and_writes_nothing(briefing_copy, tmp_path, capsys):
    catalog = briefing_copy / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('style = "section"', 'style = "nope"', 1),
                       encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export-data", "--briefing", str(briefing_copy), "-o", str(out / "x.gpkg")]) == 1
    assert "nope" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_a_geometry_collection_is_split_by_kind_as_the_map_draws_it(briefing, tables, tmp_path):
    from briefmap.data.export_data import export_data
    from briefmap.model.features import FeatureTable

    turkey = tables["turkey"]
    point = turkey.geometries[0]
    line = shapely.LineString([(point.x, point.y), (point.x + 20000, point.y + 10000)])
    mixed = FeatureTable("turkey", list(turkey.ids), [shapely.GeometryCollection([point, line])],
                         [dict(p) for p in turkey.properties])
    out = tmp_path / "mixed.gpkg"
    export_data(briefing, {**tables, "turkey": mixed}, out, ["turkey"])
    layers = {str(n): t for n, t in pyogrio.list_layers(out)}
    assert layers["turkey_points"] == "Point" and layers["turkey_lines"] == "LineString"
    for name in ("turkey_points", "turkey_lines"):
        assert list(pyogrio.read_dataframe(out, layer=name)["id"]) == turkey.ids
    geojson = tmp_path / "mixed.geojson"
    export_data(briefing, {**tables, "turkey": mixed}, geojson, ["turkey"])
    feature = json.loads(geojson.read_text(encoding="utf-8"))["features"][0]
    assert feature["geometry"]["type"] == "GeometryCollection"


def test_a_layer_without_features_is_an_empty_table(briefing, tables, tmp_path):
    from briefmap.data.export_data import export_data
    from briefmap.model.features import FeatureTable

    empty = FeatureTable("turkey", [], [], [])
    out = tmp_path / "empty.gpkg"
    export_data(briefing, {**tables, "turkey": empty}, out, ["turkey", "places"])
    assert len(pyogrio.read_dataframe(out, layer="turkey")) == 0
    with sqlite3.connect(out) as db:
        styled = {r[0] for r in db.execute("SELECT f_table_name FROM layer_styles")}
    assert styled == {"places"}
