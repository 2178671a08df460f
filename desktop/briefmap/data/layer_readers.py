"""Readers for the user's layer files (GeoJSON, CSV, and what GDAL reads), each returning
(ids, geometries, properties, crs, warnings) or raising LayerImportError that names the file
and the fault. data/user_layers.py checks, budgets and assembles what they return."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings as pywarnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from briefmap.data.layer_geometry import LayerGeometryError, checked_crs

MAX_UNZIPPED_BYTES = 2_000_000_000
MAX_FEATURES = 1_000_000
MAX_JSON_DEPTH = 64
LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "breite")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "laenge")


class LayerImportError(Exception):
    """A file that cannot become a layer; str() names the file and what is wrong."""


class Cancelled(Exception):
    pass


def check_named_crs(path: Path, fail) -> None:
    """GDAL interprets a GeoJSON `crs` member itself (PROJ would open the files an `+init=`
    names): before GDAL reads a file, every `crs` it holds must pass our own CRS check."""
    import mmap

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for m in re.finditer(rb'"crs"\s*:\s*\{(.{0,4000}?)\}', mm, re.S):
            body = m.group(1)
            if b'"href"' in body:
                raise fail("a linked coordinate reference system ('crs' with 'href') is not read")
            named = re.search(rb'"name"\s*:\s*"([^"]{0,500})"', body)
            if named:
                try:
                    checked_crs(named.group(1).decode("utf-8", "replace"))
                except LayerGeometryError as exc:
                    raise fail(str(exc)) from None


def _json_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (vectorised: a large file has millions)."""
    import re

    stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).encode("utf-8", "replace")
    b = np.frombuffer(stripped, dtype=np.uint8)
    step = (b == ord("[")).astype(np.int32) + (b == ord("{")) - (b == ord("]")) - (b == ord("}"))
    return int(np.cumsum(step).max(initial=0))


# ------------------------------------------------------------------ readers
def read_geojson(path: Path, step):
    import shapely
    from shapely.geometry import shape

    name = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LayerImportError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise LayerImportError(f"{name}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(text)
    except RecursionError:
        raise LayerImportError(f"{name}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        unclosed = text.count("{") > text.count("}") or text.count("[") > text.count("]")
        if unclosed or exc.pos >= len(text.rstrip()) - 1:
            raise LayerImportError(f"{name}: the file ends too early (truncated?) at {where}: {exc.msg}") from None
        raise LayerImportError(f"{name}: not valid JSON at {where}: {exc.msg}") from None
    step(0.3, "Parsing features")
    if not isinstance(data, dict) or "type" not in data:
        raise LayerImportError(f"{name}: not GeoJSON (expected an object with a 'type')")
    if data["type"] == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise LayerImportError(f"{name}: 'features' must be a list")
    elif data["type"] == "Feature":
        features = [data]
    elif data["type"] in ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                          "GeometryCollection"):
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise LayerImportError(f"{name}: unknown GeoJSON type {str(data['type'])[:40]!r}")
    crs = None
    warnings: list[str] = []
    named = data.get("crs")
    if isinstance(named, dict):
        crs = (named.get("properties") or {}).get("name") if isinstance(named.get("properties"), dict) else None
        if crs is not None and not isinstance(crs, str):
            crs = None
    else:
        crs = "EPSG:4326"  # RFC 7946: GeoJSON is WGS84 longitude/latitude
    ids, geoms, props = [], [], []
    skipped = []
    n = len(features)
    for i, f in enumerate(features):
        if i % 5000 == 0:
            step(0.3 + 0.4 * i / max(n, 1), f"Parsing feature {i + 1:,} of {n:,}")
        where = f"feature {i + 1}"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            skipped.append(f"{where}: not a GeoJSON Feature")
            continue
        g = f.get("geometry")
        if g is None:
            skipped.append(f"{where}: no geometry")
            continue
        try:
            geom = shape(g)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError,
                shapely.errors.ShapelyError) as exc:
            skipped.append(f"{where}: unreadable geometry ({str(exc)[:80] or type(exc).__name__})")
            continue
        p = f.get("properties") or {}
        if not isinstance(p, dict):
            p = {}
        fid = f.get("id", p.get("id", i + 1))
        ids.append(str(fid)[:64])
        geoms.append(geom)
        props.append({str(k)[:64]: _scalar(v) for k, v in p.items() if k != "id"})
    warnings += summarise(skipped, "skipped")
    if not geoms and skipped:
        raise LayerImportError(f"{name}: no feature could be read; first: {skipped[0]}")
    return ids, geoms, props, crs, warnings


def _scalar(v: Any) -> Any:
    if isinstance(v, str | int | float | bool) or v is None:
        return "" if v is None else v
    return json.dumps(v, ensure_ascii=False)[:500]


