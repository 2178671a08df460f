"""The bad-input corpus (tests/corpus/faults.toml): each fault gives its precise message,
never a traceback; and hypothesis throws arbitrary input at the loaders."""

from __future__ import annotations

import os
import sqlite3
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefmap.data.briefing import validate
from briefmap.data.catalog import load_catalog
from briefmap.data.errors import BriefingError
from briefmap.data.layers import map_crs
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.user_layers import LayerImportError, import_layer

BUILTIN = load_catalog(builtin_briefing_dir())
CRS = BUILTIN.crs

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FAULTS = tomllib.loads((CORPUS / "faults.toml").read_text(encoding="utf-8"))
FUZZ = int(os.environ.get("BRIEFMAP_FUZZ_EXAMPLES", "150"))


def test_the_corpus_has_at_least_forty_distinct_faults():
    messages = [c["message"] for c in FAULTS["layer"] + FAULTS["briefing"] + FAULTS["folder"]]
    assert len(set(messages)) == len(messages) >= 40


@pytest.mark.parametrize("case", FAULTS["layer"], ids=[c["file"] for c in FAULTS["layer"]])
def test_bad_layer_file(case, tmp_path):
    path = CORPUS / "layers" / case["file"]
    if case.get("fifo"):
        path = tmp_path / case["file"]
        os.mkfifo(path)
    with pytest.raises(LayerImportError) as info:
        import_layer(path, map_crs(BUILTIN))
    assert str(info.value).startswith(case["message"]), str(info.value)


def deep_wkb(depth: int) -> bytes:
    """A GeoPackage blob: a GeometryCollection nested `depth` deep (little-endian WKB)."""
    import struct

    nest = (struct.pack("<BI", 1, 7) + struct.pack("<I", 1)) * depth
    return b"GP\x00\x01" + struct.pack("<i", 4326) + nest + struct.pack("<BII", 1, 7, 0)


def apply(folder: Path, case: dict) -> None:
    if "replace" in case:
        file, old, new, *pad = case["replace"]
        new = new.replace("@", "x" * pad[0]) if pad else new
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"corpus case {case['id']}: text to replace not found"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if "symlink" in case:
        link, target = case["symlink"]
        (folder / link).unlink()
        (folder / link).symlink_to(target)
    if "fifo" in case:
        (folder / case["fifo"]).unlink()
        os.mkfifo(folder / case["fifo"])
    if "append" in case:
        file, head, *pieces = case["append"]
        with open(folder / file, "a", encoding="utf-8") as fh:
            fh.write(head + "".join(piece * n for piece, n in pieces) + "\n")
    if "deep_wkb" in case:
        table, fid, depth = case["deep_wkb"]
        with sqlite3.connect(folder / "layers.gpkg") as db:
            db.execute(f"UPDATE {table} SET geom = ? WHERE id = ?", (deep_wkb(depth), fid))
    if "write_bytes" in case:
        file, size = case["write_bytes"]
        data = {-1: b"\xff\xfe not utf-8 \x80\x81", -2: b"SQLite format 3\x00" + b"\x00" * 512}.get(size)
        (folder / file).write_bytes(data if data is not None else b"#" * size)
    if "delete" in case:
        (folder / case["delete"]).unlink()
    if "sql" in case:
        with sqlite3.connect(folder / "layers.gpkg") as db:
            for statement in [case["sql"]] if isinstance(case["sql"], str) else case["sql"]:
                db.execute(statement)


@pytest.mark.parametrize("case", FAULTS["briefing"], ids=[c["id"] for c in FAULTS["briefing"]])
def test_bad_briefing(briefing_copy, case):
    apply(briefing_copy, case)
    problems = [str(p) for p in validate(briefing_copy)]
    assert any(case["message"] in p for p in problems), problems


@pytest.mark.parametrize("case", FAULTS["folder"], ids=[c["id"] for c in FAULTS["folder"]])
def test_bad_folder_path(case, tmp_path, capsys):
    from briefmap.cli import main

    path = case["path"].replace("@", "x" * case.get("repeat", 0))
    if case.get("loop"):
        (tmp_path / path).symlink_to(tmp_path / path)
    path = str(tmp_path / path)
    problems = [str(p) for p in validate(Path(path))]
    assert any(case["message"] in p for p in problems), problems
    assert main(["validate", path]) == 1
    assert case["message"] in capsys.readouterr().out


