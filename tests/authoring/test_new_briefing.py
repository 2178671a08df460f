"""`briefmap new`: a working briefing for another region, its refusals, and `--from`."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer

from briefmap.cli import main
from briefmap.data.briefing import open_briefing, validate
from briefmap.data.layers import map_crs
from briefmap.data.projection import map_projection

# The Western Balkans: the Adriatic to the Morava and Vardar valleys.
BALKANS = "13,39,24,47"
BALKAN_COUNTRIES = {"Albania", "Bosnia and Herzegovina", "Croatia", "Kosovo", "Montenegro", "North Macedonia",
                    "Serbia", "Slovenia"}
BALKAN_CAPITALS = {"Tirana", "Sarajevo", "Zagreb", "Pristina", "Podgorica", "Skopje", "Belgrade", "Ljubljana"}


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def balkans(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "balkans"
    assert main(["new", str(folder), "--title", "Western Balkans", "--bbox", BALKANS]) == 0
    return folder


def test_new_briefing_validates_and_carries_countries_capitals_and_a_bookmark(balkans):
    assert validate(balkans) == []
    briefing, tables = open_briefing(balkans)
    assert briefing.title == "Western Balkans"
    assert briefing.bookmark("region").bounds == (13.0, 39.0, 24.0, 47.0)
    assert [p.id for p in briefing.panels] == ["notes"] and briefing.panels[0].text == ""
    assert [s.id for s in briefing.scenarios] == ["overview"]
    countries = tables["countries"]
    focus = {p["name"] for p in countries.properties if p["role"] == "focus"}
    assert focus >= BALKAN_COUNTRIES
    # Every country's label point lies inside the country as cut and projected.
    import shapely

    for geom, props in zip(countries.geometries, countries.properties, strict=True):
        assert geom.contains(shapely.Point(props["label_x"], props["label_y"])), props["name"]
    capitals = {p["name"] for p in tables["capitals"].properties}
    assert capitals >= BALKAN_CAPITALS
    assert all(p["capital"] == "yes" for p in tables["capitals"].properties)


def test_new_briefing_projection_is_a_conic_fitted_to_the_box(balkans):
    briefing, _ = open_briefing(balkans)
    params = dict(t[1:].split("=", 1) for t in briefing.crs.split() if "=" in t)
    assert params["proj"] == "lcc"
    assert float(params["lat_1"]) == pytest.approx(39 + 8 / 6, abs=1e-3)
    assert float(params["lat_2"]) == pytest.approx(39 + 5 * 8 / 6, abs=1e-3)
    assert float(params["lon_0"]) == pytest.approx(18.5)
    # The app's own formulas agree with PROJ, and with the CRS stored in the base map.
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(10, 27, 500), rng.uniform(37, 49, 500)
    ex, ey = Transformer.from_crs("EPSG:4326", map_crs(briefing), always_xy=True).transform(lon, lat)
    x, y = map_projection(briefing.crs).forward(lon, lat)
    assert np.abs(x - ex).max() < 1e-3 and np.abs(y - ey).max() < 1e-3


def test_new_briefing_exports_with_its_countries_and_capitals_labelled(balkans, tmp_path):
    from briefmap.model.view import scenario_state
    from briefmap.render.sheet import SheetOptions, build_sheet

    briefing, tables = open_briefing(balkans)
    _fig, renderer = build_sheet(briefing, tables, scenario_state(briefing), SheetOptions.from_preset("slide-16x9"))
    shown = {lab.artist.get_text() for lab in renderer.visible_labels()}
    assert shown >= BALKAN_COUNTRIES
    drawn = {lab.artist.get_text() for lab in renderer.layers["capitals"].labels}
    assert drawn >= BALKAN_CAPITALS
    # The layout may hide a capital's label where it would collide; most must stay.
    assert len(BALKAN_CAPITALS & shown) >= len(BALKAN_CAPITALS) // 2
    # The SVG carries the names as text a reader (and a search) finds.
    svg = tmp_path / "balkans.svg"
    assert main(["export", "--briefing", str(balkans), "-o", str(svg), "--preset", "slide-16x9"]) == 0
    import xml.etree.ElementTree as ET

    texts = {"".join(t.itertext()).strip() for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert texts >= BALKAN_COUNTRIES
    assert texts >= BALKAN_CAPITALS
    out = tmp_path / "balkans.png"
    assert main(["export", "--briefing", str(balkans), "-o", str(out), "--size", "960x540", "--dpi", "100"]) == 0
    from PIL import Image

    with Image.open(out) as im:
        assert im.size == (960, 540)
        pixels = np.asarray(im.convert("RGB"))
    # Land (the region's cream) and sea (blue) both fill part of the map: data reaches the frame.
    cream = np.all(np.abs(pixels.astype(int) - (0xF6, 0xF2, 0xE7)) <= 3, axis=-1).mean()
    sea = np.all(np.abs(pixels.astype(int) - (0xD4, 0xE4, 0xEF)) <= 3, axis=-1).mean()
    assert cream > 0.1 and sea > 0.05


def test_new_over_an_existing_folder_exits_2_and_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree_digest(tmp_path)
    assert main(["new", str(folder), "--title", "X", "--bbox", BALKANS]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", str(folder), "--from", "builtin"]) == 2
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize(("bbox", "why"), [
    ("200,39,210,47", "outside -180…180"),
    ("24,39,13,47", "is east of east"),
    ("13,47,24,39", "must be below north"),
    ("13,39,24", "expected four numbers"),
    ("13,39,24,nan", "finite"),
    ("170,39,10,47", "is east of east"),
    ("-170,-60,170,60", "wide"),
    ("0,0,150,10", "wide"),
])
def test_a_box_that_is_not_a_box_exits_2_and_writes_nothing(tmp_path, capsys, bbox, why):
    before = tree_digest(tmp_path)
    assert main(["new", str(tmp_path / "b"), "--title", "X", f"--bbox={bbox}"]) == 2
    assert why in capsys.readouterr().err
    assert tree_digest(tmp_path) == before


def test_from_the_builtin_briefing_makes_a_valid_copy(tmp_path):
    folder = tmp_path / "copy"
    assert main(["new", str(folder), "--from", "builtin"]) == 0
    assert validate(folder) == []
    catalog = tomllib.loads((folder / "catalog.toml").read_text(encoding="utf-8"))
    assert catalog["briefing"]["id"] == "south-caucasus"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # A copy may get its own title; the change log says where it came from.
    titled = tmp_path / "titled"
    assert main(["new", str(titled), "--from", "builtin", "--title", "South Caucasus, late 2026"]) == 0
    assert validate(titled) == []
    catalog = tomllib.loads((titled / "catalog.toml").read_text(encoding="utf-8"))
    assert catalog["briefing"]["title"] == "South Caucasus, late 2026"
    assert catalog["changes"][-1]["summary"].startswith("Copied from south-caucasus")


@pytest.mark.slow
def test_new_briefing_across_the_antimeridian(tmp_path):
    folder = tmp_path / "fiji"
    assert main(["new", str(folder), "--title", "Fiji and Tonga", "--bbox", "174,-23,-172,-12"]) == 0
    assert validate(folder) == []
    _briefing, tables = open_briefing(folder)
    assert {"Fiji", "Tonga"} <= {p["name"] for p in tables["countries"].properties}
    assert "Suva" in {p["name"] for p in tables["capitals"].properties}
    # Both sides of the antimeridian land on one continuous map.
    xs = [g.centroid.x for g in tables["countries"].geometries]
    assert max(xs) - min(xs) < 3_000_000


def test_find_in_a_new_briefing_knows_local_and_native_names(balkans):
    from briefmap.model.search import find

    _briefing, tables = open_briefing(balkans)
    for query in ("Beograd", "Београд", "belgrade"):
        refs = {h.ref for h in find(query, tables.values()) if h.score == 0}
        assert any(r.startswith("capitals/") for r in refs), query
        assert {r.split("/", 1)[1] for r in refs if r.startswith(("capitals/", "cities/"))} == \
            {next(fid for fid, p in zip(tables["capitals"].ids, tables["capitals"].properties, strict=True)
                  if p["name"] == "Belgrade")}, query
