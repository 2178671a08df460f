"""The user's own layers: GeoJSON, GeoPackage, zipped Shapefile, KML, and CSV with
latitude/longitude columns, read into the map's projection.

Anything a file can be — empty, truncated, binary, mislabelled, without a CRS, with broken
geometry — ends in a LayerImportError that names the file and the fault, or in a layer
with warnings that say what was assumed or repaired. Only local files are read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from briefmap.data.layer_geometry import LayerGeometryError, drop_non_finite, repair, to_map
from briefmap.data.layer_readers import (
    MAX_FEATURES,
    Cancelled,
    LayerImportError,
    check_named_crs,
    read_csv,
    read_geojson,
    read_ogr,
    summarise,
)
from briefmap.model.features import FeatureTable

MAX_BYTES = 1_000_000_000
LARGE_GEOJSON_BYTES = 20_000_000
# Work and memory are budgeted before reading: peak memory measured per input byte for each
# reader (a 100 MB CSV peaked at 1.7 GB, a 240 MB GeoJSON over 3 GB, 456 MB of unzipped
# shapefile over 3 GB), and the features and vertices a map layer can reasonably hold.
MEMORY_BUDGET = 1_500_000_000
PEAK_PER_BYTE = {"geojson": 13, "csv": 17, "shapefile-zip": 7, "gpkg": 6, "kml": 20}
MAX_VERTICES = 20_000_000
SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shapefile-zip",
            ".kml": "kml", ".csv": "csv"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ImportedLayer:
    path: Path
    title: str
    table: FeatureTable
    warnings: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    vertices: int = 0
    # The features' extent, worked out with the reading (off the UI thread): the window
    # fits the view to it at once, a million points or not.
    bounds: tuple[float, float, float, float] | None = None


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
        check_named_crs(path, fail)
        # GDAL streams a large file in C: a third of the time and a quarter of the memory
        # of Python's json for 100 MB. If it cannot, the json reader says precisely why.
        try:
            ids, geoms, props, crs, warnings = read_ogr(path, "geojson", step)
        except LayerImportError:
            ids, geoms, props, crs, warnings = read_geojson(path, step)
    elif kind == "geojson":
        ids, geoms, props, crs, warnings = read_geojson(path, step)
    elif kind == "csv":
        ids, geoms, props, crs, warnings = read_csv(path, step)
    else:
        ids, geoms, props, crs, warnings = read_ogr(path, kind, step)
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
    warnings += summarise(repaired, "repaired") + summarise(not_numbers + dropped, "dropped: not repairable")
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
    array = np.array(geoms, dtype=object)
    return ImportedLayer(path, path.stem, table, warnings, kinds, int(shapely.get_num_coordinates(array).sum()),
                         tuple(float(v) for v in shapely.total_bounds(array)))


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




__all__ = ["Cancelled", "ImportedLayer", "LayerImportError", "Progress", "import_layer"]
