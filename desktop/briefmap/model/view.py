"""What the user is looking at: the state that the window, the export and a PNG share."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any


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
    """The view a scenario opens with: its layers, no date filter, both names."""
    sid = scenario_id or briefing.default_scenario or briefing.scenarios[0].id
    scenario = briefing.scenario(sid)
    return ViewState(
        briefing_id=briefing.id,
        briefing_version=briefing.version,
        visible=tuple(lid for lid in briefing.layer_ids if lid in scenario.layers),
        scenario=sid,
        date=scenario.date,
        names="both",
        panel=scenario.panel,
    )
