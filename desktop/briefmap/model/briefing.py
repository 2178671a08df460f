"""What a briefing is: its sources, layers, styles, panels, scenarios, events and bookmarks.

These classes are also the catalog's schema: data/schema.py reads each simple field from
the key of the same name (required when it has no default) and applies the check a
field's metadata names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from briefmap.model.naming import DEFAULT_NAMING, NamingPolicy


@dataclass(frozen=True)
class Source:
    """Where a fact comes from; features and events refer to it by id."""

    id: str
    title: str
    publisher: str = ""
    author: str = ""
    url: str = field(default="", metadata={"check": "url"})
    date: str = ""
    licence: str = ""
    note: str = ""

    def citation(self) -> str:
        parts = [p for p in (self.author, f"“{self.title}”" if self.title else "", self.publisher,
                             self.date) if p]
        return ", ".join(parts)


@dataclass(frozen=True)
class Style:
    """How a layer draws, whatever its geometry: areas use fill/edge, lines and points use
    `color`. Sizes are in points so that every export dpi gives the same layout."""

    id: str
    facecolor: str = field(default="none", metadata={"check": "colour"})
    edgecolor: str = field(default="none", metadata={"check": "colour"})
    color: str = field(default="#333333", metadata={"check": "colour"})
    linewidth: float = field(default=0.8, metadata={"check": "size"})
    linestyle: str = field(default="solid", metadata={"check": "linestyle"})
    alpha: float = field(default=1.0, metadata={"check": "opacity"})
    hatch: str = ""
    marker: str = field(default="o", metadata={"check": "marker"})
    markersize: float = field(default=5.0, metadata={"check": "size"})
    markeredgecolor: str = field(default="#ffffff", metadata={"check": "colour"})
    # The marker drawn this many points right/up of its place, the place itself unchanged:
    # two symbols that mark one place (an event and a deployment in one town) both show.
    marker_dx: float = field(default=0.0, metadata={"check": "offset"})
    marker_dy: float = field(default=0.0, metadata={"check": "offset"})
    fontsize: float = field(default=7.5, metadata={"check": "size"})
    fontweight: str = "normal"
    fontstyle: str = "normal"
    textcolor: str = field(default="#222222", metadata={"check": "colour"})
    halo: bool = True
    arrow: bool = False
    legend: str = ""


@dataclass(frozen=True)
class StyleRule:
    """Chooses a style per feature from one of its properties."""

    field: str
    styles: dict[str, str]


@dataclass(frozen=True)
class LayerSpec:
    id: str
    title: str
    group: str
    style: str
    order: int
    visible: bool = True
    legend: str = ""
    description: str = ""
    file: str = ""
    table: str = ""
    base: str = ""
    label: str = ""
    label_min_rank: int = 0
    style_by: StyleRule | None = None
    historical: bool = False
    schematic: bool = False
    after_article: bool = False
    sources: tuple[str, ...] = ()
    in_legend: bool = True
    user_file: str = ""  # a layer the user added: the file it was read from (stored with an exported view)


@dataclass(frozen=True)
class Panel:
    id: str
    title: str
    file: str
    text: str = ""


@dataclass(frozen=True)
class Annotation:
    text: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    panel: str
    layers: tuple[str, ...]
    highlight: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    key_points: tuple[str, ...] = ()
    bookmark: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Event:
    id: str
    date: dt.date
    title: str
    text: str
    source: str
    precision: str = field(default="day", metadata={"check": "precision"})
    features: tuple[str, ...] = ()
    after_article: bool = False
    # How sure the briefing is of the event (model.features.CONFIDENCE_LEVELS); empty: not said.
    confidence: str = field(default="", metadata={"check": "confidence"})


@dataclass(frozen=True)
class Bookmark:
    id: str
    title: str
    bounds: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


@dataclass
class Briefing:
    """A whole briefing as loaded from its folder."""

    id: str
    title: str
    version: str
    subtitle: str
    root: Path
    article_title: str
    article_author: str
    article_outlet: str
    article_year: str
    article_as_of: dt.date
    default_scenario: str
    default_bookmark: str
    date_min: dt.date
    date_max: dt.date
    sources: dict[str, Source] = field(default_factory=dict)
    styles: dict[str, Style] = field(default_factory=dict)
    layers: list[LayerSpec] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    # The map's projection (a PROJ string) and the briefing's own base map (a file in its
    # folder; empty for the base map that ships with briefmap).
    crs: str = ""
    base_map: str = ""
    naming: tuple[NamingPolicy, ...] = DEFAULT_NAMING

    def layer(self, layer_id: str) -> LayerSpec:
        return _by_id(self.layers, layer_id)

    def scenario(self, scenario_id: str) -> Scenario:
        return _by_id(self.scenarios, scenario_id)

    def bookmark(self, bookmark_id: str) -> Bookmark:
        return _by_id(self.bookmarks, bookmark_id)

    def panel(self, panel_id: str) -> Panel:
        return _by_id(self.panels, panel_id)

    @property
    def layer_ids(self) -> list[str]:
        return [spec.id for spec in self.layers]

    def credit(self) -> str:
        if not self.article_title:
            return ""
        return (f"{self.article_author}, “{self.article_title}”, "
                f"{self.article_outlet}, {self.article_year}")


def _by_id(items, item_id: str):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
