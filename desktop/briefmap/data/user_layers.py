"""The user's own layers: GeoJSON, GeoPackage, zipped Shapefile, KML, and CSV with
latitude/longitude columns, read into the map's projection.

Anything a file can be — empty, truncated, binary, mislabelled, without a CRS, with broken
geometry — ends in a LayerImportError that names the file and the fault, or in a layer
with warnings that say what was assumed or repaired. Only local files are read.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings as pywarnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from briefmap.data.layer_geometry import LayerGeometryError, drop_non_finite, repair, to_map
from briefmap.model.features import FeatureTable

MAX_BYTES = 1_000_000_000
LARGE_GEOJSON_BYTES = 20_000_000
MAX_UNZIPPED_BYTES = 2_000_000_000
# Work and memory are budgeted before reading: peak memory measured per input byte for each
# reader (a 100 MB CSV peaked at 1.7 GB, a 240 MB GeoJSON over 3 GB, 456 MB of unzipped
# shapefile over 3 GB), and the features and vertices a map layer can reasonably hold.
MEMORY_BUDGET = 1_500_000_000
PEAK_PER_BYTE = {"geojson": 13, "csv": 17, "shapefile-zip": 7, "gpkg": 6, "kml": 20}
MAX_FEATURES = 1_000_000
MAX_VERTICES = 20_000_000
MAX_JSON_DEPTH = 64
SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shapefile-zip",
            ".kml": "kml", ".csv": "csv"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "breite")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "laenge")


class LayerImportError(Exception):
    """A file that cannot become a layer; str() names the file and what is wrong."""


class Cancelled(Exception):
    pass


@dataclass
class ImportedLayer:
    path: Path
    title: str
    table: FeatureTable
    warnings: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    vertices: int = 0


Progress = Callable[[float, str], bool]  # (fraction, message) -> keep going?


def _sniff(head: bytes) -> str:
    if not head.strip():
        return "empty"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ")):
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<"):
        return "xml"
    if b"\x00" in head:
        return "binary"
    return "text"


NAMES = {"gpkg": "a GeoPackage (SQLite)", "zip": "a ZIP archive", "binary": "a binary file", "json": "JSON text",
         "xml": "XML", "text": "plain text", "empty": "empty"}
EXPECT = {"geojson": {"json"}, "gpkg": {"gpkg"}, "shapefile-zip": {"zip"}, "kml": {"xml"}, "csv": {"text"}}


def import_layer(path: Path, map_crs: str, progress: Progress | None = None) -> ImportedLayer:
    path = Path(path)
    name = path.name

    def fail(message: str) -> LayerImportError:
        return LayerImportError(f"{name}: {message}")

    def step(fraction: float, message: str) -> None:
        if progress is not None and not progress(fraction, message):
            raise Cancelled()

    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise fail(f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                   "use GeoJSON, GeoPackage, zipped Shapefile (.zip), KML or CSV")
    if not path.is_file():
        raise fail("no such file" if not path.exists() else "not a file")
    size = path.stat().st_size
    if size == 0:
        raise fail("the file is empty")
    if size > MAX_BYTES:
        raise fail(f"the file is too large ({size:,} bytes; at most {MAX_BYTES:,})")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    found = _sniff(head)
    if found == "empty":
        raise fail("the file holds only white space")
    if found not in EXPECT[kind]:
        raise fail(f"the name says {kind.replace('-', ' ')}, but the content is {NAMES[found]}")
    _check_budget(path, kind, size, fail)
    step(0.05, f"Reading {name}")
    if kind == "geojson" and size > LARGE_GEOJSON_BYTES:
        # GDAL streams a large file in C: a third of the time and a quarter of the memory
        # of Python's json for 100 MB. If it cannot, the json reader says precisely why.
        try:
            ids, geoms, props, crs, warnings = _read_ogr(path, "geojson", step)
        except LayerImportError:
            ids, geoms, props, crs, warnings = _read_geojson(path, step)
    elif kind == "geojson":
        ids, geoms, props, crs, warnings = _read_geojson(path, step)
    elif kind == "csv":
        ids, geoms, props, crs, warnings = _read_csv(path, step)
    else:
        ids, geoms, props, crs, warnings = _read_ogr(path, kind, step)
    if not geoms:
        raise fail("the file has no features with geometry")
    if len(geoms) > MAX_FEATURES:
        raise fail(f"too many features ({len(geoms):,}; at most {MAX_FEATURES:,})")
    import shapely

    vertices = int(shapely.get_num_coordinates(np.array(geoms, dtype=object)).sum())
    if vertices > MAX_VERTICES:
        raise fail(f"too many vertices ({vertices:,}; at most {MAX_VERTICES:,}); simplify the layer first")
    step(0.7, "Checking geometry")
    geoms, finite, not_numbers = drop_non_finite(geoms)
    geoms, kept, repaired, dropped = repair(geoms, step)
    kept = [finite[i] for i in kept]
    warnings += _summarise(repaired, "repaired") + _summarise(not_numbers + dropped, "dropped: not repairable")
    if not kept:
        raise fail("no feature has a usable geometry")
    ids = [ids[i] for i in kept]
    props = [props[i] for i in kept]
    step(0.8, "Reprojecting")
    try:
        geoms, crs_warnings = to_map(geoms, crs, map_crs)
    except LayerGeometryError as exc:
        raise fail(str(exc)) from None
    warnings += crs_warnings

    # Control characters are never text a map can show (a NUL breaks SVG).
    props = [{_CONTROL.sub("", str(k)): (_CONTROL.sub("", v) if isinstance(v, str) else v) for k, v in p.items()}
             for p in props]
    ids = [_CONTROL.sub("", i) for i in ids]
    for p in props:
        p.setdefault("source", "user")
        p.setdefault("confidence", "reported")
    table = FeatureTable(f"user-{path.stem}", ids, list(geoms), props, [None] * len(ids), [None] * len(ids))
    parts = shapely.get_parts(np.array(geoms, dtype=object))
    kinds = {("point", "line", "polygon")[min(int(d), 2)] for d in set(shapely.get_dimensions(parts).tolist())}
    step(1.0, "Done")
    return ImportedLayer(path, path.stem, table, warnings, kinds, int(shapely.get_num_coordinates(np.array(geoms)).sum()))


def _unpacked_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def _check_budget(path: Path, kind: str, size: int, fail) -> None:
    """Refuse, before reading, a file whose reading would need more memory than the budget."""
    work = _unpacked_size(path) if kind == "shapefile-zip" else size
    peak = work * PEAK_PER_BYTE[kind]
    if peak > MEMORY_BUDGET:
        what = f"{work:,} bytes unpacked" if kind == "shapefile-zip" else f"{size:,} bytes"
        raise fail(f"the file is too large to read safely ({what}: about {peak / 1e9:.1f} GB of memory; "
                   f"at most {MEMORY_BUDGET / 1e9:.1f} GB). Split it or simplify it first")


def _json_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (vectorised: a large file has millions)."""
    import re

    stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).encode("utf-8", "replace")
    b = np.frombuffer(stripped, dtype=np.uint8)
    step = (b == ord("[")).astype(np.int32) + (b == ord("{")) - (b == ord("]")) - (b == ord("}"))
    return int(np.cumsum(step).max(initial=0))


# ------------------------------------------------------------------ readers
def _read_geojson(path: Path, step):
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
    warnings += _summarise(skipped, "skipped")
    if not geoms and skipped:
        raise LayerImportError(f"{name}: no feature could be read; first: {skipped[0]}")
    return ids, geoms, props, crs, warnings


def _scalar(v: Any) -> Any:
    if isinstance(v, str | int | float | bool) or v is None:
        return "" if v is None else v
    return json.dumps(v, ensure_ascii=False)[:500]


def _read_csv(path: Path, step):
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
    warnings = _summarise(skipped, "skipped")
    if not geoms and skipped:
        raise LayerImportError(f"{name}: no row has usable coordinates; first: {skipped[0]}")
    return ids, geoms, props, "EPSG:4326", warnings


def _read_ogr(path: Path, kind: str, step):
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
    warnings = _summarise(skipped, "skipped")
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


def _summarise(items: list[str], verb: str) -> list[str]:
    if not items:
        return []
    head = "; ".join(items[:5])
    more = f" (and {len(items) - 5} more)" if len(items) > 5 else ""
    return [f"{len(items)} feature(s) {verb}: {head}{more}"]
