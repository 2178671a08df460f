"""Window-only text in a panel: `[words]{.window}`.

A panel is read in the window and printed in the handout and the deck's speaker notes. A
sentence that speaks of the window ("choose a scenario in the toolbar", "turn on a layer")
reads oddly on paper, so the briefing marks it with a bracketed span of the class
`window` (the span syntax of Pandoc and djot):

    The article sees three ways. [Choose a scenario in the toolbar to see each.]{.window}

The window shows the words without the marks; print leaves the span out. A span may hold
emphasis and links, and lies within one paragraph (it cannot cross a blank line). Code
spans are left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK = "{.window}"
_CODE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_TIGHT = ".,;:!?)"  # what follows a word without a space
_MARKER_ONLY = re.compile(r"[ \t]*(?:>[ \t]*)*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*(?:>[ \t]*)+")


@dataclass(frozen=True)
class Span:
    start: int  # the opening bracket
    end: int  # just after the mark
    inner: tuple[int, int]  # the words between the brackets


def _opening(text: str, close: int, code: list[tuple[int, int]]) -> int | None:
    """The `[` that matches the `]` at `close`, within the paragraph; None without one."""
    depth = 0
    i = close - 1
    while i >= 0:
        if any(a <= i < b for a, b in code):
            i -= 1
            continue
        ch = text[i]
        if ch == "\n" and text[max(0, i - 1)] == "\n":
            return None  # a blank line ends the paragraph
        escaped = i > 0 and text[i - 1] == "\\"
        if ch == "]" and not escaped:
            depth += 1
        elif ch == "[" and not escaped:
            if depth == 0:
                return i
            depth -= 1
        i -= 1
    return None


def _scan(text: str) -> tuple[list[Span], list[tuple[int, str]]]:
    code = [m.span() for m in _CODE.finditer(text)]
    spans: list[Span] = []
    problems: list[tuple[int, str]] = []
    pos = 0
    while (at := text.find("]" + MARK, pos)) >= 0:
        pos = at + 1 + len(MARK)
        if any(a <= at < b for a, b in code):
            continue
        start = _opening(text, at, code)
        line = text.count("\n", 0, at) + 1
        if start is None:
            problems.append((line, f"“{MARK}” closes no [bracketed words] in its paragraph"))
            continue
        if spans and start < spans[-1].end:
            problems.append((line, f"a window-only span inside another ({MARK} twice)"))
            continue
        spans.append(Span(start, pos, (start + 1, at)))
    return spans, problems


def window_text(text: str) -> str:
    """The panel as the window shows it: window-only words kept, their marks removed."""
    spans, _ = _scan(text)
    out, pos = [], 0
    for s in spans:
        out += [text[pos:s.start], text[s.inner[0]:s.inner[1]]]
        pos = s.end
    return "".join(out) + text[pos:]


def print_text(text: str) -> str:
    """The panel as print shows it: window-only spans left out, with the space before them
    (so "ends. [Turn on …]{.window}" prints "ends." and "(x)[: click]{.window}." prints "(x).").
    A list item or quoted line that held nothing else goes with it."""
    spans, _ = _scan(text)
    out, pos = [], 0
    for s in spans:
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.end)
        line_end = len(text) if line_end < 0 else line_end
        if line_start >= pos and _MARKER_ONLY.fullmatch(text[line_start:s.start]) \
                and not text[s.end:line_end].strip():
            out.append(text[pos:line_start])
            pos = min(len(text), line_end + 1)
            continue
        before = text[pos:s.start]
        after = text[s.end:s.end + 1]
        # "" is in every string: the end of the text counts as tight.
        if after in _TIGHT + "\n" or after in " \t":
            before = before.rstrip(" \t")
        out.append(before)
        pos = s.end
    return "".join(out) + text[pos:]


def window_span_problems(text: str) -> list[tuple[int, str]]:
    """Malformed window-only marks as (line, message)."""
    return _scan(text)[1]
