"""Blocks of styled text laid out on pages: line breaking, headings kept with what follows,
list and quote indents, and footnotes at the foot of the page that cites them.

Widths come from the fonts themselves (unhinted, as the PDF draws them), so mixed bold,
italic and plain words sit where the PDF puts them. Positions are in inches from the
page's bottom-left corner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from briefmap.render.pack.fonts import text_width
from briefmap.render.pack.lines import INK, LINK, MUTED, Piece, RuleOp, TextOp, broken_lines, line_ops
from briefmap.render.pack.markdown import Block, Notes, Run

__all__ = ["INK", "LINK", "MUTED", "Page", "RuleOp", "TextOp", "Typesetter"]

BODY = 10.0
LEADING = 1.38
NOTE_SIZE = 7.5
INDENT = 16 / 72
QUOTE_INDENT = 14 / 72

Lines = Sequence[Sequence[Piece]]


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


@dataclass
class Page:
    ops: list = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


def _leads_in(blocks: list[Block], i: int) -> bool:
    """Block i introduces the list that follows it ("…, for example:")."""
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return (blocks[i].kind == "para" and blocks[i].plain.rstrip().endswith(":") and nxt is not None
            and nxt.indent > blocks[i].indent)


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

    def _note_lines(self, number: int) -> Lines:
        # Asked for every line weighed against the page's foot: a note's text never
        # changes once numbered, so its lines are looked up, not broken again.
        width = self.right - self.left - 0.25
        return broken_lines((Run(self.notes.text(number)),), NOTE_SIZE, width)

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
    def add(self, blocks: list[Block], new_page: bool = False) -> int:
        """Lay out the blocks after what is there; returns the (0-based) page their first
        block landed on."""
        if new_page or not self.pages:
            self.new_page()
        start = len(self.pages) - 1
        for i in range(len(blocks)):
            self._block(blocks, i)
            if i == 0:
                start = len(self.pages) - 1
        return start

    def _style(self, block: Block) -> TextStyle:
        if block.style:
            return NAMED[block.style]
        key = (block.kind, block.level if block.kind == "heading" else 0)
        return STYLES.get(key, STYLES[("para", 0)])

    def _block(self, blocks: list[Block], i: int) -> None:
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
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
        lines = self._lines(block)
        lead = st.size * LEADING / 72
        color = MUTED if block.quote else st.color
        limit = len(lines)  # lines set before a page break is forced
        if not self._fresh:
            fits = self._fits([(lines, lead, 0.0)], self.y - before)
            if st.keep or _leads_in(blocks, i):
                # A heading never ends a page, nor does a list's lead-in ("…, for
                # example:"): each goes with two lines of what follows, footnotes those
                # lines bring included.
                follow = self._follow(blocks, i)
                if self._fits([(lines, lead, 0.0), *follow], self.y - before) < len(lines) + sum(len(f[0]) for f in follow):
                    fits = 0
            elif 0 < fits < len(lines):
                # No orphan (a paragraph's first line alone at the foot of a page) and no
                # widow (its last line alone at the head of the next).
                if len(lines) - fits == 1:
                    fits -= 1
                if fits < 2:
                    fits = 0
            if fits == 0 and lines:
                self.new_page()
                before = 0.0
            elif fits < len(lines):
                limit = fits
        self.y -= before
        first = True
        for k, line in enumerate(lines):
            marks = [p.run.note for p in line if p.run.note]
            if k == limit or self.y - lead < self._floor(marks):
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

    def _lines(self, block: Block) -> Lines:
        st = self._style(block)
        x = self.left + block.indent * INDENT + block.quote * QUOTE_INDENT
        runs = tuple(replace(r, bold=True) for r in block.runs) if st.bold else tuple(block.runs)
        return broken_lines(runs, st.size, self.right - x)

    def _follow(self, blocks: list[Block], i: int) -> list[tuple[Lines, float, float]]:
        """What must share a page with block i: the first two lines of the next block (for
        a table or a rule, room for two lines of text), or all of a lead-in that follows
        and the first two lines of its list."""
        if i + 1 >= len(blocks):
            return []
        nxt = blocks[i + 1]
        gap = self._style(blocks[i]).after / 72  # what block i leaves below itself
        if nxt.kind in ("table", "rule"):
            return [([[]] * 2, BODY * LEADING / 72, gap + 4 / 72)]
        st = self._style(nxt)
        lines = self._lines(nxt)
        first = (lines if _leads_in(blocks, i + 1) else lines[:2], st.size * LEADING / 72, gap + st.before / 72)
        return [first, *self._follow(blocks, i + 1)] if _leads_in(blocks, i + 1) else [first]

    def _fits(self, groups: list[tuple[Lines, float, float]], y: float) -> int:
        """How many of these lines (each group with its leading and the space above it)
        fit on the page from `y` down, their footnotes counted."""
        notes = list(self.page.notes)
        n = 0
        for lines, lead, before in groups:
            y -= before
            for line in lines:
                new = [p.run.note for p in line if p.run.note and p.run.note not in notes]
                if y - lead < self.bottom + self._notes_height(notes + new):
                    return n
                notes += new
                y -= lead
                n += 1
        return n

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
            cells = [broken_lines(tuple(row[c]), size, cols[c] - pad + 0.01) if c < len(row) else [] for c in range(ncol)]
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
