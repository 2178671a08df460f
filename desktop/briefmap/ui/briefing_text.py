"""How the window words a briefing's dates and sources: one date style, the Sources tab,
and the citation links of the panels (`[[Label]](source:ID)`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from briefmap.model.briefing import Briefing, Event

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CITATION_SCHEME = "source:"


def human_date(date: dt.date | str, precision: str = "day") -> str:
    """'19 Sep 2023', 'Sep 2023' or '2023': the same style everywhere, whatever the locale."""
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            return date
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def event_line(event: Event) -> str:
    """An event as the Timeline tab lists it."""
    later = "  (after the article)" if event.after_article else ""
    return f"{human_date(event.date, event.precision)} — {event.title}{later}"


def source_marker(source_id: str) -> str:
    """The id tag each entry of the Sources tab ends with; citations find their source by it."""
    return f"[{source_id}]"


def _plain(text: str) -> str:
    """Catalog text shown inside Markdown: characters that would start markup are escaped."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)


def sources_markdown(briefing: Briefing) -> str:
    """The Sources tab: the analysis credited first, then every source with its id and
    address (a link the user opens after confirming)."""
    lines = [f"# Sources\n\n**Analysis:** {_plain(briefing.credit())}. Summarised in our own words.\n"]
    for s in briefing.sources.values():
        bits = [f"**{_plain(s.title)}**"]
        bits += [_plain(v) for v in (s.author, s.publisher, human_date(s.date) if s.date else "") if v]
        if s.licence:
            bits.append(f"licence: {_plain(s.licence)}")
        line = " — ".join(bits)
        if s.note:
            line += f". *{_plain(s.note)}*"
        if s.url:
            line += f" <{s.url}>" if " " not in s.url and ">" not in s.url else ""
        lines.append(f"- {line} `{source_marker(s.id)}`")
    return "\n".join(lines)


def scroll_to_top(browser: QTextBrowser) -> None:
    browser.moveCursor(QTextCursor.MoveOperation.Start)
    browser.verticalScrollBar().setValue(0)


def reveal_source(browser: QTextBrowser, source_id: str) -> bool:
    """Scroll the Sources tab so that the source's entry is at the top, and select its id."""
    cursor = browser.document().find(source_marker(source_id))
    if cursor.isNull():
        return False
    block = cursor.block()
    top = browser.document().documentLayout().blockBoundingRect(block).top()
    browser.setTextCursor(cursor)
    browser.verticalScrollBar().setValue(int(top))
    return True


def style_citations(document: QTextDocument) -> None:
    """Citation links drawn smaller than the text around them, so they read as references."""
    block = document.begin()
    spans = []
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().anchorHref().startswith(CITATION_SCHEME):
                spans.append((frag.position(), frag.length(), frag.charFormat()))
            it += 1
        block = block.next()
    for start, length, fmt in spans:
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        size = fmt.fontPointSize() or document.defaultFont().pointSizeF()
        smaller = fmt
        smaller.setFontPointSize(max(6.0, size * 0.82))
        cursor.mergeCharFormat(smaller)
