"""What the editor changes, without Qt: the editable layer's features and their checks.

The user's points live in one editable layer (EDITS_LAYER unless the user picks another
layer of their own). A change never edits a table in place: it makes a new FeatureTable
and swaps it into the layer list (`replace_table`), so the renderer, the canvas, the
legend and the layer tree follow the list's ordinary remove/insert events and an undo is
the same swap backwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from briefmap.model.briefing import Briefing, LayerSpec, Style, StyleRule
from briefmap.model.features import CONFIDENCE_LEVELS, FeatureTable
from briefmap.model.layers import Layer, LayerList

EDITS_LAYER = "edits"
EDITS_FILE = "layers/edits.geojson"
EDITS_STYLE = "edits-point"
EDITS_LATER = "edits-later"
NOTES_LAYER = "edits-notes"
NOTES_FILE = "layers/notes.geojson"
NOTE_STYLE = "edits-note"
NOTE_LATER = "edits-note-later"
PROVENANCE = ("source", "as_of", "confidence")
LATER_LEGEND = "Added after the analysis"


def _after_article_rule(now: str, later: str) -> StyleRule:
    # "end": only the feature's end came after the article; it is drawn as known then.
    return StyleRule("after_article", {"": now, "end": now, "yes": later})


def edits_spec(order: int) -> LayerSpec:
    """Points, lines and areas the user drew: one layer of mixed geometry (GeoJSON holds any
    mix), one look for each kind, a second look for what became known after the article."""
    return LayerSpec(id=EDITS_LAYER, title="Edits", group="My edits", style=EDITS_STYLE, order=order,
                     file=EDITS_FILE, label="name", description="Points, lines and areas added in the editor.",
                     style_by=_after_article_rule(EDITS_STYLE, EDITS_LATER))


def notes_spec(order: int) -> LayerSpec:
    """Text notes: a text anchored at a point, drawn as the text alone (no marker, no legend entry)."""
    return LayerSpec(id=NOTES_LAYER, title="Text notes", group="My edits", style=NOTE_STYLE, order=order,
                     file=NOTES_FILE, label="name", description="Text notes added in the editor.",
                     style_by=_after_article_rule(NOTE_STYLE, NOTE_LATER), in_legend=False)


def upgraded_spec(spec: LayerSpec, fresh: LayerSpec) -> LayerSpec:
    """An editable layer saved before later developments had their own look gets the rule."""
    return spec if spec.style_by else dataclasses.replace(spec, style_by=fresh.style_by)


def edits_style() -> Style:
    return Style(id=EDITS_STYLE, color="#b2182b", edgecolor="#b2182b", hatch="//", linewidth=1.8,
                 marker="D", markersize=6.0, fontsize=8.0, fontweight="bold", legend="Added in the editor")


def later_style(latest: dt.date | None = None) -> Style:
    """What became known after the article: another hue and dashed outlines, so a reader tells
    the analysis from what was added since."""
    when = f" (as of {latest.isoformat()})" if latest else ""
    return Style(id=EDITS_LATER, color="#6a3d9a", edgecolor="#6a3d9a", hatch="\\\\", linewidth=1.8,
                 linestyle="dashed", marker="s", markersize=6.5, fontsize=8.0, fontweight="bold",
                 legend=f"{LATER_LEGEND}{when}")


def note_style(later: bool = False) -> Style:
    return Style(id=NOTE_LATER if later else NOTE_STYLE, color="#222222", marker="o", markersize=0.0,
                 fontsize=9.0, fontstyle="italic", textcolor="#6a3d9a" if later else "#333333",
                 legend="Text notes")


def editor_styles(latest_later: dt.date | None = None) -> dict[str, Style]:
    return {s.id: s for s in (edits_style(), later_style(latest_later), note_style(), note_style(later=True))}


def latest_later(tables, briefing: Briefing) -> dt.date | None:
    """The newest as_of among the edited features known only after the article."""
    dates = [d for t in tables if t is not None for p in t.properties
             if str(p.get("after_article", "")) == "yes" and (d := _date(p.get("as_of"))) is not None]
    return max(dates, default=None)


@dataclass
class FeatureDraft:
    """A point as the form edits it: names, description and the provenance every feature carries."""

    name: str = ""
    usages: dict[str, str] = field(default_factory=dict)  # naming field -> name in that usage
    description: str = ""
    source: str = ""
    as_of: dt.date | None = None
    confidence: str = "reported"
    start: dt.date | None = None
    end: dt.date | None = None

    def properties(self, briefing: Briefing) -> dict[str, Any]:
        props: dict[str, Any] = {"name": self.name.strip(), "description": self.description.strip(),
                                 "source": self.source, "as_of": _iso(self.as_of),
                                 "confidence": self.confidence, "start": _iso(self.start), "end": _iso(self.end)}
        for key, value in self.usages.items():
            props[key] = value.strip()
        # Known only after the analysis the briefing summarises: marked as such ("end": only its
        # end came later). Set every time, so an as-of moved back before the article unmarks it.
        article = briefing.article_as_of
        if any(d is not None and d > article for d in (self.as_of, self.start)):
            props["after_article"] = "yes"
        elif self.end is not None and self.end > article:
            props["after_article"] = "end"
        else:
            props["after_article"] = ""
        return props

    @classmethod
    def from_properties(cls, props: dict[str, Any], usage_fields: tuple[str, ...]) -> FeatureDraft:
        return cls(name=str(props.get("name", "")), usages={f: str(props.get(f, "")) for f in usage_fields},
                   description=str(props.get("description", "")), source=str(props.get("source", "")),
                   as_of=_date(props.get("as_of")), confidence=str(props.get("confidence") or "reported"),
                   start=_date(props.get("start")), end=_date(props.get("end")))


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def usage_fields(briefing: Briefing) -> tuple[str, ...]:
    """The name fields the briefing's naming policies show (e.g. Armenian and Azerbaijani usage)."""
    out: list[str] = []
    for policy in briefing.naming:
        out.extend(f for f in policy.fields if f not in out and f != "name")
    return tuple(out)


