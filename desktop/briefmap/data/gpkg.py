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
# SQLite calls the progress handler every PROGRESS_OPS virtual-machine steps; a read that
# needs more than STEP_BUDGET calls is stopped (a view over an endless recursive query
# would otherwise run, and grow a temporary file, until the disk is full).
PROGRESS_OPS = 10_000
STEP_BUDGET = 50_000
MAX_WKB_DEPTH = 32
MAX_WKB_BYTES = 100_000_000
MAX_WKB_PARTS = 5_000_000


class GpkgError(Exception):
    pass


class GpkgRefused(GpkgError):
    """A file this reader will not read, and nothing else should try to (GDAL would hang)."""


_WKB_COLLECTIONS = {4, 5, 6, 7, 15, 16}  # Multi*, GeometryCollection, PolyhedralSurface, TIN


def check_wkb(wkb: bytes) -> None:
    """Walk a WKB value's structure without building it: nesting deeper than MAX_WKB_DEPTH,
    counts that overrun the bytes, or too many parts raise GpkgRefused."""
    if len(wkb) > MAX_WKB_BYTES:
        raise GpkgRefused(f"a geometry of {len(wkb):,} bytes (at most {MAX_WKB_BYTES:,})")
    parts = 0

    def walk(pos: int, depth: int) -> int:
        nonlocal parts
        if depth > MAX_WKB_DEPTH:
            raise GpkgRefused(f"a geometry nested more than {MAX_WKB_DEPTH} levels deep")
        parts += 1
        if parts > MAX_WKB_PARTS:
            raise GpkgRefused(f"a geometry of more than {MAX_WKB_PARTS:,} parts")
        if pos + 5 > len(wkb):
            raise GpkgRefused("a geometry that ends too early")
        order = "<" if wkb[pos] == 1 else ">"
        (code,) = struct.unpack_from(order + "I", wkb, pos + 1)
        pos += 5
        if code & 0x20000000:  # EWKB SRID
            pos += 4
        dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
        code &= 0x0FFFFFFF
        iso, base = divmod(code, 1000)
        dims += {0: 0, 1: 1, 2: 1, 3: 2}.get(iso, 0)
        point = 8 * dims

        def count(at: int) -> tuple[int, int]:
            if at + 4 > len(wkb):
                raise GpkgRefused("a geometry that ends too early")
            return struct.unpack_from(order + "I", wkb, at)[0], at + 4

        if base == 1:
            pos += point
        elif base == 2:
            n, pos = count(pos)
            pos += n * point
        elif base == 3:
            rings, pos = count(pos)
            for _ in range(rings):
                n, pos = count(pos)
                pos += n * point
                if pos > len(wkb):
                    break
        elif base in _WKB_COLLECTIONS:
            n, pos = count(pos)
            for _ in range(n):
                pos = walk(pos, depth + 1)
        else:
            return len(wkb)  # a type shapely judges (curves...): let it say
        if pos > len(wkb):
            raise GpkgRefused("a geometry whose counts run past its end")
        return pos

    walk(0, 0)


def _wkb(blob: bytes) -> bytes | None:
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8:
        raise GpkgError("a geometry that is not a GeoPackage blob")
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

    try:
        db, budget = _connect(path)
    except sqlite3.Error as exc:
        raise GpkgError(str(exc)) from None
    try:
        # Features come only from real tables: a view can run a query that never ends.
        real, listed = _tables(db)
        if table is None:
            tables = [t for t in listed if t in real]
            if not tables:
                raise GpkgRefused("no feature table (views are not read)") if listed else GpkgError("no feature table")
            table = tables[0]
        elif table in listed and table not in real:
            raise GpkgRefused(f"{table!r} is not a table (a view or virtual table); only tables are read")
        elif table not in real:
            raise GpkgError(f"no feature table {table!r}")
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
    except sqlite3.OperationalError as exc:
        if budget.spent:
            raise GpkgRefused(f"reading stopped: more than {STEP_BUDGET * PROGRESS_OPS:,} steps "
                              "(a query that does not end?)") from None
        raise GpkgError(str(exc)) from None
    except sqlite3.Error as exc:
        raise GpkgError(str(exc)) from None
    finally:
        db.close()
    if geom_col not in names:
        raise GpkgError(f"no geometry column {geom_col!r} in {table!r}")
    gi = names.index(geom_col)
    pk = names[0] if names[0] in ("fid", "ogc_fid", "rowid") else None
    keep = [i for i, n in enumerate(names) if i != gi and n != pk]
    try:
        blobs = [_wkb(r[gi]) for r in rows]
        for b in blobs:
            if b is not None:
                check_wkb(b)
        geoms = list(shapely.from_wkb(blobs))
    except (shapely.errors.ShapelyError, struct.error, TypeError, IndexError) as exc:
        raise GpkgError(f"unreadable geometry: {exc}") from None
    props = []
    ids = []
    for r in rows:
        d = {names[i]: ("" if r[i] is None else r[i]) for i in keep}
        ids.append(str(d.pop("id", "") or ""))
        props.append(d)
    return ids, geoms, props, crs


class _Budget:
    """SQLite's progress handler: non-zero after STEP_BUDGET calls stops the statement."""

    def __init__(self) -> None:
        self.calls = 0

    @property
    def spent(self) -> bool:
        return self.calls > STEP_BUDGET

    def __call__(self) -> int:
        self.calls += 1
        return self.spent


def _connect(path: Path) -> tuple[sqlite3.Connection, _Budget]:
    db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    budget = _Budget()
    db.set_progress_handler(budget, PROGRESS_OPS)
    return db, budget


def _tables(db: sqlite3.Connection) -> tuple[set[str], list[str]]:
    """(names of real tables, feature tables listed in gpkg_contents in their order)."""
    real = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    listed = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' "
                                       "ORDER BY rowid")]
    return real, listed


def feature_tables(path: Path) -> list[str]:
    """The feature tables of a GeoPackage that are real tables (not views), in its order."""
    db, _budget = _connect(path)
    try:
        real, listed = _tables(db)
    finally:
        db.close()
    return [t for t in listed if t in real]