def test_user_layers_that_load_say_what_was_assumed_or_repaired():
    crs = map_crs(BUILTIN)
    no_prj = import_layer(CORPUS / "layers" / "no-prj.zip", crs)
    assert len(no_prj.table) == 2
    assert any("names no coordinate reference system" in w and "EPSG:4326" in w for w in no_prj.warnings)
    bowtie = import_layer(CORPUS / "layers" / "bowtie.geojson", crs)
    assert any("repaired: feature 1 (Self-intersection" in w for w in bowtie.warnings)
    assert all(g.is_valid for g in bowtie.table.geometries)
    for name, n in (("semicolons.csv", 2), ("good.geojson", 2), ("places.kml", 1), ("sites.gpkg", 1),
                    ("sites.zip", 2)):
        layer = import_layer(CORPUS / "layers" / name, crs)
        assert len(layer.table) == n, name
        assert not layer.warnings, (name, layer.warnings)


def test_imported_points_land_where_they_should():
    from briefmap.data.projection import to_lonlat

    layer = import_layer(CORPUS / "layers" / "semicolons.csv", map_crs(BUILTIN))
    g = layer.table.geometries[0]
    lon, lat = to_lonlat(g.x, g.y, CRS)
    assert (round(lat, 2), round(lon, 2)) == (40.79, 43.85)
    assert layer.table.properties[0]["name"] == "Gyumri"


# ------------------------------------------------------------------ fuzzing
catalog_text = (builtin_briefing_dir() / "catalog.toml").read_text(encoding="utf-8")
catalog_lines = catalog_text.splitlines(keepends=True)
toml_values = st.one_of(st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=False).map(repr),
                        st.text(max_size=30).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
                        st.sampled_from(["true", "[]", "{}", "1979-05-27", "[1, 2]", '["x"]', "nan", "inf",
                                         "2100-12-32", '"../x"', '"/etc/passwd"', "{ a = 1 }"]))


@st.composite
def mutated_catalog(draw) -> str:
    lines = list(catalog_lines)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "garbage", "swap"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {draw(toml_values)}\n"
        elif action == "garbage":
            lines.insert(i, draw(st.text(max_size=40)) + "\n")
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=mutated_catalog())
@pytest.mark.slow
def test_fuzzed_catalogs_load_or_fail_cleanly(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    for sub in ("panels",):
        (folder / sub).symlink_to(builtin_briefing_dir() / sub)
    (folder / "layers.gpkg").symlink_to(builtin_briefing_dir() / "layers.gpkg")
    (folder / "catalog.toml").write_text(text, encoding="utf-8")
    try:
        load_catalog(folder)
    except BriefingError as exc:
        assert exc.problems
        for p in exc.problems:
            # Each problem says where (the catalog, with a line when the key is there) and what.
            assert p.file == "catalog.toml" and p.message.strip()
            assert str(p).startswith(f"{p.location()}: ")
            if p.line is not None:
                assert 1 <= p.line <= text.count("\n") + 1


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=8)),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["type", "features", "geometry", "coordinates", "properties", "crs", "id", "x"]),
        children, max_size=5),
    max_leaves=30,
)
geometry_types = st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "MultiPoint", "Feature",
                                  "FeatureCollection", "GeometryCollection", "Nope"])


@st.composite
def geojsonish(draw) -> dict:
    coords = draw(st.recursive(st.floats(-400, 400), lambda c: st.lists(c, max_size=6), max_leaves=40))
    geom = {"type": draw(geometry_types), "coordinates": coords}
    feature = {"type": "Feature", "geometry": draw(st.one_of(st.just(geom), json_values)),
               "properties": draw(json_values)}
    return draw(st.sampled_from([
        {"type": "FeatureCollection", "features": [feature] * draw(st.integers(0, 3))},
        feature, geom, draw(json_values),
    ]))


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.one_of(geojsonish().map(lambda d: __import__("json").dumps(d).encode()), st.binary(max_size=300)),
       suffix=st.sampled_from([".geojson", ".csv", ".kml", ".gpkg", ".zip"]))
@pytest.mark.slow
def test_fuzzed_layer_files_load_or_fail_cleanly(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("layer") / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        layer = import_layer(path, map_crs(BUILTIN))
    except LayerImportError as exc:
        assert str(exc).startswith(f"fuzz{suffix}: ")
    else:
        assert len(layer.table) > 0
        assert all(g.is_valid and not g.is_empty for g in layer.table.geometries)


def test_large_geojson_goes_through_gdal_and_keeps_precise_errors(monkeypatch):
    from briefmap.data import user_layers

    monkeypatch.setattr(user_layers, "LARGE_GEOJSON_BYTES", 10)
    layer = import_layer(CORPUS / "layers" / "good.geojson", map_crs(BUILTIN))
    assert len(layer.table) == 2 and layer.table.properties[0]["name"] == "Yerevan office"
    with pytest.raises(LayerImportError, match=r"truncated\.geojson: the file ends too early"):
        import_layer(CORPUS / "layers" / "truncated.geojson", map_crs(BUILTIN))
