"""Runs of styled text cut into words and broken into lines, and the lines as text
operations placed on a page (inches from the bottom-left corner).

Widths come from the fonts themselves (unhinted, as the PDF draws them), so mixed bold,
italic and plain words sit where the PDF puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefmap.render.pack.fonts import text_width
from briefmap.render.pack.markdown import Run

INK, MUTED, LINK = "#1a1a1a", "#555555", "#1f4e79"

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
class Piece:
    text: str
    run: Run
    size: float
    space: bool = False  # a space follows

    @property
    def width(self) -> float:
        r = self.run
        return text_width(self.text, self.size, r.bold, r.italic, r.mono)


def _words(runs: list[Run], size: float) -> list[list[Piece]]:
    """Runs cut into words; a word may hold pieces of several styles (no space between)."""
    words: list[list[Piece]] = [[]]
    for run in runs:
        psize = size * 0.68 if run.note else size
        for tok in re.findall(r"\s+|\S+", run.text):
            if tok.isspace():
                if words[-1]:
                    words[-1][-1].space = True
                    words.append([])
            else:
                words[-1].append(Piece(tok, run, psize))
    return [w for w in words if w]


def _split_long(word: list[Piece], avail: float) -> list[list[Piece]]:
    """A word wider than the line (a long address) broken between characters."""
    out: list[list[Piece]] = []
    for piece in word:
        text = piece.text
        while text:
            n = len(text)
            while n > 1 and text_width(text[:n], piece.size, piece.run.bold, piece.run.italic, piece.run.mono) > avail:
                n -= 1
            out.append([Piece(text[:n], piece.run, piece.size, piece.space and n == len(text))])
            text = text[n:]
    return out


def break_lines(runs: list[Run], size: float, width: float) -> list[list[Piece]]:
    lines: list[list[Piece]] = []
    line: list[Piece] = []
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


@lru_cache(maxsize=4096)
def broken_lines(runs: tuple[Run, ...], size: float, width: float) -> tuple[tuple[Piece, ...], ...]:
    """`break_lines`, kept: a handout lays its panels out until their page references stand
    still, and measures each paragraph again for every page break it weighs (the pieces
    are shared: read them, never change them)."""
    return tuple(tuple(line) for line in break_lines(list(runs), size, width))


def _space(piece: Piece) -> float:
    return text_width(" ", piece.size, piece.run.bold, piece.run.italic, piece.run.mono)


def line_ops(line: list[Piece], x: float, baseline: float, color: str) -> list[TextOp]:
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


def shorten(text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> str:
    """`text` cut to `width` inches with an ellipsis, at a word's end where one fits (a
    reader takes "the risks of…" in, not "Armenian–Aze…"); between characters only when
    not even the first word fits."""
    if text_width(text, size, bold, italic) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip(" ,;:–—-")
        if cut and text_width(cut + "…", size, bold, italic) <= width:
            return cut + "…"
    cut = text
    while cut and text_width(cut + "…", size, bold, italic) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…"
