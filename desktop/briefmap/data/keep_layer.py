"""Keep a layer the user added: copy it into the briefing's folder as a GeoPackage.

An added file is read by the importer (data/user_layers.py) into the briefing's
projection; keeping it writes those features to `layers/<id>.gpkg` inside the briefing's
folder, with the provenance every feature of a briefing carries (source, as_of,
confidence), and adds its source, style and layer to the briefing in memory. Saving the
briefing (data/writer.py) then writes the catalog that lists it, so the layer is there the
next time the briefing opens, on the command line as in the window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

import numpy as np

from briefmap.data.layers import map_crs
from briefmap.model.briefing import Briefing, LayerSpec, Source, Style
from briefmap.model.features import CONFIDENCE_LEVELS, FeatureTable

LAYER_FOLDER = "layers"
USER_GROUP = "My layers"
# A file's own confidence is kept when it has one; otherwise nobody has checked it yet.
DEFAULT_CONFIDENCE = "unconfirmed"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "layer"


def _date(value) -> str:
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return d.isoformat() if dt.date(1900, 1, 1) <= d <= dt.date(2100, 12, 31) else ""


def _plain(value):
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float | str):
        return value
    return "" if value is None else str(value)


def keep_user_layer(b: Briefing, spec: LayerSpec, style: Style, table: FeatureTable, file_name: str, *,
                    today: dt.date | None = None) -> LayerSpec:
    """Write `table` (already in the briefing's projection) into the briefing's folder and
    add it to `b`. `file_name` is the name of the file the user added (not its path, which
    would tell others where it sat on the user's disk). Returns the layer as kept."""
    import pyogrio
    import shapely

    when = (today or dt.date.today()).isoformat()
    lid = spec.id if spec.id not in {s.id for s in b.layers} else f"{spec.id}-{len(b.layers) + 1}"
    source_id = f"file-{_slug(Path(file_name).stem)}"
    if source_id not in b.sources:
        b.sources[source_id] = Source(source_id, f"{file_name} (added to the briefing on {when})",
                                      note="A file the briefing's author added; check its provenance before citing it.")
    ids, seen = [], set()
    rows = []
    for i, (fid, props) in enumerate(zip(table.ids, table.properties, strict=True)):
        fid = str(fid or "") or f"{i + 1}"
        if fid in seen:
            fid = f"{fid}-{i + 1}"
        seen.add(fid)
        ids.append(fid)
        row = {k: _plain(v) for k, v in props.items() if k not in ("id", "source", "as_of", "confidence")}
        row["source"] = props.get("source") if props.get("source") in b.sources else source_id
        row["as_of"] = _date(props.get("as_of", "")) or when
        row["confidence"] = props.get("confidence") if props.get("confidence") in CONFIDENCE_LEVELS \
            else DEFAULT_CONFIDENCE
        if row["as_of"] > b.article_as_of.isoformat() and not row.get("after_article"):
            # Known only after the analysis the briefing summarises: marked, as the checker asks.
            row["after_article"] = "yes"
        rows.append(row)
    keys = [*sorted({k for r in rows for k in r} - {"source", "as_of", "confidence"}), "source", "as_of", "confidence"]
    columns = [np.array(ids, dtype=object)]
    for k in keys:
        values = [r.get(k, "") for r in rows]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        columns.append(np.array(values, dtype=float if numeric else object) if numeric
                       else np.array([str(v) for v in values], dtype=object))
    relative = f"{LAYER_FOLDER}/{lid}.gpkg"
    target = Path(b.root) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.part.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        # A GeoPackage holds one kind of geometry per table: promote to the multi-part kind.
        geoms = [shapely.force_2d(g) for g in table.geometries]
        kinds = {g.geom_type.removeprefix("Multi") for g in geoms}
        geometry_type = f"Multi{kinds.pop()}" if len(kinds) == 1 else "Unknown"
        if all(g.geom_type == "Point" for g in geoms):
            geometry_type = "Point"  # single points stay single: that is how the map draws them
        elif geometry_type.startswith("Multi"):
            maker = {"MultiPoint": shapely.multipoints, "MultiLineString": shapely.multilinestrings,
                     "MultiPolygon": shapely.multipolygons}[geometry_type]
            geoms = [g if g.geom_type.startswith("Multi") else maker([g]) for g in geoms]
        pyogrio.raw.write(tmp, shapely.to_wkb(np.array(geoms, dtype=object)), columns, ["id", *keys], layer=lid,
                          driver="GPKG", geometry_type=geometry_type, crs=map_crs(b))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    b.styles[style.id] = style
    kept = LayerSpec(id=lid, title=spec.title, group=USER_GROUP, style=style.id,
                     order=max((s.order for s in b.layers), default=0) + 1, visible=True, legend=spec.legend,
                     description=f"Added from {file_name} on {when}.", file=relative, table=lid, label=spec.label,
                     sources=(source_id,))
    b.layers.append(kept)
    # The user added it to see it: every scenario shows it.
    b.scenarios = [dataclasses.replace(sc, layers=(*sc.layers, lid)) for sc in b.scenarios]
    return kept
