"""QGIS opens the exported GeoPackage with briefmap's styles (where python3-qgis is installed).

QGIS runs in the system python3 (tests/interop/qgis_open.py), offscreen; it loads each
table with its default style from the GeoPackage and renders the overview scenario's
tables to a PNG, which is checked at known places."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from PIL import Image

import briefmap
from briefmap.cli import main
from briefmap.data.projection import to_map

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("qgis_open.py")
# around the ends of dated features: peacekeepers leave 2024-06-12, Agarak 2025-01-01, TRIPP 2025-08-08
DATES = ("2020-12-01", "2024-06-11", "2024-06-12", "2024-12-31", "2025-01-01", "2025-08-08")


def qgis_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=120).returncode == 0


pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not qgis_available(), reason="QGIS (python3-qgis) is not installed")]


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def qgis_run(tmp_path_factory, briefing):
    folder = tmp_path_factory.mktemp("qgis")
    gpkg = folder / "south-caucasus.gpkg"
    assert main(["export-data", "-o", str(gpkg)]) == 0
    tables = [str(r[0]) for r in pyogrio.list_layers(gpkg)]
    overview = briefing.scenario("overview").layers
    shown = [t for t in tables if t in overview or t.rsplit("_", 1)[0] in overview]
    png = folder / "qgis.png"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(folder))
    proc = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), str(gpkg), str(png), ",".join(shown), ",".join(DATES)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), png, gpkg


def test_every_table_opens_with_its_style(qgis_run, briefing):
    report, _png, _gpkg = qgis_run
    spatial = {name: r for name, r in report.items() if not name.startswith("_") and r["spatial"]}
    assert len(spatial) >= len(briefing.layers)
    for name, r in spatial.items():
        layer_id = name if name in briefing.layer_ids else name.rsplit("_", 1)[0]
        spec = briefing.layer(layer_id)
        assert r["valid"] and r["features"] > 0, name
        assert r["style_loaded"], f"{name}: {r['message']}"
        assert r["renderer"] == ("categorizedSymbol" if spec.style_by else "singleSymbol"), name
        assert (r["labeling"] is not None) == bool(spec.label), name
        if not spec.style_by:
            style = briefing.styles[spec.style]
            colour = {0: style.color, 1: style.color, 2: style.facecolor}[r["geometry"]]
            if colour != "none":
                assert r["symbols"][0]["color"] == colour.lower()[:7], name
    assert report["sources"]["features"] == len(briefing.sources)
    assert report["events"]["features"] == len(briefing.events)


def test_categories_carry_the_catalogs_colours(qgis_run, briefing):
    report, _png, _gpkg = qgis_run
    borders = report["state_borders"]
    assert borders["attribute"] == "kind"
    assert borders["categories"]["delimited"] == briefing.styles["border-delimited"].color
    assert borders["categories"]["undelimited"] == briefing.styles["border-undelimited"].color
    sections = report["delimitation_sections"]["symbols"][0]
    assert sections["width"] == briefing.styles["section"].linewidth
    nkao = report["nk_oblast_1991"]["symbols"][0]
    assert nkao["layers"] == ["SimpleFill", "LinePatternFill"]  # the hatch
    places = report["places"]
    assert places["categories"]["yes"] == briefing.styles["capital"].color
    assert "name_hy_usage" in json.dumps(report["delimitation_sections"]["label_expression"])


def near(img: np.ndarray, xy: tuple[int, int], colour: str, radius: int = 4, tol: int = 40) -> bool:
    x, y = xy
    patch = img[max(0, y - radius):y + radius + 1, max(0, x - radius):x + radius + 1, :3].astype(int)
    return bool((np.abs(patch - np.array(hex_rgb(colour))).max(axis=2) <= tol).any())


def test_qgis_draws_the_layers_where_and_as_briefmap_does(qgis_run, briefing):
    report, png, _gpkg = qgis_run
    assert report["_render"]["saved"] and report["_render"]["errors"] == 0
    img = np.asarray(Image.open(png).convert("RGB"))
    h, w, _ = img.shape
    x0, y0, x1, y1 = report["_render"]["extent"]

    def pixel(lon: float, lat: float) -> tuple[int, int]:
        x, y = to_map(lon, lat, briefing.crs)
        return int((x - x0) / (x1 - x0) * w), int((y1 - y) / (y1 - y0) * h)

    loaded = briefmap.load()
    sections = loaded.frame("delimitation_sections").geometry.union_all().centroid
    assert near(img, pixel(sections.x, sections.y), briefing.styles["section"].color, radius=6)
    nkao = loaded.frame("nk_oblast_1991").geometry.iloc[0].representative_point()
    assert near(img, pixel(nkao.x, nkao.y), briefing.styles["nkao"].edgecolor, radius=6)  # hatch lines
    yerevan = loaded.frame("places").set_index("id").geometry["yerevan"]
    assert near(img, pixel(yerevan.x, yerevan.y), briefing.styles["capital"].color, radius=3)
    assert near(img, pixel(50.8, 41.0), briefing.styles["sea"].facecolor, radius=0, tol=6)  # the Caspian
    # most of the frame is land or sea, drawn: no blank white image
    assert (img.reshape(-1, 3) == 255).all(axis=1).mean() < 0.05


def test_qgis_time_filter_shows_what_briefmaps_as_of_date_shows(qgis_run, tables):
    report, _png, gpkg = qgis_run
    dated = {lid for lid, t in tables.items() if t.dated}
    checked = set()
    for name, r in report.items():
        if name.startswith("_") or not r.get("spatial"):
            continue
        layer_id = name if name in tables else name.rsplit("_", 1)[0]
        assert r["temporal"] == (layer_id in dated), name
        if not r["temporal"]:
            continue
        table = tables[layer_id]
        ids_here = set(pyogrio.read_dataframe(gpkg, layer=name, read_geometry=False)["id"])
        for day in DATES:
            shown = table.shown_on(dt.date.fromisoformat(day))
            expected = sorted(fid for fid, on in zip(table.ids, shown, strict=True) if on and fid in ids_here)
            assert r["shown_on"][day] == expected, f"{name} on {day}"
        checked.add(layer_id)
    assert {"karabakh", "russia", "later_developments", "delimitation_sections"} <= checked



def hatch_spacing(img: np.ndarray, colour: str, box: tuple[int, int, int, int]) -> float:
    """The median horizontal distance in pixels between hatch lines of `colour` in `box`."""
    x0, y0, x1, y1 = box
    on = (np.abs(img[y0:y1, x0:x1, :3].astype(int) - np.array(hex_rgb(colour))).max(axis=2) <= 60)
    gaps = []
    for row in on:
        starts = np.flatnonzero(row[1:] & ~row[:-1])
        gaps.extend(np.diff(starts))
    return float(np.median(gaps))


def test_hatching_is_as_dense_as_briefmaps(qgis_run, briefing, tmp_path):
    """The former oblast's hatch: the same spacing in QGIS as in a briefmap export at the
    same dpi (both 150)."""
    report, png, _gpkg = qgis_run
    colour = briefing.styles["nkao"].edgecolor
    img = np.asarray(Image.open(png).convert("RGB"))
    h, w, _ = img.shape
    x0, y0, x1, y1 = report["_render"]["extent"]
    nkao = briefmap.load().frame("nk_oblast_1991", crs=None).geometry.iloc[0]
    bx0, by0, bx1, by1 = nkao.bounds
    box = (int((bx0 - x0) / (x1 - x0) * w), int((y1 - by1) / (y1 - y0) * h),
           int((bx1 - x0) / (x1 - x0) * w), int((y1 - by0) / (y1 - y0) * h))
    out = tmp_path / "nkao.png"
    assert main(["export", "-o", str(out), "--size", "1600x1000", "--dpi", "150", "--bookmark", "karabakh",
                 "--layers", "countries,nk_oblast_1991"]) == 0
    theirs = np.asarray(Image.open(out).convert("RGB"))
    ours_spacing = hatch_spacing(theirs, colour, (0, 0, theirs.shape[1], theirs.shape[0]))
    assert hatch_spacing(img, colour, box) == pytest.approx(ours_spacing, abs=1.0)
