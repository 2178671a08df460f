"""Read layer files (GeoPackage, GeoJSON) into FeatureTables in the map's projection.

pyogrio's raw reader gives WKB and plain arrays, so no pandas or geopandas is imported
on the way to the first painted map.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from briefmap.data.errors import BriefingError, Problem
from briefmap.data.paths import basemap_path, describe_path_problem, safe_join
from briefmap.model.briefing import Briefing, LayerSpec
from briefmap.model.features import CONFIDENCE_LEVELS, FeatureTable

MAX_LAYER_BYTES = 200_000_000
REQUIRED_FIELDS = ("source", "as_of", "confidence")
NUMERIC_FIELDS = ("rank", "population")  # drawn as label priority: numbers only


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return math.isfinite(value)
    return False


def base_map_of(briefing: Briefing) -> Path:
    """The briefing's own base map (`[map] base`), or the one that ships with briefmap."""
    if briefing.base_map:
        return safe_join(briefing.root, briefing.base_map, file="catalog.toml", field="map.base")
    return basemap_path()


@lru_cache(maxsize=8)
def _stored_crs(path: str, _mtime: float) -> str:
    import sqlite3

    with sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True) as db:
        row = db.execute("SELECT s.definition FROM gpkg_geometry_columns g JOIN gpkg_spatial_ref_sys s "
                         "ON g.srs_id = s.srs_id WHERE g.table_name = 'countries'").fetchone()
    return row[0]


def map_crs(briefing: Briefing) -> str:
    """The briefing's projected CRS (WKT), as stored in its base map. Layers stored in the
    same CRS (the usual case) are used as they are, without loading pyproj."""
    path = base_map_of(briefing)
    return _stored_crs(str(path), path.stat().st_mtime)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@lru_cache(maxsize=64)
def _read(path: str, mtime: float, table: str | None) -> tuple[list[str], list, list[dict], str | None]:
    if path.lower().endswith(".gpkg"):
        from briefmap.data.gpkg import GpkgError, GpkgRefused, read_table

        try:
            return read_table(Path(path), table)
        except GpkgRefused:
            raise  # GDAL would not end either
        except GpkgError:
            pass  # let GDAL try, and word the error
    import warnings

    import pyogrio
    import shapely

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's notes on a damaged file; the error says it
        meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=table)
    names = list(meta["fields"])
    geoms = list(shapely.from_wkb(wkb)) if wkb is not None else []
    columns = [list(col) for col in fields]
    rows = [{n: _plain(col[i]) for n, col in zip(names, columns, strict=True)} for i in range(len(geoms))]
    ids = [str(r.pop("id", "") or "") for r in rows]
    return ids, geoms, rows, meta.get("crs")


def reproject(geoms: list, crs: str | None, target: str) -> list:
    """Geometries from `crs` into `target` (a briefing's map_crs) with pyproj and shapely
    only (no geopandas on the way to the first map). Stored in the map's CRS already, the
    usual case, they are returned as they are without loading pyproj. The one
    reprojection for vector data: the user-layer importer's checks (data/layer_geometry.py)
    can end here too."""
    if not crs or crs == target:
        return geoms
    import shapely
    from pyproj import CRS, Transformer

    if CRS.from_user_input(crs) == CRS.from_user_input(target):
        return geoms
    t = Transformer.from_crs(crs, target, always_xy=True)
    return list(shapely.transform(np.array(geoms, dtype=object),
                                  lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))))


def layer_path(briefing: Briefing, spec: LayerSpec) -> tuple[Path, str | None]:
    if spec.base:
        return base_map_of(briefing), spec.base
    path = safe_join(briefing.root, spec.file, file="catalog.toml", field=f"layers.{spec.id}.file")
    table = spec.table if path.suffix.lower() == ".gpkg" else None
    return path, table


