"""`briefmap.load()`: a briefing's layers as GeoDataFrames for notebooks, checked like the app."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import shapely

import briefmap
from briefmap.data.briefing import validate
from briefmap.data.projection import to_lonlat

# The fact sheet's coordinates (lat, lon; two decimals, WGS84), section "Places" and
# "Village coordinates": the layers were drawn from them, so a frame in EPSG:4326 must
# put each place there.
FACT_SHEET = {
    ("places", "yerevan"): (40.18, 44.52),
    ("places", "baku"): (40.40, 49.88),
    ("places", "tbilisi"): (41.72, 44.78),
    ("places", "stepanakert"): (39.82, 46.75),
    ("places", "gyumri"): (40.79, 43.85),
    ("places", "meghri"): (38.90, 46.24),
    ("places", "nakhchivan"): (39.21, 45.41),
}
VILLAGES = {"Voskepar": (41.06, 45.06), "Baghanis": (41.12, 45.07), "Berkaber": (41.05, 45.13)}


@pytest.fixture(scope="module")
def loaded():
    return briefmap.load()


def test_the_api_is_listed_for_notebook_completion():
    assert {"load", "BriefingError", "LoadedBriefing"} <= set(dir(briefmap))


def test_layer_ids_are_the_catalogs(loaded, briefing):
    assert loaded.layer_ids == briefing.layer_ids
    assert "delimitation_sections" in loaded.layer_ids and "places" in loaded.layer_ids


@pytest.mark.parametrize(("key", "latlon"), FACT_SHEET.items(), ids=[k[1] for k in FACT_SHEET])
def test_places_are_where_the_fact_sheet_puts_them(loaded, key, latlon):
    layer, fid = key
    frame = loaded.frame(layer)
    point = frame.set_index("id").geometry[fid]
    assert frame.crs.to_epsg() == 4326
    assert point.y == pytest.approx(latlon[0], abs=0.006)
    assert point.x == pytest.approx(latlon[1], abs=0.006)


def test_villages_are_where_the_fact_sheet_puts_them(loaded):
    villages = loaded.frame("delimitation_villages")
    for name, (lat, lon) in VILLAGES.items():
        row = villages[villages["name"].str.startswith(name)]
        assert len(row) == 1, name
        assert row.geometry.iloc[0].y == pytest.approx(lat, abs=0.006)
        assert row.geometry.iloc[0].x == pytest.approx(lon, abs=0.006)


def test_frame_carries_every_property_typed(loaded, tables):
    frame = loaded.frame("delimitation_sections")
    table = tables["delimitation_sections"]
    assert list(frame["id"]) == table.ids
    assert set(table.properties[0]) <= set(frame.columns)
    for column in ("name", "name_hy_usage", "name_az_usage", "source", "as_of", "confidence", "start"):
        assert column in frame.columns
    assert set(frame["name_hy_usage"]) == {"Baghanis", "Voskepar", "Kirants", "Berkaber"}
    assert "Aşağı Əskipara" in set(frame["name_az_usage"])
    # dates are dates, numbers are numbers, and a property a feature lacks is missing
    assert pd.api.types.is_datetime64_any_dtype(frame["as_of"])
    assert set(frame["start"].dt.date) == {dt.date(2024, 4, 19)}
    assert frame.set_index("id")["official_length_km"]["kirants"] == 5.8
    assert math.isnan(frame.set_index("id")["official_length_km"]["baghanis"])
    assert frame.set_index("id")["confidence"]["kirants"] == "unconfirmed"


def test_frame_in_the_maps_own_projection_is_the_apps_geometry(loaded, tables):
    projected = loaded.frame("places", crs=None)
    table = tables["places"]
    for fid, geom in zip(projected["id"], projected.geometry, strict=True):
        assert shapely.equals_exact(geom, table.geometries[table.index(fid)], tolerance=1e-6)
    lon, lat = to_lonlat(projected.geometry.iloc[0].x, projected.geometry.iloc[0].y, loaded.briefing.crs)
    wgs84 = loaded.frame("places").geometry.iloc[0]
    assert (lon, lat) == pytest.approx((wgs84.x, wgs84.y), abs=1e-7)


def test_frames_are_copies(loaded):
    first = loaded.frame("places")
    first.loc[0, "name"] = "changed"
    assert loaded.frame("places").loc[0, "name"] != "changed"


def test_sources_and_events_are_the_catalogs(loaded, briefing):
    sources = loaded.sources()
    assert list(sources["id"]) == list(briefing.sources)
    assert {"title", "publisher", "url", "date", "licence"} <= set(sources.columns)
    assert sources.set_index("id")["publisher"]["azernews-226488"].startswith("AzerNews")
    events = loaded.events()
    assert list(events["id"]) == [e.id for e in briefing.events]
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    first = briefing.events[0]
    row = events.set_index("id").loc[first.id]
    assert row["date"].date() == first.date and row["source"] == first.source
    assert row["features"] == ",".join(first.features)


def test_unknown_layer_names_the_layers(loaded):
    with pytest.raises(KeyError, match="delimitation_sections"):
        loaded.frame("no_such_layer")


def test_a_missing_folder_raises_the_validators_message(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(briefmap.BriefingError) as e:
        briefmap.load(missing)
    assert str(e.value) == "\n".join(str(p) for p in validate(missing))
    assert "not a briefing folder" in str(e.value)


def test_an_invalid_briefing_raises_the_validators_message(briefing_copy: Path):
    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    # two faults: a style that does not exist and a bad colour; the validator reports both
    text = text.replace('style = "section"', 'style = "no-such-style"', 1)
    text = text.replace('color = "#e69f00"', 'color = "orange-ish"', 1)
    catalog.write_text(text, encoding="utf-8")
    expected = "\n".join(str(p) for p in validate(briefing_copy))
    with pytest.raises(briefmap.BriefingError) as e:
        briefmap.load(briefing_copy)
    assert str(e.value) == expected
    assert "no-such-style" in expected and "orange-ish" in expected


def test_load_accepts_a_briefing_folder_as_text(briefing_copy: Path):
    assert briefmap.load(str(briefing_copy)).layer_ids == briefmap.load().layer_ids


def test_readme_example_runs_as_written_and_prints_what_the_readme_shows(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Notebooks and QGIS"):]
    code, shown = re.search(r"```python\n(.*?)```\n\n```\n(.*?)```", section, re.S).groups()
    env = dict(os.environ, PYTHONPATH=str(Path(briefmap.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [ln.rstrip() for ln in proc.stdout.splitlines()] == shown.splitlines()
