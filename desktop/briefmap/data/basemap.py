"""Cut a briefing's own base map from the world data that ships with briefmap.

The region (a lon/lat box) is clipped a little wider than asked, so the frame's edges show
no cut lines, then projected once into the briefing's conformal projection and written as
one GeoPackage: countries (with label points), the borders between them, admin-1 units,
lakes, the sea, cities (capitals flagged) and capitals, plus a wider, simpler frame for the
sheet's locator inset. Every feature carries source, as_of and confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefmap.data.bbox import Box, box_width, crosses_antimeridian
from briefmap.data.paths import geodata_dir
from briefmap.data.projection import map_projection

NATURAL_EARTH = ("naturalearth", "2022-05-09", "confirmed")
NATURAL_EARTH_ADMIN1 = ("naturalearth", "2022-05-09", "approximate")
GEONAMES = ("geonames", "2026-07-01", "confirmed")
# How much wider than the asked box the data is cut, as a share of its size...
MARGIN = 0.15
# ...and at least a square this many times the box's longer side, so that a sheet of any
# shape (a wide slide, a portrait page) framing the box finds map data to its edges.
FRAME_SQUARE = 1.8
# The locator inset shows the region inside a frame this many times its size.
INSET_FACTOR = 4.0


def world_path() -> Path:
    return geodata_dir() / "world.gpkg"


@dataclass
class Counts:
    countries: int
    borders: int
    admin1: int
    lakes: int
    cities: int
    capitals: int
    focus: tuple[str, ...] = ()  # the region's countries (ISO 3166 alpha-3, as Natural Earth has them)
    inset_bounds: Box = (-180.0, -90.0, 180.0, 90.0)  # the locator inset's lon/lat frame


def in_box(lon: float, lat: float, box: Box) -> bool:
    lon0, lat0, lon1, lat1 = box
    inside_lon = lon0 <= lon <= lon1 if lon0 <= lon1 else (lon >= lon0 or lon <= lon1)
    return inside_lon and lat0 <= lat <= lat1


def _cut_box(box: Box) -> Box:
    """The box the data is cut to: the asked box with a margin, widened to a square on the
    ground (longitude degrees shrink with the cosine of the latitude)."""
    w, h = box_width(box), box[3] - box[1]
    shrink = max(0.1, math.cos(math.radians((box[1] + box[3]) / 2)))
    side = max(w * shrink, h) * FRAME_SQUARE
    return _expand(box, max(MARGIN, (side / shrink - w) / 2 / w), max(MARGIN, (side - h) / 2 / h))


def _expand(box: Box, factor: float, factor_y: float | None = None) -> Box:
    lon0, lat0, lon1, lat1 = box
    w = box_width(box)
    h = lat1 - lat0
    grow_x, grow_y = w * factor, h * (factor if factor_y is None else factor_y)
    lat0, lat1 = max(-89.0, lat0 - grow_y), min(89.0, lat1 + grow_y)
    if w + 2 * grow_x >= 360:
        return (-180.0, lat0, 180.0, lat1)
    lon0 = (lon0 - grow_x + 180) % 360 - 180
    lon1 = (lon1 + grow_x + 180) % 360 - 180
    return (lon0, lat0, lon1, lat1)


def _clip_shapes(box: Box):
    """The box as lon/lat polygons (two across the antimeridian), densified so that its
    edges stay smooth curves once projected."""
    import shapely

    lon0, lat0, lon1, lat1 = box
    parts = [(lon0, lat0, 180.0, lat1), (-180.0, lat0, lon1, lat1)] if crosses_antimeridian(box) else [box]
    return [shapely.segmentize(shapely.box(*p), 0.05) for p in parts]


def _read(layer: str, box: Box):
    """(geometries, rows) of a world layer that meet the box."""
    import pyogrio
    import shapely

    out_g, out_r = [], []
    seen: set[str] = set()
    for clip in _clip_shapes(box):  # two reads across the antimeridian: a feature may meet both
        meta, _fids, wkb, fields = pyogrio.raw.read(world_path(), layer=layer, bbox=clip.bounds)
        names = list(meta["fields"])
        ids = list(fields[names.index("id")])
        for i, g in enumerate(shapely.from_wkb(wkb)):
            if ids[i] in seen:
                continue
            seen.add(ids[i])
            out_g.append(g)
            out_r.append({n: (col[i].item() if hasattr(col[i], "item") else col[i]) for n, col in zip(names, fields,
                                                                                                       strict=True)})
    return out_g, out_r


def _polygonal(geom):
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid:
        return geom
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _clip(geom, clips):
    import shapely

    if len(clips) == 1:
        return _polygonal(shapely.intersection(geom, clips[0]))
    return _polygonal(shapely.union_all([shapely.intersection(geom, c) for c in clips]))


class _Projector:
    def __init__(self, crs: str):
        self.lcc = map_projection(crs)

    def geoms(self, geoms):
        import shapely

        arr = np.array(geoms, dtype=object)
        out = shapely.transform(arr, lambda xy: np.column_stack(self.lcc.forward(xy[:, 0], xy[:, 1])))
        # A metre grid: far below the data's accuracy, and it makes files byte-stable.
        out = shapely.set_precision(out, 1.0, mode="pointwise")
        return [g if g.is_valid else _polygonal(g) if g.geom_type.endswith("Polygon") else g for g in out]


def _lines(geom):
    import shapely

    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "MultiLineString")]
    return shapely.line_merge(shapely.union_all(parts)) if parts else shapely.LineString()


def _borders(ids: list[str], geoms: list):
    import shapely

    out = []
    for i, a in enumerate(ids):
        for j in range(i + 1, len(ids)):
            if not shapely.intersects(geoms[i], geoms[j]):
                continue
            shared = _lines(shapely.intersection(geoms[i].boundary, geoms[j].boundary))
            if shared.is_empty or shared.length < 1000.0:
                continue
            out.append(("-".join(sorted((a, b := ids[j]))), a, b, shared))
    return sorted(out, key=lambda t: t[0])


def _label_point(geom, lon: float, lat: float, proj: _Projector):
    """Natural Earth's label point when it falls inside the cut country, else a point
    surely inside its largest part."""
    import shapely

    p = proj.geoms([shapely.Point(lon, lat)])[0]
    if geom.contains(p):
        return p.x, p.y
    biggest = max(shapely.get_parts(geom), key=lambda g: g.area)
    q = shapely.maximum_inscribed_circle(biggest, 1000.0) if biggest.geom_type == "Polygon" else None
    q = shapely.get_point(q, 0) if q is not None else biggest.representative_point()
    return q.x, q.y


def _provenance(kind: tuple[str, str, str], n: int) -> dict[str, list]:
    return {"source": [kind[0]] * n, "as_of": [kind[1]] * n, "confidence": [kind[2]] * n}


def _write(path: Path, layer: str, crs: str, ids: list[str], geoms: list, fields: dict[str, list],
           geometry_type: str) -> None:
    import pyogrio
    import shapely

    cols = [np.array(ids, dtype=object)]
    names = ["id"]
    for k, v in fields.items():
        names.append(k)
        # An empty layer keeps its columns typed as text.
        cols.append(np.asarray(v, dtype=None if v and isinstance(v[0], int | float) else object))
    if geometry_type == "MultiPolygon":
        geoms = [shapely.multipolygons([g]) if g.geom_type == "Polygon" else g for g in geoms]
    elif geometry_type == "MultiLineString":
        geoms = [shapely.multilinestrings([g]) if g.geom_type == "LineString" else g for g in geoms]
    wkb = shapely.to_wkb(np.array(geoms, dtype=object)) if geoms else np.array([], dtype=object)
    pyogrio.raw.write(path, wkb, cols, names, layer=layer, driver="GPKG", geometry_type=geometry_type, crs=crs,
                      append=path.exists(), layer_options={"SPATIAL_INDEX": "NO"})


def build_basemap(box: Box, crs: str, out: Path, *, admin1: bool = True) -> Counts:
    """Write the base map of `box` (lon/lat, west > east across the antimeridian) in `crs`
    (a Lambert conformal conic PROJ string) to the GeoPackage `out`."""
    import shapely

    proj = _Projector(crs)
    cut = _cut_box(box)
    clips = _clip_shapes(cut)
    frame = shapely.union_all(proj.geoms(clips))

    geoms, rows = _read("countries", cut)
    kept = []
    for g, r in zip(geoms, rows, strict=True):
        part = _clip(g, clips)
        if not part.is_empty:
            kept.append((r, part))
    kept.sort(key=lambda t: t[0]["id"])
    c_ids = [r["id"] for r, _ in kept]
    c_geoms = [_polygonal(g) for g in proj.geoms([g for _, g in kept])]
    label_xy = [_label_point(g, r["label_lon"], r["label_lat"], proj) for (r, _), g in zip(kept, c_geoms, strict=True)]
    _write(out, "countries", crs, c_ids, c_geoms, {
        "iso_a3": [r["iso_a3"] for r, _ in kept],
        "name": [r["name"] for r, _ in kept],
        "names": [r["names"] for r, _ in kept],
        "label_x": [round(x, 1) for x, _ in label_xy],
        "label_y": [round(y, 1) for _, y in label_xy],
        "rank": [int(r["label_rank"]) for r, _ in kept],
        # The countries of the region (their label point inside the asked box) stand out.
        "role": ["focus" if in_box(r["label_lon"], r["label_lat"], box) else "context" for r, _ in kept],
    } | _provenance(NATURAL_EARTH, len(kept)), "MultiPolygon")

    borders = _borders(c_ids, c_geoms)
    # An island region has no land borders: the layer is written, empty.
    _write(out, "borders", crs, [b[0] for b in borders], [b[3] for b in borders],
           {"left": [b[1] for b in borders], "right": [b[2] for b in borders]}
           | _provenance(NATURAL_EARTH, len(borders)), "MultiLineString")

    land = shapely.union_all(c_geoms) if c_geoms else shapely.Polygon()
    water = _polygonal(shapely.difference(frame, land))
    seas = [p for p in shapely.get_parts(water) if p.area > 5e7]  # ponds between coast pixels are not seas
    _write(out, "seas", crs, [f"sea-{i + 1}" for i in range(len(seas))], seas,
           {"name": [""] * len(seas)} | _provenance(NATURAL_EARTH, len(seas)), "MultiPolygon")

    lakes = []
    for g in _read("lakes", cut)[0]:
        part = _clip(g, clips)
        if not part.is_empty:
            lakes.append(part)
    lakes = proj.geoms(lakes) if lakes else []
    _write(out, "lakes", crs, [f"lake-{i + 1}" for i in range(len(lakes))], lakes,
           {"name": [""] * len(lakes)} | _provenance(NATURAL_EARTH, len(lakes)), "MultiPolygon")

    n_admin1 = 0
    if admin1:
        in_region = set(c_ids)
        units = [(r, _clip(g, clips)) for g, r in zip(*_read("admin1", cut), strict=True) if r["iso_a3"] in in_region]
        units = [(r, g) for r, g in units if not g.is_empty]
        units.sort(key=lambda t: t[0]["id"])
        _write(out, "admin1", crs, [r["id"] for r, _ in units], proj.geoms([g for _, g in units]),
               {k: [r[k] for r, _ in units] for k in ("iso_a3", "name", "name_local")}
               | _provenance(NATURAL_EARTH_ADMIN1, len(units)), "MultiPolygon")
        n_admin1 = len(units)

    geoms, rows = _read("cities", cut)
    inside = [(r, g) for g, r in zip(geoms, rows, strict=True) if any(c.contains(g) for c in clips)]
    inside.sort(key=lambda t: (-int(t[0]["population"]), t[0]["id"]))
    city_fields = ("name", "names", "iso_a3", "population", "capital", "lat", "lon")
    pts = proj.geoms([g for _, g in inside])
    _write(out, "cities", crs, [r["id"] for r, _ in inside], pts,
           {k: [r[k] for r, _ in inside] for k in city_fields} | _provenance(GEONAMES, len(inside)), "Point")
    caps = [(r, p) for (r, _), p in zip(inside, pts, strict=True) if r["capital"] == "yes"]
    _write(out, "capitals", crs, [r["id"] for r, _ in caps], [p for _, p in caps],
           {k: [r[k] for r, _ in caps] for k in city_fields} | _provenance(GEONAMES, len(caps)), "Point")

    inset_bounds = _write_inset(box, crs, out, proj)
    focus = tuple(r["iso_a3"] for r, _ in kept if in_box(r["label_lon"], r["label_lat"], box))
    return Counts(len(c_ids), len(borders), n_admin1, len(lakes), len(inside), len(caps), focus, inset_bounds)


def _write_inset(box: Box, crs: str, out: Path, proj: _Projector) -> Box:
    import shapely

    wide = _expand(box, (INSET_FACTOR - 1) / 2)
    clips = _clip_shapes(wide)
    geoms, rows = _read("countries", wide)
    parts = [(r["id"], _clip(g, clips)) for g, r in zip(geoms, rows, strict=True)]
    parts = sorted([(k, g) for k, g in parts if not g.is_empty], key=lambda t: t[0])
    # The inset is drawn a few centimetres wide: a hundredth of a degree is more than it shows.
    simple = [shapely.simplify(g, 0.02, preserve_topology=True) for _, g in parts]
    projected = [_polygonal(g) for g in proj.geoms(simple)]
    _write(out, "inset_countries", crs, [k for k, _ in parts], projected,
           {"iso_a3": [k for k, _ in parts]} | _provenance(NATURAL_EARTH, len(parts)), "MultiPolygon")
    frame = shapely.union_all(proj.geoms(clips))
    water = _polygonal(shapely.difference(frame, shapely.union_all(projected)))
    _write(out, "inset_seas", crs, ["sea"], [water], {"name": [""]} | _provenance(NATURAL_EARTH, 1), "MultiPolygon")
    return wide
