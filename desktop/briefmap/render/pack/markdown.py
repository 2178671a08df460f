"""A panel's Markdown as blocks of styled runs, for typesetting on a page or as plain notes.

Parsed with markdown-it-py (CommonMark, raw HTML off). Nothing in the text is ever taken as
markup for the renderer: runs are plain strings, drawn without mathtext. Links into the
app (`feature:`, `event:`) keep their words only, a `panel:` link says the panel's page
where the document has pages; web links and citations of a
source (`[^source-id]` or a `source:id` link) get a numbered note, shared across the
document so one address keeps one number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

APP_SCHEMES = ("feature:", "panel:", "event:")
CITATION = re.compile(r"\[\^([A-Za-z0-9_.:-]+)\]")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style. `note` is the number of the note it marks."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    note: int = 0


@dataclass
class Block:
    """One typeset unit: a heading (level 1-3), a paragraph, a list item, a table or a rule.

    `indent` counts list and quote levels; `marker` is the bullet or number of an item;
    `quote` is how many block quotes hold it.
    """

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    indent: int = 0
    marker: str = ""
    quote: int = 0
    rows: list[list[list[Run]]] = field(default_factory=list)  # a table's cells; the first row heads it
    style: str = ""  # a named text style of the typesetter, for blocks made in code

    @property
    def plain(self) -> str:
        return "".join(r.text for r in self.runs)


class Notes:
    """Numbered notes for a whole document: web addresses and cited sources."""

    def __init__(self, cite: Callable[[str], str | None] | None = None, panel_pages: dict[str, int] | None = None):
        self._numbers: dict[str, int] = {}
        self.texts: list[str] = []
        self._cite = cite or (lambda _sid: None)
        # Where each panel starts in a printed document: a `panel:` link there says its page.
        self.panel_pages = panel_pages or {}

    def number(self, key: str, text: str) -> int:
        if key not in self._numbers:
            self.texts.append(text)
            self._numbers[key] = len(self.texts)
        return self._numbers[key]

    def url(self, href: str) -> int:
        return self.number(f"url:{href}", href)

    def source(self, source_id: str) -> int | None:
        text = self._cite(source_id)
        return None if text is None else self.number(f"source:{source_id}", text)

    def text(self, number: int) -> str:
        return self.texts[number - 1]


_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple:
    """The text's token stream, read (never changed) by `parse`: a handout parses its panels
    again each time it lays them out, until their page references stand still."""
    return tuple(_PARSER.parse(text))


def parse(text: str, notes: Notes) -> list[Block]:
    """The blocks of a Markdown text, in reading order."""
    blocks: list[Block] = []
    lists: list[list] = []  # per open list: [ordered, next number]
    quote = 0
    item_marker = ""
    heading = 0
    table: Block | None = None
    in_cell = False
    for tok in _tokens(text):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append([t == "ordered_list_open", int(tok.attrs.get("start", 1) or 1)])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            ordered, n = lists[-1]
            item_marker = f"{n}." if ordered else ("•" if len(lists) % 2 else "–")
            lists[-1][1] = n + 1
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "heading_open":
            heading = min(3, int(tok.tag[1:]))
        elif t == "heading_close":
            heading = 0
        elif t == "hr":
            blocks.append(Block("rule", indent=len(lists), quote=quote))
        elif t in ("fence", "code_block"):
            for line in tok.content.rstrip("\n").split("\n"):
                blocks.append(Block("code", [Run(line or " ", mono=True)], indent=len(lists), quote=quote))
        elif t == "table_open":
            table = Block("table", indent=len(lists), quote=quote)
        elif t == "table_close" and table is not None:
            blocks.append(table)
            table = None
        elif t == "tr_open" and table is not None:
            table.rows.append([])
        elif t in ("th_open", "td_open"):
            in_cell = True
        elif t in ("th_close", "td_close"):
            in_cell = False
        elif t == "inline":
            runs = _inline(tok.children or [], notes)
            if in_cell and table is not None:
                table.rows[-1].append(runs)
            elif runs:
                kind = "heading" if heading else "para"
                blocks.append(Block(kind, runs, level=heading, indent=len(lists), quote=quote,
                                    marker=item_marker))
                item_marker = ""
    return blocks


def _inline(children, notes: Notes) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    link: list[str] = []
    for c in children:
        t = c.type
        if t == "strong_open":
            bold = True
        elif t == "strong_close":
            bold = False
        elif t == "em_open":
            italic = True
        elif t == "em_close":
            italic = False
        elif t == "link_open":
            link.append(str(c.attrs.get("href", "")))
        elif t == "link_close":
            href = link.pop() if link else ""
            if href.startswith("panel:") and (page := notes.panel_pages.get(href[len("panel:"):])):
                runs.append(Run(f" (page {page})", bold=bold, italic=italic))
            number = _link_note(href, notes)
            if number:
                runs.append(Run(str(number), note=number))
        elif t == "text":
            runs.extend(_text_runs(c.content, bold, italic, notes))
        elif t == "code_inline":
            runs.append(Run(c.content, bold=bold, italic=italic, mono=True))
        elif t in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold=bold, italic=italic))
        elif t == "image":
            # Images are never fetched; their description stands in for them.
            alt = "".join(ch.content for ch in (c.children or []))
            runs.append(Run(f"[image: {alt}]" if alt else "[image]", italic=True))
    return [r for r in runs if r.text]


def _link_note(href: str, notes: Notes) -> int | None:
    if href.startswith(APP_SCHEMES) or not href:
        return None
    if href.startswith("source:"):
        return notes.source(href[len("source:"):])
    if href.startswith(("http://", "https://", "mailto:")):
        return notes.url(href)
    return None


def _text_runs(text: str, bold: bool, italic: bool, notes: Notes) -> list[Run]:
    """Plain text, with `[^source-id]` citations turned into note marks."""
    out: list[Run] = []
    pos = 0
    for m in CITATION.finditer(text):
        number = notes.source(m.group(1))
        if number is None:
            continue
        # A mark sits on the word it follows, as a footnote number does.
        out.append(Run(text[pos:m.start()].rstrip(" "), bold=bold, italic=italic))
        out.append(Run(str(number), note=number))
        pos = m.end()
    out.append(Run(text[pos:], bold=bold, italic=italic))
    return out


def plain_text(blocks: list[Block], notes: Notes) -> str:
    """The blocks as plain text (a slide's speaker notes): bullets kept, notes as [n] with
    the note's text listed at the end."""
    lines: list[str] = []
    used: list[int] = []
    for b in blocks:
        text = "".join(f"[{r.note}]" if r.note else r.text for r in b.runs)
        used += [r.note for r in b.runs if r.note and r.note not in used]
        if b.kind == "rule":
            text = "—"
        elif b.kind == "table":
            text = "\n".join(" · ".join("".join(r.text for r in cell) for cell in row) for row in b.rows)
        pad = "  " * max(0, b.indent - 1)
        if b.marker:
            text = f"{pad}{b.marker} {text}"
        elif b.indent:
            text = f"{pad}  {text}"
        if b.quote:
            text = "> " + text
        if b.kind == "heading" and lines:
            lines.append("")
        lines.append(text)
    if used:
        lines += [""] + [f"[{n}] {notes.text(n)}" for n in used]
    return "\n".join(lines)
