"""Blocks of styled text laid out on pages: line breaking, headings kept with what follows,
list and quote indents, and footnotes at the foot of the page that cites them.

Widths come from the fonts themselves (unhinted, as the PDF draws them), so mixed bold,
italic and plain words sit where the PDF puts them. Positions are in inches from the
page's bottom-left corner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from briefmap.render.pack.fonts import text_width
from briefmap.render.pack.markdown import Block, Notes, Run

INK, MUTED, LINK = "#1a1a1a", "#555555", "#1f4e79"
BODY = 10.0
LEADING = 1.38
NOTE_SIZE = 7.5
INDENT = 16 / 72
QUOTE_INDENT = 14 / 72


@dataclass(frozen=True)
class TextStyle:
    size: float
    bold: bool = False
    before: float = 0.0  # points of space above
    after: float = 6.0  # points of space below
    color: str = INK
    keep: bool = False  # never last on a page: kept with two lines of what follows


STYLES = {
    ("heading", 0): TextStyle(24, True, 0, 10, keep=True),
    ("heading", 1): TextStyle(17, True, 14, 6, keep=True),
    ("heading", 2): TextStyle(12.5, True, 12, 4, keep=True),
    ("heading", 3): TextStyle(10.5, True, 8, 3, keep=True),
    ("para", 0): TextStyle(BODY),
    ("code", 0): TextStyle(8.5, after=0),
    ("rule", 0): TextStyle(BODY, before=2, after=8),
}
NAMED = {
    "subtitle": TextStyle(13, after=10, color="#333333"),
    "entry": TextStyle(9.5, True, before=4, after=1, keep=True),
    "tight": TextStyle(8.5, after=1, color=MUTED),
    "small": TextStyle(8.5, after=6, color=MUTED),
    "lead": TextStyle(11.5, after=6),
}


@dataclass(frozen=True)
class TextOp:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    italic: bool = False
    mono: bool = False
    color: str = INK


@dataclass(frozen=True)
class RuleOp:
    x0: float
    y0: float
    x1: float
    y1: float
    color: str = "#999999"
    width: float = 0.6


@dataclass
class Page:
    ops: list = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


@dataclass
class _Piece:
    text: str
    run: Run
    size: float
    space: bool = False  # a space follows

    @property
    def width(self) -> float:
        r = self.run
        return text_width(self.text, self.size, r.bold, r.italic, r.mono)


def _words(runs: list[Run], size: float) -> list[list[_Piece]]:
    """Runs cut into words; a word may hold pieces of several styles (no space between)."""
    words: list[list[_Piece]] = [[]]
    for run in runs:
        psize = size * 0.68 if run.note else size
        for tok in re.findall(r"\s+|\S+", run.text):
            if tok.isspace():
                if words[-1]:
                    words[-1][-1].space = True
                    words.append([])
            else:
                words[-1].append(_Piece(tok, run, psize))
    return [w for w in words if w]


def _split_long(word: list[_Piece], avail: float) -> list[list[_Piece]]:
    """A word wider than the line (a long address) broken between characters."""
    out: list[list[_Piece]] = []
    for piece in word:
        text = piece.text
        while text:
            n = len(text)
            while n > 1 and text_width(text[:n], piece.size, piece.run.bold, piece.run.italic, piece.run.mono) > avail:
                n -= 1
            out.append([_Piece(text[:n], piece.run, piece.size, piece.space and n == len(text))])
            text = text[n:]
    return out


def break_lines(runs: list[Run], size: float, width: float) -> list[list[_Piece]]:
    lines: list[list[_Piece]] = []
    line: list[_Piece] = []
    used = 0.0
    for word in _words(runs, size):
        w = sum(p.width for p in word)
        parts = _split_long(word, width) if w > width else [word]
        for part in parts:
            pw = sum(p.width for p in part)
            gap = _space(line[-1]) if line and line[-1].space else 0.0
            if line and used + gap + pw > width:
                lines.append(line)
                line, used, gap = [], 0.0, 0.0
            line.extend(part)
            used += gap + pw
    if line:
        lines.append(line)
    return lines


def _space(piece: _Piece) -> float:
    return text_width(" ", piece.size, piece.run.bold, piece.run.italic, piece.run.mono)


def line_ops(line: list[_Piece], x: float, baseline: float, color: str) -> list[TextOp]:
    """One text per stretch of the same style: fewer objects, and the PDF's words stay whole."""
    ops: list[TextOp] = []
    i = 0
    while i < len(line):
        r = line[i].run
        j = i
        text = ""
        while j < len(line) and line[j].run.bold == r.bold and line[j].run.italic == r.italic \
                and line[j].run.mono == r.mono and bool(line[j].run.note) == bool(r.note):
            text += line[j].text + (" " if line[j].space and j + 1 < len(line) else "")
            j += 1
        size = line[i].size
        raise_by = size * 0.75 / 72 if r.note else 0.0
        ops.append(TextOp(x, baseline + raise_by, text, size, r.bold, r.italic, r.mono, LINK if r.note else color))
        x += text_width(text, size, r.bold, r.italic, r.mono)
        i = j
    return ops


