"""The world data that new briefings are cut from: reproducible, with its provenance, and
in the wheel."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "geodata" / "world.gpkg"
SOURCES = Path("/tmp/briefmap-sources")


def test_world_data_names_every_source_with_version_licence_and_checksum():
    with sqlite3.connect(f"file:{WORLD}?mode=ro", uri=True) as db:
        rows = {r[0]: r for r in db.execute("SELECT key, package, version, licence, archive_sha256 FROM provenance")}
        layers = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
        capitals = db.execute("SELECT count(*) FROM cities WHERE capital = 'yes'").fetchone()[0]
    assert {"ne_admin0", "ne_physical", "ne_admin1", "geonames"} <= rows.keys()
    for key in ("ne_admin0", "ne_physical", "ne_admin1", "geonames"):
        _k, package, version, licence, digest = rows[key]
        assert package and version and licence and len(digest) == 64
    assert layers == {"countries", "lakes", "admin1", "cities"}
    assert capitals > 200  # nearly every country's capital is flagged


@pytest.mark.slow
def test_world_data_rebuilds_byte_for_byte(tmp_path):
    out = tmp_path / "world.gpkg"
    subprocess.run([sys.executable, str(ROOT / "geodata" / "build_world.py"), "--sources", str(SOURCES),
                    "--out", str(out)], check=True, capture_output=True)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(WORLD.read_bytes()).hexdigest()
