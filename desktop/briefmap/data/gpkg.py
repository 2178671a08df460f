"""A small GeoPackage reader on sqlite3 and shapely.

Written here rather than taken from pyogrio because importing pyogrio also imports pandas
and geopandas (about 0.4 s), which would sit on the path to the first painted map and to
every export. GeoPackage is SQLite with geometry blobs (a short header, then standard
WKB), so reading the tables the app ships takes a few lines. Anything this reader does not
understand is read by pyogrio instead.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path
from typing import Any

ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class GpkgError(Exception):
    pass


def _wkb(blob: bytes) -> bytes | None:
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise GpkgError("a geometry blob without the GeoPackage header")
    flags = blob[3]
    if flags & 0b10000:  # empty geometry
        return None
    envelope = ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None:
        raise GpkgError("a geometry blob with an unknown envelope")
    return blob[8 + envelope:]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_table(path: Path, table: str | None) -> tuple[list[str], list, list[dict[str, Any]], str | None]:
    """(ids, geometries, properties, crs WKT) of one feature table; `id` is taken out of the
    properties. Raises GpkgError for anything unexpected."""
    import shapely

    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise GpkgError(str(exc)) from None
    try:
        if table is None:
            row = db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' "
                             "ORDER BY rowid LIMIT 1").fetchone()
            if row is None:
                raise GpkgError("no feature table")
            table = row[0]
        geo = db.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                         (table,)).fetchone()
        if geo is None:
            raise GpkgError(f"no feature table {table!r}")
        geom_col, srs_id = geo
        srs = db.execute("SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone()
        crs = srs[0] if srs and srs[0] and srs[0] != "undefined" else None
        cur = db.execute(f"SELECT * FROM {_quote(table)}")
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    except sqlite3.Error as exc:
        raise GpkgError(str(exc)) from None
    finally:
        db.close()
    gi = names.index(geom_col)
    pk = names[0] if names[0] in ("fid", "ogc_fid", "rowid") else None
    keep = [i for i, n in enumerate(names) if i != gi and n != pk]
    try:
        geoms = list(shapely.from_wkb([_wkb(r[gi]) for r in rows]))
    except (shapely.errors.ShapelyError, struct.error, TypeError) as exc:
        raise GpkgError(f"unreadable geometry: {exc}") from None
    props = []
    ids = []
    for r in rows:
        d = {names[i]: ("" if r[i] is None else r[i]) for i in keep}
        ids.append(str(d.pop("id", "") or ""))
        props.append(d)
    return ids, geoms, props, crs
