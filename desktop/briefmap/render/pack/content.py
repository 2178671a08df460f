"""What a briefing pack holds, whatever its format: the scenarios' views, the as-of date,
the panels as blocks, the sources and the dated events, in the order a reader meets them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from briefmap.model.briefing import Briefing, Event, Source
from briefmap.model.features import FeatureTable
from briefmap.model.naming import policy_for
from briefmap.model.panel_text import print_text
from briefmap.model.view import ViewState
from briefmap.render.pack.markdown import Block, Notes, Run, parse

NON_ENDORSEMENT = "Boundaries are de facto and imply no endorsement."

Progress = Callable[[int, int, str], None]


class PackCancelled(Exception):
    """The user stopped the pack; nothing was written."""


@dataclass(frozen=True)
class PackRequest:
    """One pack: the briefing, one view per chosen scenario (in the reader's order), the
    sheet preset and the date the whole pack speaks as of."""

    briefing: Briefing
    tables: dict[str, FeatureTable]
    states: tuple[ViewState, ...]
    preset: str
    as_of: dt.date
    names: str = "both"

    @property
    def naming(self) -> str:
        return policy_for(self.briefing.naming, self.names).title

    def scenario(self, state: ViewState):
        return self.briefing.scenario(state.scenario)


class Steps:
    """Reports progress and honours a cancel between steps (a page, a slide, a frame)."""

    def __init__(self, total: int, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None):
        self.total, self.done = total, 0
        self._progress, self._cancelled = progress, cancelled

    def step(self, label: str) -> None:
        if self._cancelled is not None and self._cancelled():
            raise PackCancelled("cancelled")
        if self._progress is not None:
            self._progress(self.done, self.total, label)
        self.done += 1

    def finish(self, label: str = "done") -> None:
        if self._cancelled is not None and self._cancelled():
            raise PackCancelled("cancelled")
        if self._progress is not None:
            self._progress(self.total, self.total, label)


def note_for_source(briefing: Briefing) -> Callable[[str], str | None]:
    """How a cited source reads in a footnote: its citation and its address."""

    def cite(source_id: str) -> str | None:
        src = briefing.sources.get(source_id)
        if src is None:
            return None
        return ", ".join(p for p in (src.citation(), src.url) if p)

    return cite


def panel_blocks(briefing: Briefing, panel_id: str, notes: Notes) -> list[Block]:
    """A panel's blocks, headed by its title where its text does not start with a heading."""
    panel = briefing.panel(panel_id)
    blocks = parse(print_text(panel.text), notes)  # window-only words left out
    if not blocks or blocks[0].kind != "heading":
        blocks.insert(0, Block("heading", [Run(panel.title)], level=1))
    return blocks


# An address written into the publisher's field: "Outlet (outlet.tld/path)", or a site and
# its item number as a fact sheet cites it, "TASS (tass.com 1776731)".
_ADDRESS = re.compile(r"\s*\(((?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s()]*| \d+)?)\)", re.IGNORECASE)


def source_fields(src: Source) -> list[tuple[str, str]]:
    """What a reader needs to find a source again. A source's own URL is printed as "URL"; an
    address its publisher names ("Armenpress (armenpress.am/…)") as "Address" (unless the URL
    holds it); a source with neither gets no address line (none is ever made up)."""
    found = [a for a in _ADDRESS.findall(src.publisher) if a not in src.url]
    publisher = _ADDRESS.sub("", src.publisher).strip() if _ADDRESS.search(src.publisher) else src.publisher
    fields = [("Publisher", publisher or src.author or "not given"), ("Date", src.date or "not given")]
    if src.url:
        fields.append(("URL", src.url))
    if found:
        fields.append(("Address", "; ".join(found)))
    return [*fields, ("Licence", src.licence or "not stated")]


def source_blocks(briefing: Briefing) -> list[Block]:
    blocks = [Block("heading", [Run("Sources")], level=1),
              Block("para", [Run("Every source the briefing cites, with its publisher, date, address (where given) and licence. "
                                 f"Map data: {NON_ENDORSEMENT}")], style="small")]
    for src in briefing.sources.values():
        title = src.title or src.id
        if src.author:
            title = f"{src.author}, {title}"
        blocks.append(Block("para", [Run(title, bold=True)], style="entry"))
        fields = "  ·  ".join(f"{k}: {v}" for k, v in source_fields(src))
        blocks.append(Block("para", [Run(fields)], style="small" if not src.note else "tight"))
        if src.note:
            blocks.append(Block("para", [Run(src.note, italic=True)], style="small"))
    return blocks


def events_in_order(briefing: Briefing) -> list[Event]:
    return sorted(briefing.events, key=lambda e: (e.date, e.id))


def event_date(event: Event) -> str:
    """A date as precise as the source allows: 19 Sep 2023, Feb 2022 or 2022."""
    if event.precision == "year":
        return f"{event.date.year}"
    if event.precision == "month":
        return event.date.strftime("%b %Y")
    return f"{event.date.day} {event.date.strftime('%b %Y')}"


def is_later(event: Event, as_of: dt.date) -> bool:
    return event.date > as_of


def long_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"
