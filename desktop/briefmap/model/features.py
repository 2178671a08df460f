"""A layer's features: ids, projected geometry and properties, with their dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

CONFIDENCE_LEVELS = ("confirmed", "reported", "approximate", "unconfirmed")


def parse_date(value: Any) -> dt.date | None:
    """A property date ('YYYY-MM-DD'), or None where the property is empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass
class FeatureTable:
    """The features of one layer. Geometry is in the map's projected CRS (metres)."""

    layer_id: str
    ids: list[str]
    geometries: list[Any]  # shapely geometries
    properties: list[dict[str, Any]]
    starts: list[dt.date | None] = field(default_factory=list)
    ends: list[dt.date | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.starts:
            self.starts = [parse_date(p.get("start")) for p in self.properties]
        if not self.ends:
            self.ends = [parse_date(p.get("end")) for p in self.properties]

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, feature_id: str) -> int:
        return self.ids.index(feature_id)

    @property
    def dated(self) -> bool:
        # list.count runs in C: a million-feature layer is asked this on every view change.
        n = len(self.ids)
        return self.starts.count(None) != n or self.ends.count(None) != n

    def shown_on(self, date: dt.date | None) -> list[bool]:
        """Which features exist on `date` (all of them when no date is chosen)."""
        if date is None:
            return [True] * len(self.ids)
        return [(s is None or s <= date) and (e is None or date < e)
                for s, e in zip(self.starts, self.ends, strict=True)]


def style_value(spec: Any, feature_id: str, props: dict[str, Any]) -> str:
    """The value a layer's style rule looks at for one feature ('id' means the feature id)."""
    field_name = spec.style_by.field
    return feature_id if field_name == "id" else str(props.get(field_name, "") or "")
