"""The catalog's story tables: bookmarks, scenarios, events and naming policies.

Read like the rest of the catalog (data/catalog.py), with the checks that tie them to the
layers, panels and sources already read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefmap.data.bbox import box_problem
from briefmap.data.schema import read_fields
from briefmap.model.briefing import Annotation, Bookmark, Briefing, Event, Scenario
from briefmap.model.naming import NamingPolicy

if TYPE_CHECKING:
    from briefmap.data.catalog import _Reader


def bookmark(r: _Reader, t: dict, path: tuple) -> tuple[tuple, Bookmark | None]:
    bid = r.ident(t, path)
    bounds = r.get(t, path, "bounds", list, default=[])
    ok = len(bounds) == 4 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in bounds)
    if not ok:
        r.problem((*path, "bounds"), "expected four numbers [lon_west, lat_south, lon_east, lat_north]")
        bounds = [0.0, 0.0, 1.0, 1.0]
    lon0, lat0, lon1, lat1 = (float(v) for v in bounds)
    why = box_problem((lon0, lat0, lon1, lat1)) if ok else ""
    if why:
        r.problem((*path, "bounds"), f"coordinates outside the world or in the wrong order: {why}")
    return path, Bookmark(bid, r.get(t, path, "title", str, default=""), (lon0, lat0, lon1, lat1)) if bid else None


def scenario(r: _Reader, t: dict, path: tuple, b: Briefing) -> tuple[tuple, Scenario | None]:
    sid = r.ident(t, path)
    layers = r.strings(t, path, "layers", required=True)
    known = {spec.id for spec in b.layers}
    for lid in layers:
        if lid not in known:
            r.problem((*path, "layers"), f"unknown layer {lid!r}")
    panel = r.get(t, path, "panel", str, default="")
    if panel and panel not in {p.id for p in b.panels}:
        r.problem((*path, "panel"), f"unknown panel {panel!r}")
    bookmark = r.get(t, path, "bookmark", str, required=False, default="")
    if bookmark and bookmark not in {m.id for m in b.bookmarks}:
        r.problem((*path, "bookmark"), f"unknown bookmark {bookmark!r}")
    highlight = feature_refs(r, t, path, "highlight", b)
    notes = []
    for i, a in enumerate(r.get(t, path, "annotations", list, required=False, default=[])):
        ap = (*path, "annotations")
        if not isinstance(a, dict):
            r.problem(ap, f"annotation {i + 1}: expected {{ text = …, lat = …, lon = … }}")
            continue
        text = a.get("text")
        lat, lon = a.get("lat"), a.get("lon")
        if not isinstance(text, str) or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            r.problem(ap, f"annotation {i + 1}: expected text, lat and lon")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            r.problem(ap, f"annotation {i + 1}: coordinates outside the world ({lat}, {lon})")
            continue
        notes.append(Annotation(text, float(lat), float(lon)))
    values = read_fields(r, Scenario, t, path, skip=("id", "layers", "highlight", "panel", "bookmark"))
    return path, Scenario(id=sid, layers=layers, highlight=highlight, panel=panel, bookmark=bookmark,
                          annotations=tuple(notes), **values) if sid else None


def feature_refs(r: _Reader, t: dict, path: tuple, key: str, b: Briefing) -> tuple[str, ...]:
    """A list of 'layer/feature' references whose layers the catalog defines (the features
    themselves are checked once the layers are read)."""
    refs = r.strings(t, path, key)
    known = {spec.id for spec in b.layers}
    for ref in refs:
        if "/" not in ref or ref.split("/", 1)[0] not in known:
            r.problem((*path, key), f"expected 'layer/feature' naming a known layer, found {ref!r}")
    return refs


def event(r: _Reader, t: dict, path: tuple, b: Briefing) -> tuple[tuple, Event | None]:
    values = read_fields(r, Event, t, path, skip=("features",))
    if values["source"] and values["source"] not in b.sources:
        r.problem((*path, "source"), f"unknown source {values['source']!r} (not in [[sources]])")
    values["features"] = feature_refs(r, t, path, "features", b)
    if values["date"] is None or not values["id"]:
        return path, None
    return path, Event(**values)


def naming(r: _Reader, t: dict, path: tuple) -> tuple[tuple, NamingPolicy | None]:
    """A naming policy: which name properties a contested place's label shows."""
    values = read_fields(r, NamingPolicy, t, path)
    if not values["fields"] and isinstance(t.get("fields"), list):
        r.problem((*path, "fields"), "expected at least one property name")
    return path, NamingPolicy(**values) if values["id"] else None
