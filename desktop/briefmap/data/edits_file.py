"""The editor's files: the editable layer as GeoJSON, the briefing saved with it, and the
recovery of unsaved edits.

The editable layer is written in longitude/latitude (GeoJSON's own CRS), so the file reads
in any GIS and diffs line by line; briefmap projects it when it reads the layer. Saving
writes the layer file first and the catalog (data/writer.py) last, each atomically: a
crash leaves the old catalog, which does not list a half-written layer.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from briefmap.data.catalog import CATALOG
from briefmap.data.projection import map_projection
from briefmap.data.recovery import Recovery, read_recovery, recovery_path, write_recovery
from briefmap.data.writer import atomic_write, catalog_document, changed_panels, copy_folder, save_briefing
from briefmap.model.briefing import Bookmark, Briefing, LayerSpec, Source
from briefmap.model.features import FeatureTable


def _reprojected(geom, crs: str, to: str):
    """The geometry's vertices through the briefing's projection, one way or the other."""
    proj = map_projection(crs)
    step = proj.inverse if to == "lonlat" else proj.forward

    def move(xy: np.ndarray) -> np.ndarray:
        a, b = step(xy[:, 0], xy[:, 1])
        out = np.column_stack([np.asarray(a, dtype=float), np.asarray(b, dtype=float)])
        return np.round(out, 6) if to == "lonlat" else out

    return shapely.transform(geom, move)


def geojson_text(table: FeatureTable, crs: str) -> str:
    """Points, lines and areas alike (GeoJSON holds a mix), in longitude/latitude."""
    feats = []
    for fid, geom, props in zip(table.ids, table.geometries, table.properties, strict=True):
        row = {"id": fid} | {k: v for k, v in props.items() if k != "id"}
        feats.append({"type": "Feature", "properties": row,
                      "geometry": json.loads(shapely.to_geojson(_reprojected(geom, crs, "lonlat")))})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, indent=1) + "\n"


def table_from_geojson(text: str, layer_id: str, crs: str) -> FeatureTable:
    doc = json.loads(text)
    ids, geoms, rows = [], [], []
    for f in doc.get("features", []):
        props = dict(f.get("properties") or {})
        ids.append(str(props.pop("id", "")))
        geoms.append(_reprojected(shapely.from_geojson(json.dumps(f["geometry"])), crs, "map"))
        rows.append({k: "" if v is None else v for k, v in props.items()})
    return FeatureTable(layer_id, ids, geoms, rows)


def prepared(b: Briefing, edit_specs: list[LayerSpec]) -> Briefing:
    """The briefing as it will be saved: the editable layers listed once and shown in every
    scenario (the user added them to be seen), the window's throwaway layers left out."""
    # A layer the user added and did not keep has no file in the folder: it is left out.
    kept = [s for s in b.layers if not (s.id.startswith("user-") and not s.file)]
    ids = {s.id for s in edit_specs}
    layers = [s for s in kept if s.id not in ids] + list(edit_specs)
    scenarios = [dataclasses.replace(sc, layers=tuple(sc.layers) + tuple(i for i in ids if i not in sc.layers))
                 for sc in b.scenarios]
    return dataclasses.replace(b, layers=layers, scenarios=scenarios, sources=dict(b.sources),
                               bookmarks=list(b.bookmarks), events=list(b.events))


def edit_files(b: Briefing, tables: dict[str, FeatureTable]) -> dict[str, str]:
    """Relative path -> text of every file the edits change (the catalog as it would be saved)."""
    files = {spec.file: geojson_text(tables[spec.id], b.crs) for spec in b.layers if spec.id in tables}
    catalog = Path(b.root) / CATALOG
    existing = catalog.read_text(encoding="utf-8") if catalog.exists() else None
    files[CATALOG] = catalog_document(b, existing).as_string()
    files.update(changed_panels(b))  # panel texts edited in the panel editor
    return files


def save(b: Briefing, tables: dict[str, FeatureTable], summary: str, folder: Path | None = None) -> str:
    """Write the edited layers and the catalog into b.root, or into a new `folder` (a copy);
    returns the new version. b.root and b.version follow the saved copy."""
    if folder is not None:
        folder = Path(folder)
        if folder.exists():
            raise FileExistsError(f"{folder}: already exists; choose a new folder")
        copy_folder(Path(b.root), folder)
        b.root = folder
    before: dict[Path, bytes | None] = {}
    try:
        for spec in b.layers:
            if spec.id in tables:
                target = Path(b.root) / spec.file
                before[target] = target.read_bytes() if target.is_file() else None
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, geojson_text(tables[spec.id], b.crs))
        return save_briefing(b, summary)
    except BaseException:
        # A refused save (the folder would not validate) leaves the layer files as they were.
        for path, content in before.items():
            path.unlink(missing_ok=True) if content is None else atomic_write(path, content)
        raise


def store_recovery(b: Briefing, tables: dict[str, FeatureTable], summary: str, state_dir: Path | None = None) -> Path:
    return write_recovery(Path(b.root), edit_files(b, tables), summary, state_dir=state_dir)


@dataclasses.dataclass
class RecoveredEdits:
    recovery: Recovery
    tables: dict[str, FeatureTable]  # layer id -> features as they were
    sources: list[Source]  # sources the edits added
    bookmarks: list[Bookmark]  # bookmarks the edits added


def find_recovery(b: Briefing, edit_specs: list[LayerSpec], state_dir: Path | None = None) -> RecoveredEdits | None:
    """Unsaved edits of this briefing's folder left by a session that did not end well."""
    path = recovery_path(Path(b.root), state_dir)
    if not path.exists():
        return None
    rec = read_recovery(path)
    tables = {spec.id: table_from_geojson(rec.files[spec.file].decode("utf-8"), spec.id, b.crs)
              for spec in edit_specs if spec.file in rec.files}
    doc: dict[str, Any] = tomllib.loads(rec.files[CATALOG].decode("utf-8")) if CATALOG in rec.files else {}
    known = set(b.sources)
    fields = {f.name for f in dataclasses.fields(Source)}
    sources = [Source(**{k: str(v) for k, v in t.items() if k in fields}) for t in doc.get("sources", [])
               if t.get("id") not in known and t.get("id") and t.get("title")]
    marks = {m.id for m in b.bookmarks}
    bookmarks = [Bookmark(str(t["id"]), str(t.get("title", "")), tuple(float(v) for v in t["bounds"]))
                 for t in doc.get("bookmarks", []) if t.get("id") not in marks and len(t.get("bounds", [])) == 4]
    return RecoveredEdits(rec, tables, sources, bookmarks)
