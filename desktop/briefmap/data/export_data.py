"""A briefing's data for other tools: a styled GeoPackage for QGIS, or one layer as GeoJSON.

GeoPackage: each layer is a table in EPSG:4326 (a layer with features of several geometry
kinds is one table per kind, `<layer>_points`, `<layer>_lines`, `<layer>_polygons`, so
that QGIS and ArcGIS can draw it); `sources` and `events` are attribute tables; the
`layer_styles` table holds a QGIS style per table, marked as its default. Every timestamp
in the file is the newest `as_of` date of the exported features, so the same briefing
gives the same bytes. The file is written under a temporary name in the target folder
and renamed into place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from briefmap.data.frames import events_frame, layer_frame, sources_frame
from briefmap.data.layers import map_crs
from briefmap.data.qgis_style import layer_qml
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable

FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON"}
KINDS = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
         "Polygon": "polygon", "MultiPolygon": "polygon"}
PLURAL = {"point": "points", "line": "lines", "polygon": "polygons"}
ATTRIBUTE_TABLES = ("sources", "events", "layer_styles")
GPKG_VERSION = "1.2"  # what QGIS 3.22's GDAL (and ArcGIS) read without a warning
TIMESTAMP_COLUMNS = frozenset({"update_time"})  # QGIS's layer_styles keeps a DATETIME; other dates are days


class ExportRequestError(ValueError):
    """The request cannot be met as asked (file type, layer ids): a usage error."""


class ExportWriteError(OSError):
    """The file could not be written (nothing is left behind)."""


@dataclass
class Table:
    name: str
    layer_id: str
    kind: str  # point, line, polygon; "" for a layer without features
    frame: pd.DataFrame  # a GeoDataFrame in EPSG:4326


def check_request(briefing: Briefing, out: Path, layer_ids: list[str] | None) -> list[str]:
    """The layers to export; ExportRequestError says what is wrong with the request."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ExportRequestError(f"{out}: unsupported file type {suffix or '(none)'!r}; "
                                 "use .gpkg (every layer, styled for QGIS) or .geojson (one layer)")
    known = briefing.layer_ids
    ids = known if layer_ids is None else list(dict.fromkeys(layer_ids))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ExportRequestError(f"unknown layer(s): {', '.join(unknown)}; see `briefmap layers`")
    if not ids:
        raise ExportRequestError("no layer chosen")
    if suffix == ".geojson" and len(ids) != 1:
        raise ExportRequestError("a GeoJSON file holds one layer: choose it with --layers ID "
                                 f"(or write a .gpkg for {len(ids)} layers)")
    return ids


def layer_tables(briefing: Briefing, tables: dict[str, FeatureTable], layer_ids: list[str]) -> list[Table]:
    """The GeoPackage tables for these layers, in drawing order, one per geometry kind."""
    out: list[Table] = []
    for spec in sorted((briefing.layer(i) for i in layer_ids), key=lambda s: s.order):
        frame = layer_frame(tables[spec.id], map_crs(briefing))
        by_kind = [_parts_by_kind(g) for g in frame.geometry]
        present = [k for k in ("polygon", "line", "point") if any(k in parts for parts in by_kind)]
        if not present:  # a layer without features is still a table (of no declared kind)
            out.append(Table(spec.id, spec.id, "", frame))
        for kind in present:
            rows = [i for i, parts in enumerate(by_kind) if kind in parts]
            part = frame.iloc[rows].reset_index(drop=True)
            part = part.set_geometry(gpd.GeoSeries([by_kind[i][kind] for i in rows], crs=frame.crs))
            name = spec.id if len(present) == 1 else f"{spec.id}_{PLURAL[kind]}"
            out.append(Table(name, spec.id, kind, part))
    names = [t.name for t in out] + list(ATTRIBUTE_TABLES)
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ExportRequestError(f"table name(s) {', '.join(clashes)} would be used twice in the GeoPackage; "
                                 "rename the layer(s) in the catalog")
    return out