def read_layer(briefing: Briefing, spec: LayerSpec) -> FeatureTable:
    """The layer's features, projected; raises BriefingError when the file is unusable."""
    path, table = layer_path(briefing, spec)
    shown = spec.file or f"base map ({spec.base})"
    why = describe_path_problem(path)
    if why:
        raise BriefingError([Problem(shown, None, "", f"cannot read the layer file: {why}")])
    try:
        stat = path.stat()
    except OSError as exc:
        raise BriefingError([Problem(shown, None, "", f"cannot read the layer file: {exc.strerror}")]) from None
    if stat.st_size > MAX_LAYER_BYTES:
        too_big = f"layer file too large ({stat.st_size:,} bytes; at most {MAX_LAYER_BYTES:,})"
        raise BriefingError([Problem(shown, None, "", too_big)])
    try:
        ids, geoms, rows, crs = _read(str(path), stat.st_mtime, table)
    except Exception as exc:  # pyogrio raises many kinds: the file is what is wrong
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        where = f" (table {table!r})" if table else ""
        raise BriefingError([Problem(shown, None, "", f"cannot read the layer{where}: {detail}")]) from None
    return FeatureTable(spec.id, ids, reproject(geoms, crs, map_crs(briefing)), [dict(r) for r in rows])


def check_features(briefing: Briefing, spec: LayerSpec, table: FeatureTable) -> list[Problem]:
    """Every feature needs an id, a known source, an as_of date, a confidence and a
    valid geometry on the Earth."""
    import shapely

    file = spec.file or f"base:{spec.base}"
    problems: list[Problem] = []
    seen: set[str] = set()
    world = shapely.box(-2.1e7, -2.1e7, 2.1e7, 2.1e7)
    for i, (fid, geom, props) in enumerate(zip(table.ids, table.geometries, table.properties, strict=True)):
        ref = f"{spec.table}/{fid}" if fid else f"{spec.table}/feature {i + 1}"

        def bad(field: str, message: str, ref: str = ref) -> None:
            problems.append(Problem(file, None, field, message, feature=ref))

        if not fid:
            bad("id", "missing feature id")
        elif fid in seen:
            bad("id", f"duplicate feature id {fid!r}")
        seen.add(fid)
        for key in REQUIRED_FIELDS:
            if key not in props or props[key] in ("", None):
                bad(key, "missing (every feature needs source, as_of and confidence)")
        src = props.get("source")
        if src and src not in briefing.sources:
            bad("source", f"unknown source id {src!r} (not in the catalog's [[sources]])")
        conf = props.get("confidence")
        if conf and conf not in CONFIDENCE_LEVELS:
            bad("confidence", f"expected one of {', '.join(CONFIDENCE_LEVELS)}, found {conf!r}")
        for key in ("as_of", "start", "end"):
            value = props.get(key)
            if value in ("", None):
                continue
            try:
                d = dt.date.fromisoformat(str(value))
            except ValueError:
                bad(key, f"expected a date YYYY-MM-DD, found {value!r}")
                continue
            if not dt.date(1900, 1, 1) <= d <= dt.date(2100, 12, 31):
                bad(key, f"date {d.isoformat()} is out of range (1900-01-01 to 2100-12-31)")
        for key in NUMERIC_FIELDS:
            value = props.get(key)
            if value not in ("", None) and not _is_number(value):
                bad(key, f"expected a number, found {str(value)[:40]!r}")
        if geom is None or geom.is_empty:
            bad("geometry", "missing or empty geometry")
        elif not world.contains(geom):
            bad("geometry", "coordinates outside the world")
        elif not geom.is_valid:
            bad("geometry", f"invalid geometry: {shapely.is_valid_reason(geom)}")
    return problems


def read_base(briefing: Briefing, layer: str) -> FeatureTable:
    """A layer of the briefing's base map that no catalog lists (the inset's world)."""
    path = base_map_of(briefing)
    ids, geoms, rows, _crs = _read(str(path), path.stat().st_mtime, layer)
    return FeatureTable(layer, ids, geoms, [dict(r) for r in rows])
