"""What the content editors change, without Qt: timeline events, bookmarks, panel texts and
scenarios, with the checks a form shows beside its fields.

Every change makes a new list (the briefing's lists are never edited item by item), so an
undo puts the old list back and a view that holds the briefing sees one consistent state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefmap.model.briefing import Bookmark, Briefing, Event, Panel, Scenario, Source
from briefmap.model.features import CONFIDENCE_LEVELS, FeatureTable

PRECISIONS = ("day", "month", "year")
LINK_KINDS = ("feature", "event", "panel")


def new_id(text: str, taken: Iterable[str], fallback: str = "item") -> str:
    """A readable id from `text` ('Peace treaty text agreed' -> 'peace-treaty-text-agreed'),
    unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or fallback
    used = set(taken)
    out, n = base, 2
    while out in used:
        out, n = f"{base}-{n}", n + 1
    return out


def parse_iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def make_source(title: str, publisher: str, url: str, date: str,
                taken: Iterable[str]) -> tuple[Source | None, str]:
    """A new source from what the user typed, or None and what is wrong with it."""
    title, url, date = title.strip(), url.strip(), date.strip()
    if not title:
        return None, "A new source needs a title."
    if url and not re.match(r"^https?://\S+$", url):
        return None, "The URL must start with http:// or https://."
    if date and parse_iso(date) is None:
        return None, "The date must read YYYY-MM-DD."
    return Source(new_id(title, taken, "source"), title, publisher=publisher.strip(), url=url, date=date), ""


# --------------------------------------------------------------------------- events


@dataclass
class EventDraft:
    """A timeline event as its form edits it."""

    title: str = ""
    date_text: str = ""  # YYYY-MM-DD, as typed
    text: str = ""
    source: str = ""
    # As a new feature's form: a user's new event is "reported" until they say it is confirmed.
    confidence: str = "reported"
    precision: str = "day"
    features: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date | None:
        return parse_iso(self.date_text)

    def event(self, event_id: str, briefing: Briefing) -> Event:
        date = self.date
        if date is None:
            raise ValueError(f"not a date: {self.date_text!r}")
        return Event(id=event_id, date=date, title=self.title.strip(), text=self.text.strip(), source=self.source,
                     precision=self.precision, features=tuple(self.features),
                     after_article=is_later_development(date, briefing), confidence=self.confidence)

    @classmethod
    def from_event(cls, e: Event) -> EventDraft:
        return cls(title=e.title, date_text=e.date.isoformat(), text=e.text, source=e.source,
                   confidence=e.confidence, precision=e.precision, features=tuple(e.features))


def is_later_development(date: dt.date, briefing: Briefing) -> bool:
    """An event after the article the briefing summarises is a later development: the
    timeline marks it, and validation requires the mark (data/citations.py)."""
    return date > briefing.article_as_of


def event_problems(d: EventDraft, briefing: Briefing, sources: set[str]) -> dict[str, str]:
    """What keeps an event from being saved, by form field; empty when it can be."""
    out: dict[str, str] = {}
    if not d.title.strip():
        out["title"] = "A title is required."
    date = d.date
    if date is None:
        out["date"] = "The date must read YYYY-MM-DD (e.g. 2025-03-13)."
    elif not briefing.date_min <= date <= briefing.date_max:
        out["date"] = (f"{date.isoformat()} is outside the briefing's timeline "
                       f"({briefing.date_min.isoformat()} to {briefing.date_max.isoformat()}).")
    if not d.source:
        out["source"] = "Pick a source or add one: every event says where it comes from."
    elif d.source not in sources:
        out["source"] = f"Unknown source {d.source!r}."
    if d.confidence and d.confidence not in CONFIDENCE_LEVELS:  # empty: an older event that does not say
        out["confidence"] = f"Confidence must be one of {', '.join(CONFIDENCE_LEVELS)}."
    if d.precision not in PRECISIONS:
        out["precision"] = f"Precision must be one of {', '.join(PRECISIONS)}."
    return out


def sorted_events(events: Iterable[Event]) -> list[Event]:
    """In timeline order, as the catalog reader sorts them."""
    return sorted(events, key=lambda e: (e.date, e.id))


def with_event(events: list[Event], event: Event, replacing: str = "") -> list[Event]:
    """The events with `event` added, or put in place of the event `replacing`."""
    return sorted_events([e for e in events if e.id != (replacing or event.id)] + [event])


def without_event(events: list[Event], event_id: str) -> list[Event]:
    return [e for e in events if e.id != event_id]


def event_links(briefing: Briefing, event_id: str) -> list[str]:
    """The panels whose text links to the event (deleting it would break their links)."""
    return [p.title for p in briefing.panels if f"(event:{event_id})" in p.text]


# --------------------------------------------------------------------------- bookmarks


def renamed_bookmark(bookmarks: list[Bookmark], bookmark_id: str, title: str) -> list[Bookmark]:
    return [dataclasses.replace(m, title=title.strip()) if m.id == bookmark_id else m for m in bookmarks]


def without_bookmark(bookmarks: list[Bookmark], bookmark_id: str) -> list[Bookmark]:
    return [m for m in bookmarks if m.id != bookmark_id]


def bookmark_in_use(briefing: Briefing, bookmark_id: str) -> str:
    """Why a bookmark cannot be deleted ('' when it can)."""
    if briefing.default_bookmark == bookmark_id:
        return "it is the briefing's default view"
    users = [s.title for s in briefing.scenarios if s.bookmark == bookmark_id]
    if users:
        return "scenario " + ", ".join(f"“{t}”" for t in users) + " opens on it"
    return ""


# --------------------------------------------------------------------------- panels and links


def with_panel_text(panels: list[Panel], panel_id: str, text: str) -> list[Panel]:
    return [dataclasses.replace(p, text=text) if p.id == panel_id else p for p in panels]


@dataclass(frozen=True)
class LinkChoice:
    kind: str  # feature, event or panel
    target: str  # layer/id, event id or panel id
    label: str  # what the picker shows and the link's text

    @property
    def markdown(self) -> str:
        text = re.sub(r"([\\\[\]])", r"\\\1", self.label)
        return f"[{text}]({self.kind}:{self.target})"


def link_choices(briefing: Briefing, tables: dict[str, FeatureTable], kind: str) -> list[LinkChoice]:
    """What a panel may link to: the briefing's own features (not the base map's), its
    events and its panels."""
    if kind == "event":
        return [LinkChoice("event", e.id, e.title) for e in briefing.events]
    if kind == "panel":
        return [LinkChoice("panel", p.id, p.title) for p in briefing.panels]
    out = []
    for spec in briefing.layers:
        table = tables.get(spec.id)
        if spec.base or table is None or spec.id.startswith("user-"):
            continue
        for fid, props in zip(table.ids, table.properties, strict=True):
            name = str(props.get("name") or props.get(spec.label) or fid) if spec.label else str(props.get("name") or fid)
            out.append(LinkChoice("feature", f"{spec.id}/{fid}", name))
    return out


# --------------------------------------------------------------------------- scenarios


def with_scenario(scenarios: list[Scenario], scenario: Scenario) -> list[Scenario]:
    return [scenario if s.id == scenario.id else s for s in scenarios]


def edited_scenario(s: Scenario, layers: Iterable[str], highlight: Iterable[str], key_points: str) -> Scenario:
    """A scenario with the layers, highlights and key points (one a line) the user chose."""
    points = tuple(line.strip() for line in key_points.splitlines() if line.strip())
    return dataclasses.replace(s, layers=tuple(layers), highlight=tuple(highlight), key_points=points)
