"""The sheet's words: what the header, the column and the footer say for a given state,
and writing wrapped text into a box measured in inches (never past its bottom)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefmap import __version__
from briefmap.model.naming import policy_for
from briefmap.render.sheet.layout import FONT
from briefmap.render.text_metrics import text_size_points

LINE = 1.3  # line spacing


@dataclass
class SheetWords:
    title: str
    subtitle: str
    as_of: str
    summary: str
    points: list[str]
    points_heading: str
    footer: list[str]
    note: str = ""


@dataclass
class Overflow:
    """What did not fit on the sheet (reported by preflight)."""

    items: list[str] = field(default_factory=list)


def words_for(briefing, state, scenario, settings, opts, bookmark=None) -> SheetWords:
    """The texts a sheet shows for `state`: they say what the map shows (the date, the
    bookmark's place), and the user's own words win over the briefing's."""
    title = opts.title or briefing.title
    base_sub = scenario.title if scenario else briefing.subtitle
    if state.date is not None and state.date != (scenario.date if scenario else None):
        # A scenario title that names a period would contradict the date shown.
        base_sub = re.sub(r"\s*\((?:early |mid-|late )?\d{4}\)$", "", base_sub)
        base_sub = f"{base_sub} — map as of {state.date.isoformat()}"
    if bookmark is not None:
        base_sub = f"{base_sub} · {bookmark.title}"
    subtitle = opts.subtitle if opts.subtitle is not None else base_sub
    if not opts.titled:
        title = subtitle = ""
    article = briefing.article_as_of.isoformat()
    if state.date is None:
        as_of = f"All dated features shown · analysis to {article} · {briefing.subtitle}"
    else:
        as_of = f"Features as they stood on {state.date.isoformat()} · analysis to {article}"
    points = list(scenario.key_points) if scenario else []
    heading = "Key points"
    names = policy_for(briefing.naming, state.names).title
    date_text = state.date.isoformat() if state.date else "all dates"
    footer = [line for line in (settings.credit, settings.attribution) if line]
    footer.append(f"Names: {names}  ·  Map date: {date_text}  ·  {briefing.id} {briefing.version}  ·  "
                  f"briefmap {__version__}")
    return SheetWords(title, subtitle, as_of, scenario.summary if scenario else "", points, heading, footer,
                      opts.note or "")


SPACE_EM = 0.318  # DejaVu Sans's space advance (651/2048 em)
BEARING_EM = 0.25  # more than the side bearings either side of a space can add or take


def wrap(text: str, width_in: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap measured in the sheet's font (a word longer than the line is
    broken)."""
    limit = width_in * 72.0
    out: list[str] = []
    for para in text.split("\n"):
        line, estimate = "", 0.0
        for word in para.split():
            trial = f"{line} {word}" if line else word
            # Each word is measured once; a line is measured whole only when the sum of
            # its words and spaces comes within the side bearings' play of the limit
            # (measuring every trial line made wrapping quadratic in its length).
            width = text_size_points(word, size, weight, "normal")[0]
            guess = estimate + SPACE_EM * size + width if line else width
            slack = BEARING_EM * size * (trial.count(" ") + 1)
            if guess <= limit - slack or (guess <= limit + slack
                                          and text_size_points(trial, size, weight, "normal")[0] <= limit):
                line, estimate = trial, guess
                continue
            if line:
                out.append(line)
            while text_size_points(word, size, weight, "normal")[0] > limit and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and text_size_points(word[:cut] + "-", size, weight, "normal")[0] > limit:
                    cut -= 1
                out.append(word[:cut] + "-")
                word = word[cut:]
            line, estimate = word, text_size_points(word, size, weight, "normal")[0]
        out.append(line)
    return out


def text_height(lines: int, size: float) -> float:
    return lines * size * LINE * 1.0 / 72.0 if lines else 0.0


class Column:
    """Writes text top-down in a box of the sheet (inches); what would run past the
    bottom is left out and recorded."""

    def __init__(self, fig, W: float, H: float, box, k: float, overflow: Overflow):
        self.fig, self.W, self.H, self.k, self.overflow = fig, W, H, k, overflow
        self.left, self.bottom, self.width, height = box
        self.y = self.bottom + height

    def room(self) -> float:
        return self.y - self.bottom

    def heading(self, text: str) -> bool:
        h = 0.2 * self.k
        if self.room() < h + 0.15 * self.k:
            self.overflow.items.append(f"heading {text!r}")
            return False
        self.fig.text(self.left / self.W, self.y / self.H, text, fontsize=max(6.5, 7 * self.k), color="#777777", va="top",
                      family=FONT, fontweight="bold", parse_math=False)
        self.y -= h
        return True

    def paragraph(self, text: str, size: float, bullet: bool = False) -> bool:
        indent = 0.16 * self.k if bullet else 0.0
        lines = wrap(text, self.width - indent, size)
        h = text_height(len(lines), size)
        if h > self.room():
            self.overflow.items.append(f"text {text[:40]!r}")
            return False
        if bullet:
            self.fig.text(self.left / self.W, self.y / self.H, "•", fontsize=size, va="top", family=FONT,
                          color="#222222")
        self.fig.text((self.left + indent) / self.W, self.y / self.H, "\n".join(lines), fontsize=size, va="top",
                      family=FONT, color="#222222", linespacing=LINE, parse_math=False)
        self.y -= h + 0.06 * self.k
        return True


def header(fig, words: SheetWords, W: float, H: float, pad: float, k: float, width: float) -> float:
    """Title (wrapped), subtitle and the as-of line; returns the height used (inches)."""
    y = H - pad * 0.9
    for text, size, weight, color in ((words.title, 15 * k, "bold", "#111111"),
                                      (words.subtitle, 10.5 * k, "normal", "#333333"),
                                      (words.as_of, max(6.5, 7.5 * k), "normal", "#666666")):
        if not text:
            continue
        lines = wrap(text, width, size, weight)
        fig.text(pad / W, y / H, "\n".join(lines), fontsize=size, fontweight=weight, va="top", ha="left",
                 family=FONT, color=color, linespacing=1.15, parse_math=False)
        y -= len(lines) * size * 1.15 / 72 + 0.07 * k
    return H - y + 0.05 * k


def header_height(words: SheetWords, pad: float, k: float, width: float) -> float:
    y = pad * 0.9
    for text, size, weight in ((words.title, 15 * k, "bold"), (words.subtitle, 10.5 * k, "normal"),
                               (words.as_of, max(6.5, 7.5 * k), "normal")):
        if text:
            y += len(wrap(text, width, size, weight)) * size * 1.15 / 72 + 0.07 * k
    return y + 0.05 * k


def footer_lines(words: SheetWords, width: float, size: float) -> list[str]:
    return [line for text in words.footer for line in wrap(text, width, size)]


def footer(fig, lines: list[str], W: float, H: float, pad: float, top: float, size: float) -> None:
    fig.text(pad / W, top / H, "\n".join(lines), fontsize=size, va="top", ha="left", family=FONT,
             color="#555555", linespacing=1.4, parse_math=False)