def draft_problems(d: FeatureDraft, briefing: Briefing, sources: set[str]) -> dict[str, str]:
    """What keeps a draft from being saved, by form field; empty when it can be saved."""
    out: dict[str, str] = {}
    if not d.name.strip():
        out["name"] = "A name is required."
    for key, value in d.usages.items():
        if not value.strip():
            out[key] = "Give the name in this usage too (the same name if both usages agree)."
    if not d.source:
        out["source"] = "Pick a source or add one: every feature says where it comes from."
    elif d.source not in sources:
        out["source"] = f"Unknown source {d.source!r}."
    if d.confidence not in CONFIDENCE_LEVELS:
        out["confidence"] = f"Confidence must be one of {', '.join(CONFIDENCE_LEVELS)}."
    lo, hi = briefing.date_min, max(briefing.date_max, dt.date.today())
    for key, value in (("as_of", d.as_of), ("start", d.start), ("end", d.end)):
        if value is not None and not lo <= value <= hi:
            out[key] = f"{value.isoformat()} is outside the briefing's range ({lo.isoformat()} to {hi.isoformat()})."
    if d.as_of is None:
        out.setdefault("as_of", "Say when this was known to be true (as of).")
    if d.start and d.end and d.end <= d.start:
        out["end"] = "Valid to must come after valid from."
    return out


def new_feature_id(table: FeatureTable | None, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "point"
    taken = set(table.ids) if table else set()
    fid, n = base, 2
    while fid in taken:
        fid, n = f"{base}-{n}", n + 1
    return fid


# --------------------------------------------------------------------------- new tables


def with_feature(table: FeatureTable, fid: str, geom: Any, props: dict[str, Any], at: int | None = None) -> FeatureTable:
    ids, geoms, rows = list(table.ids), list(table.geometries), [dict(p) for p in table.properties]
    at = len(ids) if at is None else at
    ids.insert(at, fid)
    geoms.insert(at, geom)
    rows.insert(at, dict(props))
    return FeatureTable(table.layer_id, ids, geoms, rows)


def without_feature(table: FeatureTable, fid: str) -> FeatureTable:
    i = table.index(fid)
    return FeatureTable(table.layer_id, table.ids[:i] + table.ids[i + 1:], table.geometries[:i] + table.geometries[i + 1:],
                        [dict(p) for k, p in enumerate(table.properties) if k != i])


def with_changed(table: FeatureTable, fid: str, geom: Any = None, props: dict[str, Any] | None = None) -> FeatureTable:
    i = table.index(fid)
    geoms = list(table.geometries)
    rows = [dict(p) for p in table.properties]
    if geom is not None:
        geoms[i] = geom
    if props is not None:
        rows[i] = dict(props)
    return FeatureTable(table.layer_id, list(table.ids), geoms, rows)


def replace_table(layers: LayerList, spec: LayerSpec, table: FeatureTable | None) -> None:
    """Show `table` as the layer `spec` (None: the layer leaves the map), keeping whether it
    was shown and how opaque. Listeners see one removal and one insertion."""
    old = layers.get(spec.id)
    visible, opacity = (old.visible, old.opacity) if old is not None else (True, 1.0)
    if old is not None:
        layers.remove(spec.id)
    if table is not None:
        layers.insert(Layer(spec, table, visible=visible, opacity=opacity))