def _parts_by_kind(geom) -> dict[str, object]:
    """A feature's geometry per kind: itself, or a geometry collection's parts of each kind
    merged (the map draws a collection's points, lines and areas each in their own way)."""
    if geom.geom_type in KINDS:
        return {KINDS[geom.geom_type]: geom}
    found: dict[str, list] = {}
    for part in shapely.get_parts(geom):
        if part.geom_type in KINDS:
            found.setdefault(KINDS[part.geom_type], []).append(part)
        else:  # a collection inside a collection
            for kind, g in _parts_by_kind(part).items():
                found.setdefault(kind, []).append(g)
    return {kind: shapely.union_all(parts) if len(parts) > 1 else parts[0] for kind, parts in found.items()}


def _field_arrays(frame: pd.DataFrame) -> tuple[list[str], list[np.ndarray]]:
    """Columns as arrays GDAL types well: dates as DATE, numbers as numbers, text with NULLs."""
    names, arrays = [], []
    for name in frame.columns:
        if name == getattr(frame, "_geometry_column_name", None):
            continue
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            unit = "datetime64[ms]" if name in TIMESTAMP_COLUMNS else "datetime64[D]"
            arr = col.to_numpy().astype(unit)
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            arr = col.to_numpy()
        else:
            arr = np.array([None if pd.isna(v) else str(v) for v in col], dtype=object)
        names.append(str(name))
        arrays.append(arr)
    return names, arrays


def _geometry(frame) -> tuple[np.ndarray, str]:
    """WKB and the declared type: one type, or its multi form where single and multi mix."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    types = set(frame.geometry.geom_type)
    if len(types) == 1:
        return shapely.to_wkb(geoms), types.pop()
    if not types:
        return shapely.to_wkb(geoms), "Unknown"
    multi = {"point": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}
    kinds = {KINDS.get(t, "mixed") for t in types}
    if len(kinds) > 1:  # GeoJSON keeps a mixed layer as it is
        return shapely.to_wkb(geoms), "Unknown"
    target = multi[kinds.pop()]
    make = {"MultiPoint": shapely.multipoints, "MultiLineString": shapely.multilinestrings,
            "MultiPolygon": shapely.multipolygons}[target]
    promoted = [g if g.geom_type == target else make([g]) for g in geoms]
    return shapely.to_wkb(np.asarray(promoted, dtype=object)), target


def change_stamp(tables: list[Table]) -> str:
    """The file's timestamp: the newest as_of date among the exported features."""
    dates = [t.frame["as_of"].max() for t in tables if "as_of" in t.frame and pd.api.types.is_datetime64_any_dtype(
        t.frame["as_of"])]
    dates = [d for d in dates if not pd.isna(d)]
    day = max(dates).date() if dates else dt.date(2000, 1, 1)
    return f"{day.isoformat()}T00:00:00.000Z"


