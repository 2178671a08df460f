"""What the user is looking at: the state that the window, the export and a PNG share."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

from briefmap.model.events import Emitter


@dataclass(frozen=True)
class ViewState:
    """Everything needed to draw the same map again.

    `extent` is in the map's projected CRS (x0, y0, x1, y1), or None for the bookmark's or
    the briefing's default view.
    """

    briefing_id: str
    briefing_version: str
    visible: tuple[str, ...]
    scenario: str
    date: dt.date | None = None
    names: str = "both"
    extent: tuple[float, float, float, float] | None = None
    opacity: dict[str, float] = field(default_factory=dict)
    panel: str = ""

    def with_(self, **changes: Any) -> ViewState:
        return replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps({
            "format": "briefmap-view/1",
            "briefing_id": self.briefing_id,
            "briefing_version": self.briefing_version,
            "visible": list(self.visible),
            "scenario": self.scenario,
            "date": self.date.isoformat() if self.date else None,
            "names": self.names,
            "extent": list(self.extent) if self.extent else None,
            "opacity": {k: round(v, 3) for k, v in sorted(self.opacity.items())},
            "panel": self.panel,
        }, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ViewState:
        """Parse a stored state; raises ValueError naming the field that is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"the stored view is not JSON ({exc.msg} at character {exc.pos})") from None
        if not isinstance(data, dict) or data.get("format") != "briefmap-view/1":
            raise ValueError("the stored view is not a briefmap view (format briefmap-view/1)")

        def need(key: str, kind: type | tuple[type, ...]) -> Any:
            value = data.get(key)
            if not isinstance(value, kind):
                raise ValueError(f"the stored view's field '{key}' is missing or of the wrong type")
            return value

        visible = need("visible", list)
        if not all(isinstance(v, str) for v in visible):
            raise ValueError("the stored view's field 'visible' must list layer ids")
        date_text = data.get("date")
        try:
            date = dt.date.fromisoformat(date_text) if date_text else None
        except (TypeError, ValueError):
            raise ValueError(f"the stored view's field 'date' is not a date: {date_text!r}") from None
        extent = data.get("extent")
        if extent is not None:
            if not (isinstance(extent, list) and len(extent) == 4
                    and all(isinstance(v, int | float) for v in extent)):
                raise ValueError("the stored view's field 'extent' must be four numbers")
            extent = tuple(float(v) for v in extent)
        opacity = data.get("opacity") or {}
        if not isinstance(opacity, dict) or not all(
                isinstance(k, str) and isinstance(v, int | float) for k, v in opacity.items()):
            raise ValueError("the stored view's field 'opacity' must map layer ids to numbers")
        return cls(
            briefing_id=need("briefing_id", str),
            briefing_version=need("briefing_version", str),
            visible=tuple(visible),
            scenario=need("scenario", str),
            date=date,
            names=need("names", str),
            extent=extent,
            opacity={k: float(v) for k, v in opacity.items()},
            panel=str(data.get("panel") or ""),
        )


def scenario_state(briefing: Any, scenario_id: str | None = None) -> ViewState:
    """The view a scenario opens with: its layers, its date (if any), the briefing's first
    naming policy."""
    sid = scenario_id or briefing.default_scenario or briefing.scenarios[0].id
    scenario = briefing.scenario(sid)
    return ViewState(
        briefing_id=briefing.id,
        briefing_version=briefing.version,
        visible=tuple(lid for lid in briefing.layer_ids if lid in scenario.layers),
        scenario=sid,
        date=scenario.date,
        names=briefing.naming[0].id if getattr(briefing, "naming", None) else "default",
        panel=scenario.panel,
    )


class ViewStore:
    """The view's settings other than layers: scenario, as-of date, naming policy, the
    selected feature ('layer/id' or '') and the open panel.

    `changed(fields)` names the fields that an `update` really changed; nothing is emitted
    when a value is set to what it already was.
    """

    FIELDS = ("scenario", "date", "names", "selected", "panel")

    def __init__(self, scenario: str = "", date: dt.date | None = None, names: str = "both",
                 selected: str = "", panel: str = ""):
        self.scenario = scenario
        self.date = date
        self.names = names
        self.selected = selected
        self.panel = panel
        self.changed = Emitter()

    def update(self, **changes: Any) -> frozenset[str]:
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"the view has no field(s) {', '.join(sorted(unknown))}")
        done = frozenset(k for k, v in changes.items() if getattr(self, k) != v)
        for k in done:
            setattr(self, k, changes[k])
        if done:
            self.changed.emit(done)
        return done


def check_view(briefing: Any, view: ViewState, known_layers: list[str] | None = None) -> list[str]:
    """What stops a stored view from being shown with this briefing (the command line's
    --from and the window's Restore view share these checks). Layers the briefing does not
    know are listed too; the window may drop them instead, the command line refuses."""
    problems = []
    if view.briefing_id != briefing.id:
        problems.append(f"made with the briefing {view.briefing_id!r}, not {briefing.id!r}; open that briefing first")
    if view.scenario not in {s.id for s in briefing.scenarios}:
        problems.append(f"unknown scenario {view.scenario!r} in the stored view")
    policies = [p.id for p in briefing.naming]
    if view.names not in policies:
        problems.append(f"unknown naming policy {view.names!r} in the stored view (expected one of {', '.join(policies)})")
    if view.date is not None and not briefing.date_min <= view.date <= briefing.date_max:
        problems.append(f"date {view.date} is outside the briefing's timeline ({briefing.date_min} to {briefing.date_max})")
    known = set(known_layers if known_layers is not None else briefing.layer_ids)
    unknown = [lid for lid in view.visible if lid not in known]
    if unknown:
        problems.append(f"unknown layer(s) {', '.join(unknown)} in the stored view")
    return problems


def view_bounds(briefing: Any, state: ViewState) -> tuple[float, float, float, float]:
    """Where a view without its own extent looks (lon/lat bounds): its scenario's bookmark,
    else the briefing's default bookmark."""
    scenario = next((s for s in briefing.scenarios if s.id == state.scenario), None)
    bookmark = (scenario.bookmark if scenario and scenario.bookmark else "") or briefing.default_bookmark
    return briefing.bookmark(bookmark).bounds