class Typesetter:
    """Lays blocks on pages of one size, starting new pages as they fill."""

    def __init__(self, width: float, height: float, notes: Notes, margin: float = 0.85, bottom: float = 0.95):
        self.W, self.H, self.notes = width, height, notes
        self.left, self.right = margin, width - margin
        self.top, self.bottom = height - margin, bottom
        self.pages: list[Page] = []
        self.y = 0.0
        self._fresh = True

    # ------------------------------------------------------------------ pages
    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.top
        self._fresh = True

    @property
    def page(self) -> Page:
        if not self.pages:
            self.new_page()
        return self.pages[-1]

    def _note_lines(self, number: int) -> list[list[_Piece]]:
        width = self.right - self.left - 0.25
        return break_lines([Run(self.notes.text(number))], NOTE_SIZE, width)

    def _notes_height(self, numbers: list[int]) -> float:
        if not numbers:
            return 0.0
        lines = sum(len(self._note_lines(n)) for n in numbers)
        return 12 / 72 + lines * NOTE_SIZE * 1.3 / 72

    def _floor(self, extra: tuple[int, ...] | list[int] = ()) -> float:
        page = self.page
        new = [n for n in extra if n not in page.notes]
        return self.bottom + self._notes_height(page.notes + new)

    # ------------------------------------------------------------------ blocks
    def add(self, blocks: list[Block], new_page: bool = False) -> None:
        if new_page or not self.pages:
            self.new_page()
        for i, block in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            self._block(block, nxt)

    def _style(self, block: Block) -> TextStyle:
        if block.style:
            return NAMED[block.style]
        key = (block.kind, block.level if block.kind == "heading" else 0)
        return STYLES.get(key, STYLES[("para", 0)])

    def _block(self, block: Block, nxt: Block | None) -> None:
        st = self._style(block)
        indent = block.indent * INDENT + block.quote * QUOTE_INDENT
        x = self.left + indent
        width = self.right - x
        before = 0.0 if self._fresh else st.before / 72
        if block.kind == "rule":
            if self.y - before - st.after / 72 < self._floor():
                self.new_page()
            y = self.y - before - 4 / 72
            self.page.ops.append(RuleOp(x, y, self.right, y))
            self.y = y - st.after / 72
            self._fresh = False
            return
        if block.kind == "table":
            self._table(block, x, width)
            return
        runs = [replace(r, bold=True) for r in block.runs] if st.bold else block.runs
        lines = break_lines(runs, st.size, width)
        lead = st.size * LEADING / 72
        color = MUTED if block.quote else st.color
        if st.keep:
            # A heading never ends a page: keep it with two lines of what follows.
            follow = 2 * BODY * LEADING / 72 if nxt is not None else 0.0
            if not self._fresh and self.y - before - len(lines) * lead - follow < self._floor():
                self.new_page()
                before = 0.0
        self.y -= before
        first = True
        for line in lines:
            marks = [p.run.note for p in line if p.run.note]
            if self.y - lead < self._floor(marks):
                self.new_page()
            baseline = self.y - st.size * 0.98 / 72
            if first and block.marker:
                mw = text_width(block.marker, st.size, False, False, False)
                self.page.ops.append(TextOp(x - mw - 5 / 72, baseline, block.marker, st.size, color=color))
            if block.quote:
                for q in range(block.quote):
                    bx = self.left + block.indent * INDENT + q * QUOTE_INDENT + 3 / 72
                    self.page.ops.append(RuleOp(bx, self.y, bx, self.y - lead, "#b8c4d0", 2.0))
            self.page.ops.extend(line_ops(line, x, baseline, color))
            for n in marks:
                if n not in self.page.notes:
                    self.page.notes.append(n)
            self.y -= lead
            first = False
            self._fresh = False
        in_list = nxt is not None and nxt.indent >= block.indent > 0 and nxt.kind == "para"
        self.y -= 3 / 72 if in_list else st.after / 72

    def _table(self, block: Block, x: float, width: float) -> None:
        """Columns as wide as their longest cell, narrowed in proportion when the table is
        wider than the text; the first row is the header."""
        size, pad = 8.8, 6 / 72
        rows = [[[replace(r, bold=True) for r in cell] for cell in row] if i == 0 else row
                for i, row in enumerate(block.rows)]
        ncol = max(len(r) for r in rows)

        def natural(cell: list[Run]) -> float:
            return sum(text_width(r.text, size, r.bold, r.italic, r.mono) for r in cell)

        def longest_word(cell: list[Run]) -> float:
            return max((text_width(w, size, r.bold, r.italic, r.mono) for r in cell for w in r.text.split()),
                       default=0.0)

        nat = [max((natural(r[c]) for r in rows if c < len(r)), default=0.0) + pad for c in range(ncol)]
        least = [max((longest_word(r[c]) for r in rows if c < len(r)), default=0.0) + pad for c in range(ncol)]
        if sum(nat) <= width:
            cols = nat
        elif sum(least) < width:
            # Every column keeps its longest word whole; the rest of the room goes to the
            # columns in proportion to what they lack.
            lack = [n - m for n, m in zip(nat, least, strict=True)]
            cols = [m + (width - sum(least)) * d / sum(lack) for m, d in zip(least, lack, strict=True)]
        else:
            cols = [w * width / sum(nat) for w in nat]
        lead = size * 1.3 / 72
        self.y -= 0.0 if self._fresh else 4 / 72
        for i, row in enumerate(rows):
            cells = [break_lines(row[c], size, cols[c] - pad + 0.01) if c < len(row) else [] for c in range(ncol)]
            height = max(len(c) for c in cells) * lead + 4 / 72
            marks = [p.run.note for cell in cells for line in cell for p in line if p.run.note]
            if self.y - height < self._floor(marks):
                self.new_page()
            cx = x
            for c, lines in enumerate(cells):
                for k, line in enumerate(lines):
                    self.page.ops.extend(line_ops(line, cx, self.y - 2 / 72 - size * 0.98 / 72 - k * lead, INK))
                cx += cols[c]
            for n in marks:
                if n not in self.page.notes:
                    self.page.notes.append(n)
            self.y -= height
            if i == 0 or i == len(rows) - 1:
                self.page.ops.append(RuleOp(x, self.y, x + sum(cols) - pad, self.y, "#999999", 0.6))
            self._fresh = False
        self.y -= STYLES[("para", 0)].after / 72

    def space(self, points: float) -> None:
        self.y -= points / 72

    # ------------------------------------------------------------------ footnotes
    def finish(self) -> list[Page]:
        """Draw each page's footnotes at its foot, above the running footer."""
        for page in self.pages:
            if not page.notes:
                continue
            y = self.bottom + self._notes_height(page.notes)
            page.ops.append(RuleOp(self.left, y - 4 / 72, self.left + 1.6, y - 4 / 72, "#999999", 0.5))
            y -= 12 / 72
            for n in sorted(page.notes):
                for k, line in enumerate(self._note_lines(n)):
                    baseline = y - NOTE_SIZE * 0.98 / 72
                    if k == 0:
                        page.ops.append(TextOp(self.left, baseline, str(n), NOTE_SIZE, color=LINK))
                    page.ops.extend(line_ops(line, self.left + 0.25, baseline, MUTED))
                    y -= NOTE_SIZE * 1.3 / 72
        return self.pages
