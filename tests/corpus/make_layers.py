"""Writes the bad (and awkward) layer files of tests/corpus/layers/. Run once; the files
are committed so the tests read real files from disk.

    .venv/bin/python tests/corpus/make_layers.py
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import shapely

OUT = Path(__file__).parent / "layers"


def fc(features, **extra) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": features}, indent=1)


def point(lon, lat, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def write_shapefile_zip(path: Path, with_prj: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "sites.shp"
        geoms = shapely.points([44.5, 45.0], [40.2, 40.9])
        pyogrio.raw.write(shp, shapely.to_wkb(geoms), [np.array(["a", "b"], dtype=object)], ["name"],
                          driver="ESRI Shapefile", geometry_type="Point", crs="EPSG:4326" if with_prj else None)
        with zipfile.ZipFile(path, "w") as z:
            for f in sorted(Path(tmp).iterdir()):
                z.write(f, f"sites/{f.name}")


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    w = lambda name, text: (OUT / name).write_text(text, encoding="utf-8")  # noqa: E731
    good = fc([point(44.51, 40.18, name="Yerevan office"), point(45.04, 41.06, name="Voskepar visit")])
    (OUT / "empty.geojson").write_bytes(b"")
    w("whitespace.geojson", "  \n\t\n")
    w("truncated.geojson", good[: len(good) // 2])
    w("syntax-error.geojson", good.replace('"Feature",', '"Feature";', 1))
    w("not-geojson.geojson", '{"a": 1}')
    w("unknown-type.geojson", '{"type": "Banana"}')
    w("features-not-list.geojson", '{"type": "FeatureCollection", "features": {"a": 1}}')
    (OUT / "png-named.geojson").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with zipfile.ZipFile(OUT / "zip-named.geojson", "w") as z:
        z.writestr("a.txt", "hello")
    w("text.gpkg", "this is not a database\n")
    (OUT / "corrupt.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    with zipfile.ZipFile(OUT / "no-shp.zip", "w") as z:
        z.writestr("readme.txt", "no shapefile here")
    with zipfile.ZipFile(OUT / "escaping.zip", "w") as z:
        z.writestr("../../outside.shp", b"\x00" * 100)
    w("not-zip.zip", "plain text pretending to be a zip\n")
    w("broken.kml", '<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>')
    w("no-coordinates.csv", "name,place\nA,Yerevan\n")
    w("bad-rows.csv", "name,lat,lon\nA,north,east\nB,?,?\n")
    w("outside-world.csv", "name,lat,lon\nA,100,45\nB,40,500\n")
    w("header-only.csv", "name,lat,lon\n")
    w("no-features.geojson", fc([]))
    w("projected-without-crs.geojson",
      json.dumps({"type": "FeatureCollection", "crs": None,
                  "features": [point(500000, 4500000, name="metres, not degrees")]}))
    w("unknown-crs.geojson", fc([point(1, 2)], crs={"type": "name", "properties": {"name": "EPSG:999999"}}))
    w("unreadable-geometry.geojson",
      fc([{"type": "Feature", "geometry": {"type": "Point", "coordinates": "x"}, "properties": {}},
          {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}, "properties": {}}]))
    w("unrepairable.geojson",
      fc([{"type": "Feature", "properties": {},
           "geometry": {"type": "Polygon", "coordinates": [[[45, 40], [45, 40], [45, 40], [45, 40]]]}}]))
    w("notes.txt", "not a map file\n")
    (OUT / "latin1.geojson").write_bytes(fc([point(45, 40, name="x")]).replace('"x"', '"\u00e9"').encode("latin-1"))
    (OUT / "folder.geojson").mkdir()
    (OUT / "folder.geojson" / ".keep").write_text("a folder named like a file\n")
    # Awkward but usable: each loads, with a note saying what was assumed or repaired.
    write_shapefile_zip(OUT / "no-prj.zip", with_prj=False)
    write_shapefile_zip(OUT / "sites.zip", with_prj=True)
    w("bowtie.geojson",
      fc([{"type": "Feature", "properties": {"name": "bow-tie"},
           "geometry": {"type": "Polygon",
                        "coordinates": [[[45.0, 40.0], [45.5, 40.5], [45.5, 40.0], [45.0, 40.5], [45.0, 40.0]]]}},
          point(44.5, 40.2, name="fine")]))
    w("semicolons.csv", "name;latitude;longitude\nGyumri;40,79;43,85\nKapan;39,20;46,42\n")
    w("good.geojson", good)
    w("places.kml", '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
      "<Document><Placemark><name>Goris</name><Point><coordinates>46.33,39.50,0</coordinates></Point>"
      "</Placemark></Document></kml>\n")
    gpkg = OUT / "sites.gpkg"
    pyogrio.raw.write(gpkg, shapely.to_wkb(shapely.points([46.42], [39.20])), [np.array(["Kapan"], dtype=object)],
                      ["name"], driver="GPKG", geometry_type="Point", crs="EPSG:4326", layer="sites")
    with sqlite3.connect(gpkg) as db:
        db.execute("VACUUM")
    round_two()


def round_two() -> None:
    """Files that attacked the app in the second review (issue 15); written without
    touching the others, so `python make_layers.py round_two` adds only these."""
    w = lambda name, text: (OUT / name).write_text(text, encoding="utf-8")  # noqa: E731
    w("img-type.geojson", '{"type": "<img src=&#47;dev&#47;zero>", "features": []}')
    w("img-header.csv", "place,<img src=/dev/zero>\nYerevan,A\n")
    w("nan-coordinates.geojson", fc([point(float("nan"), 40.0, name="not a number")]))
    w("deep.geojson", '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}")
    w("init-crs.geojson", fc([point(44.5, 40.2)], crs={"type": "name", "properties": {"name": "+init=/etc/passwd:x"}}))
    w("proj-string-crs.geojson", fc([point(44.5, 40.2)], crs={"type": "name",
                                                            "properties": {"name": "+proj=longlat +nadgrids=/x.gsb"}}))
    unknown_prj(OUT / "unknown-prj.zip")
    view = OUT / "view.gpkg"
    view.unlink(missing_ok=True)
    pyogrio.raw.write(view, shapely.to_wkb(shapely.points([46.42], [39.20])), [np.array(["Kapan"], dtype=object)],
                      ["name"], driver="GPKG", geometry_type="Point", crs="EPSG:4326", layer="sites")
    with sqlite3.connect(view) as db:
        # The feature "table" becomes a view over a recursive query that never ends.
        db.execute("ALTER TABLE sites RENAME TO sites_data")
        db.execute("CREATE VIEW sites AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) "
                   "SELECT s.* FROM sites_data s, c")
        db.execute("UPDATE gpkg_contents SET table_name = 'sites' WHERE table_name = 'sites_data'")
        db.execute("UPDATE gpkg_geometry_columns SET table_name = 'sites' WHERE table_name = 'sites_data'")
    with sqlite3.connect(view) as db:
        db.execute("VACUUM")


def unknown_prj(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "sites.shp"
        pyogrio.raw.write(shp, shapely.to_wkb(shapely.points([44.5], [40.2])), [np.array(["a"], dtype=object)],
                          ["name"], driver="ESRI Shapefile", geometry_type="Point", crs="EPSG:4326")
        (Path(tmp) / "sites.prj").write_text(
            'PROJCS["Unknown Projection",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,'
            '298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Unknown"],'
            'UNIT["Meter",1]]')
        with zipfile.ZipFile(path, "w") as z:
            for f in sorted(Path(tmp).iterdir()):
                z.writestr(zipfile.ZipInfo(f"sites/{f.name}", (2024, 1, 1, 0, 0, 0)), f.read_bytes())


if __name__ == "__main__":
    import sys

    round_two() if sys.argv[1:] == ["round_two"] else main()