@contextlib.contextmanager
def _gdal_options(stamp: str) -> Iterator[None]:
    # GDAL stamps gpkg_contents.last_change with OGR_CURRENT_DATE when it is set. SQLite
    # need not sync after each table: the file is a temporary one, synced once before
    # it is renamed into place.
    import pyogrio

    options = {"OGR_CURRENT_DATE": stamp, "OGR_SQLITE_SYNCHRONOUS": "OFF"}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(dict.fromkeys(options))


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A fresh temporary path beside `out`, renamed to `out` when the block succeeds and
    removed (with any SQLite side files) when it fails."""
    out = Path(out)
    fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # GDAL creates the file itself
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def _write_frame(path: Path, frame: pd.DataFrame, layer: str, driver: str, *, geometry: bool, append: bool,
                 options: dict[str, str] | None = None) -> None:
    # pyogrio's raw writer, not GeoDataFrame.to_file: pandas has no date type, so only the
    # raw writer can give dates GeoPackage's DATE type (and GeoJSON plain YYYY-MM-DD).
    import pyogrio.raw

    names, arrays = _field_arrays(frame)
    if geometry:
        wkb, gtype = _geometry(frame)
        crs = "EPSG:4326"
    else:
        wkb, gtype, crs = None, None, None
    # Timestamps are UTC (GDAL's time zone flag 100), as the GeoPackage standard asks.
    utc = {n: np.full(len(frame), 100, dtype=np.int32) for n in names if n in TIMESTAMP_COLUMNS}
    dataset = {"VERSION": GPKG_VERSION} if driver == "GPKG" and not append else {}
    pyogrio.raw.write(str(path), wkb, arrays, names, layer=layer, driver=driver, geometry_type=gtype, crs=crs,
                      append=append, layer_options=options or {}, dataset_options=dataset, gdal_tz_offsets=utc)


def styles_frame(briefing: Briefing, tables: list[Table], stamp: str) -> pd.DataFrame:
    """QGIS's `layer_styles` table: one default style per exported table."""
    rows = []
    for t in (t for t in tables if t.kind):  # an empty table has nothing to draw
        spec = briefing.layer(t.layer_id)
        columns = [c for c in t.frame.columns if c != "geometry"]
        rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": t.name,
                     "f_geometry_column": "geom", "styleName": t.name,
                     "styleQML": layer_qml(spec, briefing.styles, t.kind, columns), "styleSLD": "",
                     "useAsDefault": True, "description": f"{spec.title} (as drawn by briefmap)",
                     "owner": "", "ui": None, "update_time": pd.Timestamp(stamp[:19])})
    return pd.DataFrame(rows)


def write_geopackage(briefing: Briefing, tables: dict[str, FeatureTable], out: Path, layer_ids: list[str]) -> None:
    parts = layer_tables(briefing, tables, layer_ids)
    stamp = change_stamp(parts)
    with atomic_path(out) as tmp, _gdal_options(stamp):
        append = False
        for t in parts:
            spec = briefing.layer(t.layer_id)
            title = spec.title if t.name == spec.id else f"{spec.title} ({PLURAL[t.kind]})"
            _write_frame(tmp, t.frame, t.name, "GPKG", geometry=True, append=append,
                         options={"IDENTIFIER": title, "DESCRIPTION": spec.description})
            append = True
        _write_frame(tmp, sources_frame(briefing), "sources", "GPKG", geometry=False, append=True,
                     options={"IDENTIFIER": "Sources", "DESCRIPTION": "Every source the briefing cites."})
        _write_frame(tmp, events_frame(briefing), "events", "GPKG", geometry=False, append=True,
                     options={"IDENTIFIER": "Timeline events",
                              "DESCRIPTION": "The briefing's timeline; features lists layer/feature ids."})
        _write_frame(tmp, styles_frame(briefing, parts, stamp), "layer_styles", "GPKG", geometry=False,
                     append=True)


def write_geojson(briefing: Briefing, tables: dict[str, FeatureTable], out: Path, layer_id: str) -> None:
    """One layer as RFC 7946 GeoJSON (WGS84, 7 decimals)."""
    frame = layer_frame(tables[layer_id], map_crs(briefing))
    with atomic_path(out) as tmp:
        _write_frame(tmp, frame, layer_id, "GeoJSON", geometry=True, append=False, options={"RFC7946": "YES"})


def export_data(briefing: Briefing, tables: dict[str, FeatureTable], out: Path,
                layer_ids: list[str] | None = None) -> list[str]:
    """Write the chosen layers (all by default) to `out` (.gpkg or .geojson); returns the
    layer ids written. Raises ExportRequestError before writing anything if the request
    cannot be met."""
    ids = check_request(briefing, out, layer_ids)
    try:
        if Path(out).suffix.lower() == ".gpkg":
            write_geopackage(briefing, tables, Path(out), ids)
        else:
            write_geojson(briefing, tables, Path(out), ids[0])
    except ExportRequestError:
        raise
    except Exception as exc:  # GDAL and the file system fail in many ways; the file is what failed
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExportWriteError(f"{out}: cannot write the file: {detail}") from exc
    return ids
