"""A user layer's geometry after reading: repaired, checked and put in the map's projection.

The coordinate reference system a file names is only accepted as an EPSG/OGC/ESRI code or
as WKT without file references: PROJ opens the files that `+init=`, grid or parameter-file
entries name, and a layer must not make the app read files it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

Step = Callable[[float, str], None]
STEP_EVERY = 2000
_CODE = re.compile(r"^(EPSG|OGC|ESRI|IAU_2015):[A-Za-z0-9_.]{1,20}$", re.IGNORECASE)
_URN = re.compile(r"^urn:ogc:def:crs:(EPSG|OGC):[0-9.]*:[A-Za-z0-9_.]{1,20}$", re.IGNORECASE)
_WKT = re.compile(r"^\s*[A-Z_]+\s*\[", re.IGNORECASE)
_FILE_REFERENCE = re.compile(r"init\s*=|grids\s*=|parameterfile|\+proj|@|\.(gsb|gtx|tif|json|db)\b", re.IGNORECASE)


class LayerGeometryError(ValueError):
    """str() is the message after the file name."""


def checked_crs(text: str) -> str:
    """`text` when it is a code or WKT without file references; LayerGeometryError otherwise."""
    value = str(text).strip()
    if _CODE.match(value) or _URN.match(value):
        return value
    if _WKT.match(value) and not _FILE_REFERENCE.search(value) and len(value) < 20_000:
        return value
    raise LayerGeometryError(f"coordinate reference system not accepted {value[:80]!r} "
                             "(use an EPSG code or WKT; PROJ strings and file references are not read)")


def drop_non_finite(geoms: list) -> tuple[list, list[int], list[str]]:
    """Geometries whose coordinates are all finite numbers, with their indexes."""
    import shapely

    arr = np.array(geoms, dtype=object)
    coords, index = shapely.get_coordinates(arr, return_index=True)
    bad = np.zeros(len(arr), dtype=bool)
    bad[index[~np.isfinite(coords).all(axis=1)]] = True
    kept = [int(i) for i in np.flatnonzero(~bad)]
    notes = [f"feature {i + 1} (coordinates that are not numbers)" for i in np.flatnonzero(bad)]
    return [arr[i] for i in kept], kept, notes


def repair(geoms: list, step: Step) -> tuple[list, list[int], list[str], list[str]]:
    """(geometries, kept indexes, repaired notes, dropped notes). make_valid's "structure"
    method stays near-linear where the default grows with the square of the vertices."""
    import shapely

    arr = np.array(geoms, dtype=object)
    valid = shapely.is_valid(arr)
    repaired, dropped, out, kept = [], [], [], []
    for i, g in enumerate(arr):
        if i % STEP_EVERY == 0:
            step(0.7 + 0.1 * i / max(len(arr), 1), f"Checking geometry {i + 1:,} of {len(arr):,}")
        if g.is_empty:
            dropped.append(f"feature {i + 1} (an empty geometry)")
            continue
        if not valid[i]:
            reason = shapely.is_valid_reason(g)
            dim = int(shapely.get_dimensions(g))
            fixed = shapely.make_valid(g, method="structure", keep_collapsed=False) if dim == 2 \
                else shapely.make_valid(g)
            if fixed.geom_type == "GeometryCollection" and g.geom_type != "GeometryCollection":
                parts = [p for p in shapely.get_parts(fixed) if shapely.get_dimensions(p) == dim]
                # The parts of a repair do not overlap: collect them, no union needed.
                fixed = _collect(parts, dim) if parts else shapely.GeometryCollection()
            # An area that collapsed to a line or a point is not a repair.
            if fixed.is_empty or shapely.get_dimensions(fixed) < dim:
                dropped.append(f"feature {i + 1} ({reason})")
                continue
            repaired.append(f"feature {i + 1} ({reason})")
            g = fixed
        out.append(g)
        kept.append(i)
    return out, kept, repaired, dropped


def _collect(parts: list, dim: int):
    import shapely

    singles = [q for p in parts for q in shapely.get_parts(p)]
    if dim == 2:
        return shapely.multipolygons(singles)
    if dim == 1:
        return shapely.multilinestrings(singles)
    return shapely.multipoints(singles)


def to_map(geoms: list, crs: str | None, map_crs: str) -> tuple[list, list[str]]:
    """Reprojected geometries and notes; LayerGeometryError says what is wrong."""
    import geopandas
    import shapely
    from pyproj import CRS
    from pyproj.exceptions import CRSError, ProjError

    warnings = []
    arr = shapely.force_2d(np.array(geoms, dtype=object))  # a map is flat: heights and measures go
    if not crs:
        crs = "EPSG:4326"
        warnings.append("the file names no coordinate reference system: WGS84 longitude/latitude (EPSG:4326) is assumed")
    try:
        source = CRS.from_user_input(checked_crs(crs))
    except (CRSError, ProjError):
        raise LayerGeometryError(f"unknown coordinate reference system {str(crs)[:80]!r}") from None
    if source.is_geographic:
        x0, y0, x1, y1 = shapely.total_bounds(arr)
        if not (x0 >= -180.0001 and x1 <= 180.0001 and y0 >= -90.0001 and y1 <= 90.0001):
            raise LayerGeometryError(f"coordinates outside the world for longitude/latitude "
                                     f"(x {x0:.6g}…{x1:.6g}, y {y0:.6g}…{y1:.6g}); is the CRS right?")
    try:
        out = geopandas.GeoSeries(arr, crs=source).to_crs(map_crs).values
    except (CRSError, ProjError) as exc:
        raise LayerGeometryError(f"cannot be projected to the map from {source.name!r}: {str(exc)[:120]}") from None
    if not np.isfinite(shapely.get_coordinates(out)).all():
        raise LayerGeometryError("some coordinates cannot be projected to the map (outside the world?)")
    return list(out), warnings