def read_csv(path: Path, step):
    import shapely

    name = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise LayerImportError(f"{name}: the file has no header row") from None
    except csv.Error as exc:
        raise LayerImportError(f"{name}: line 1: not readable as CSV ({exc})") from None
    lower = [h.strip().lower() for h in header]
    lat_col = next((lower.index(n) for n in LAT_NAMES if n in lower), None)
    lon_col = next((lower.index(n) for n in LON_NAMES if n in lower), None)
    if lat_col is None or lon_col is None:
        raise LayerImportError(f"{name}: line 1: no latitude/longitude columns (expected names like "
                               f"'lat' and 'lon'; found {', '.join(repr(h) for h in header[:8])})")
    ids, geoms, props, skipped = [], [], [], []
    rows = enumerate(reader, start=2)
    while True:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise LayerImportError(f"{name}: line {reader.line_num}: not readable as CSV ({exc})") from None
        if line % 20_000 == 0:
            step(0.3, f"Reading line {line:,}")
        if len(geoms) > MAX_FEATURES:
            raise LayerImportError(f"{name}: too many rows ({len(geoms):,}; at most {MAX_FEATURES:,})")
        if not any(cell.strip() for cell in row):
            continue
        try:
            lat = float(row[lat_col].replace(",", "."))
            lon = float(row[lon_col].replace(",", "."))
        except (IndexError, ValueError):
            value = row[lat_col] if lat_col < len(row) else ""
            skipped.append(f"line {line}: latitude/longitude are not numbers ({value!r}…)")
            continue
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            skipped.append(f"line {line}: coordinates outside the world ({lat}, {lon})")
            continue
        ids.append(str(line - 1))
        geoms.append(shapely.Point(lon, lat))
        props.append({h: row[i] for i, h in enumerate(header) if i < len(row) and i not in (lat_col, lon_col)})
    warnings = summarise(skipped, "skipped")
    if not geoms and skipped:
        raise LayerImportError(f"{name}: no row has usable coordinates; first: {skipped[0]}")
    return ids, geoms, props, "EPSG:4326", warnings


def read_ogr(path: Path, kind: str, step):
    import pyogrio
    import shapely

    name = path.name
    source = str(path)
    if kind == "shapefile-zip":
        try:
            with zipfile.ZipFile(path) as z:
                infos = z.infolist()
                total = sum(i.file_size for i in infos)
                if total > MAX_UNZIPPED_BYTES:
                    raise LayerImportError(f"{name}: the archive unpacks to {total:,} bytes; at most {MAX_UNZIPPED_BYTES:,}")
                shps = [i.filename for i in infos if i.filename.lower().endswith(".shp")]
                bad = [i.filename for i in infos if i.filename.startswith("/") or ".." in Path(i.filename).parts]
        except zipfile.BadZipFile as exc:
            raise LayerImportError(f"{name}: not a readable ZIP archive ({exc})") from None
        if bad:
            raise LayerImportError(f"{name}: the archive has entries outside itself ({bad[0]!r})")
        if not shps:
            raise LayerImportError(f"{name}: the archive holds no .shp file")
        source = f"/vsizip/{path}/{shps[0]}"
    try:
        if kind == "gpkg":
            # Only real tables: GDAL would run a view's query, which may never end.
            from briefmap.data.gpkg import feature_tables

            layers = [(t,) for t in feature_tables(path)]
        else:
            with pywarnings.catch_warnings():
                pywarnings.simplefilter("ignore", RuntimeWarning)  # GDAL's notes on odd files: our message says it
                layers = list(pyogrio.list_layers(source))
    except Exception as exc:  # GDAL's and SQLite's errors: the file is what is wrong
        raise LayerImportError(f"{name}: cannot be read as {kind.replace('-', ' ')}: {_first_line(exc)}") from None
    if len(layers) == 0:
        raise LayerImportError(f"{name}: the file holds no layers" + (" (views are not read)" if kind == "gpkg" else ""))
    table = str(layers[0][0])
    step(0.2, f"Reading layer {table}")
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore", RuntimeWarning)
            count = pyogrio.read_info(source, layer=table).get("features", 0) or 0
            if count > MAX_FEATURES:
                raise LayerImportError(f"{name}: too many features ({count:,}; at most {MAX_FEATURES:,})")
            meta, _fids, wkb, fields = pyogrio.raw.read(source, layer=table)
    except LayerImportError:
        raise
    except Exception as exc:
        raise LayerImportError(f"{name}: layer {table!r} cannot be read: {_first_line(exc)}") from None
    if wkb is None:
        raise LayerImportError(f"{name}: layer {table!r} has no geometry column")
    geoms_all = shapely.from_wkb(wkb, on_invalid="ignore")
    names = list(meta["fields"])
    ids, geoms, props, skipped = [], [], [], []
    for i, g in enumerate(geoms_all):
        if i % 10_000 == 0:
            step(0.3 + 0.4 * i / max(len(geoms_all), 1), f"Reading feature {i + 1:,} of {len(geoms_all):,}")
        if g is None or g.is_empty:
            skipped.append(f"feature {i + 1}: no geometry")
            continue
        row = {n: _plain(col[i]) for n, col in zip(names, fields, strict=True)}
        ids.append(str(row.pop("id", "") or i + 1))
        geoms.append(g)
        props.append(row)
    warnings = summarise(skipped, "skipped")
    return ids, geoms, props, meta.get("crs"), warnings


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bytes):
        return f"<{len(v)} bytes>"
    return v if isinstance(v, str | int | float | bool) else str(v)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    if "file is not a database" in text:
        return "not a database (damaged, or not a GeoPackage)"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def summarise(items: list[str], verb: str) -> list[str]:
    if not items:
        return []
    head = "; ".join(items[:5])
    more = f" (and {len(items) - 5} more)" if len(items) > 5 else ""
    return [f"{len(items)} feature(s) {verb}: {head}{more}"]
