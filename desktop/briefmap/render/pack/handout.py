"""The handout PDF: cover, one map sheet per scenario, the panels as text, the timeline and
the sources; numbered pages with a running footer; the same bytes for the same input.

Text pages are laid out first, so the cover's contents and every footer know the page
count; then each page is drawn and written in turn.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.text import Text

from briefmap import __version__
from briefmap.render.export import sheet_rc, write_atomic
from briefmap.render.pack.content import (
    NON_ENDORSEMENT,
    PackRequest,
    Steps,
    long_date,
    note_for_source,
    panel_blocks,
    source_blocks,
)
from briefmap.render.pack.cover import cover_blocks
from briefmap.render.pack.fonts import FEATURES, FONT, lean_font_subsets, text_width
from briefmap.render.pack.lines import TextOp, shorten
from briefmap.render.pack.markdown import Notes
from briefmap.render.pack.paint import TextRuns, draw
from briefmap.render.pack.parallel import render_pages
from briefmap.render.pack.pdf_deflate import fast_streams
from briefmap.render.pack.pdf_text import direct_pdf_text
from briefmap.render.pack.text_measures import kept_text_measures
from briefmap.render.pack.timeline import draw_timeline
from briefmap.render.pack.typeset import MUTED, Page, Typesetter
from briefmap.render.sheet import PRESETS, SheetOptions, build_sheet

# The sheet's own settings (text stays text, embedded TrueType, unhinted). matplotlib
# sizes its font subsets by `ps.fonttype` even in a PDF: at 42 a font is embedded once,
# not once more for every 256 characters past Latin-1 (dashes, quotes, the middle dot),
# and each embedding costs a parse of the whole font file.
RC = {**sheet_rc(), "ps.fonttype": 42}


ARGUMENT = "The argument, panel by panel"


@dataclass
class Plan:
    """Every page in order: ("cover"|"sheet"|"text"|"timeline", payload)."""

    pages: list[tuple[str, object]]
    sections: list[tuple[str, int]]  # contents: title, first page (1-based)
    panels: list[tuple[str, int]] = field(default_factory=list)  # each panel's title and first page (1-based)

    def outline(self) -> list[tuple[str, int, int]]:
        """The PDF's bookmarks: (title, 0-based page, depth), the panels under the argument."""
        marks = [("Cover", 0, 0)]
        for title, page in self.sections:
            marks.append((title, page - 1, 0))
            if title == ARGUMENT:
                marks += [(t, p - 1, 1) for t, p in self.panels]
        return marks


def page_size(preset: str) -> tuple[float, float]:
    p = PRESETS[preset]
    return p.width_in, p.height_in


def _typesetter(req: PackRequest, notes: Notes) -> Typesetter:
    W, H = page_size(req.preset)
    # A comfortable line (about 6.5 in) whatever the page's width.
    return Typesetter(W, H, notes, margin=max(0.85, (W - 6.6) / 2))


def _panels(req: PackRequest, first_page: int) -> tuple[list[int], list[Page]]:
    """The panels typeset: each one's first page (0-based within them) and the pages. A link
    to a panel says the page it starts on, which is known once the panels are laid out: they
    are laid out again until those pages stand still (a page reference may move a break)."""
    starts: list[int] = []
    for _ in range(4):
        pages = {p.id: first_page + k for p, k in zip(req.briefing.panels, starts, strict=True)} if starts else {}
        notes = Notes(note_for_source(req.briefing), pages)
        panels = _typesetter(req, notes)
        found = [panels.add(panel_blocks(req.briefing, panel.id, notes), new_page=i == 0)
                 for i, panel in enumerate(req.briefing.panels)]
        if found == starts:
            break
        starts = found
    return starts, panels.finish()


def plan(req: PackRequest) -> Plan:
    first_panel = 2 + len(req.states)
    starts, panel_pages = _panels(req, first_panel)
    starts = [(panel.title, k) for panel, k in zip(req.briefing.panels, starts, strict=True)]
    sources = _typesetter(req, Notes())
    sources.add(source_blocks(req.briefing), new_page=True)
    source_pages = sources.finish()

    sections = [(f"Map: {req.scenario(s).title}", 2 + i) for i, s in enumerate(req.states)]
    sections.append((ARGUMENT, first_panel))
    timeline_page = first_panel + len(panel_pages)
    sections += [("Timeline", timeline_page), ("Sources", timeline_page + 1)]
    cover = _typesetter(req, Notes())
    cover.add(cover_blocks(req, sections), new_page=True)
    cover_pages = cover.finish()[:1]  # the cover is one page by design (a long bottom line is cut)
    pages: list[tuple[str, object]] = [("cover", cover_pages[0])]
    pages += [("sheet", s) for s in req.states]
    pages += [("text", p) for p in panel_pages]
    pages.append(("timeline", None))
    pages += [("text", p) for p in source_pages]
    return Plan(pages, sections, [(title, first_panel + k) for title, k in starts])


def labels_as_text(fig: Figure) -> None:
    """Map labels are drawn with a white halo (a path effect), and a text with a path
    effect is written to a PDF as outlines: unsearchable. The halo becomes a copy of its
    own just under the label, and the label itself stays text. No ligatures either, so
    "fi" is found as "fi"."""
    from matplotlib import patheffects

    for text in _texts(fig):
        text.set_fontfeatures(FEATURES)
        effects = text.get_path_effects()
        stroke = next((e for e in effects if isinstance(e, patheffects.withStroke)), None)
        if stroke is None or not text.get_visible() or text.axes is None:
            continue
        halo = copy.copy(text)
        halo.set_path_effects([patheffects.Stroke(**stroke._gc)])
        halo.set_zorder(text.get_zorder() - 0.001)
        text.axes.add_artist(halo)
        text.set_path_effects([])


def _texts(artist) -> list[Text]:
    """Every Text under `artist`, an axis' own (tick labels, axis labels) left out: the
    sheets draw no axis, and asking an axis for its children makes its ticks, about ten
    artists each, for nothing (`Figure.findobj` did, on every axes of every sheet)."""
    from matplotlib.axis import Axis

    found = [artist] if isinstance(artist, Text) else []
    for child in artist.get_children():
        if not isinstance(child, Axis):
            found += _texts(child)
    return found


def _footer(fig: Figure, req: PackRequest, number: int, total: int, sheet: bool) -> None:
    """The running footer and the page number, typeset like the text pages (exact
    widths, plain text, written straight into the PDF)."""
    W, _H = fig.get_size_inches()
    margin = max(0.85, (W - 6.6) / 2)
    ops = []
    if not sheet:
        # The map sheets carry the credit and the same line in their own footer.
        room = W - 2 * margin - 0.6
        tail = f"  ·  As of {long_date(req.as_of)}  ·  {NON_ENDORSEMENT}"
        ops.append(TextOp(margin, 0.45, shorten(req.briefing.title, 7, room - text_width(tail, 7)) + tail, 7,
                          color=MUTED))
    page = f"{number} / {total}"
    right = W - (0.32 if sheet else margin)
    ops.append(TextOp(right - text_width(page, 7.5), 0.13 if sheet else 0.45, page, 7.5, color=MUTED))
    fig.add_artist(TextRuns(ops))


def _figure(req: PackRequest, kind: str, payload, number: int, total: int) -> Figure:
    if kind == "sheet":
        fig, _renderer = build_sheet(req.briefing, req.tables, payload, SheetOptions.from_preset(req.preset))
        labels_as_text(fig)
    else:
        W, H = page_size(req.preset)
        fig = Figure(figsize=(W, H), dpi=72, facecolor="white")
        if kind == "timeline":
            margin = max(0.85, (W - 6.6) / 2)
            fig.text(margin, H - 0.85, "Timeline", transform=fig.dpi_scale_trans, fontsize=17, fontweight="bold",
                     family=FONT, va="top", parse_math=False, fontfeatures=FEATURES)
            draw_timeline(fig, req.briefing, req.as_of, (margin, 0.95, W - 2 * margin, H - 0.85 - 0.95 - 0.45))
        else:
            assert isinstance(payload, Page)
            draw(fig, payload.ops)
    _footer(fig, req, number, total, kind == "sheet")
    return fig


# Drawing cost of a page, relative, as measured (CPU per page, labels' measures kept across
# sheets; a unit is about 8 ms): a map sheet is most of the work, a text page (written glyph
# runs and all) a twenty-sixth of one. Each process pays about 80 ms more for the first
# sheet it draws, the same on both sides and left out.
COST = {"sheet": 26.0, "timeline": 7.5, "text": 1.0, "cover": 1.5}
BUILT_SHARE = 0.52  # what is left of a sheet's cost once its figure is built: drawing it
JOIN_COST = 3.0  # the first half's process then reads both halves and joins them (its pypdf import overlaps the other half)


def write_handout(req: PackRequest, path: Path, progress=None, cancelled=None, side_by_side: bool = False) -> int:
    """Write the PDF to `path` (atomically); returns the page count. With `side_by_side`,
    half of the pages are drawn in a forked process (for the command line, which has no
    threads); the bytes are the same either way."""
    layout = plan(req)
    pages = layout.pages
    steps = Steps(len(pages), progress, cancelled)
    metadata = {"Title": req.briefing.title, "Subject": req.briefing.subtitle, "Author": req.briefing.credit(),
                "Creator": f"briefmap {__version__}", "Producer": f"briefmap {__version__}"}
    outline = layout.outline()

    built: dict[int, Figure] = {}

    def figure(i: int) -> Figure:
        fig = built.pop(i, None)
        return fig if fig is not None else _figure(req, pages[i][0], pages[i][1], i + 1, len(pages))

    def render(indices: list[int], part: Path, tick) -> None:
        with matplotlib.rc_context(RC), lean_font_subsets(), direct_pdf_text(), fast_streams(), \
                kept_text_measures(), PdfPages(part, metadata={"CreationDate": None, "ModDate": None}) as pdf:
            for i in indices:
                tick(i)
                pdf.savefig(figure(i), facecolor="white")

    def write(tmp: Path) -> None:
        # The first map sheet is built before the pages are shared out: its fonts found,
        # its labels measured and its layers prepared once, in caches both processes
        # then hold, instead of once in each (building the first sheet of a process
        # costs about half as much again as building the next).
        costs = [COST[kind] for kind, _ in pages]
        first = next((i for i, (kind, _p) in enumerate(pages) if kind == "sheet"), None)
        # The labels' measures and font lookups are kept from here on: both processes
        # start with what the first sheet found.
        with matplotlib.rc_context(RC), kept_text_measures():
            if first is not None:
                built[first] = _figure(req, "sheet", pages[first][1], first + 1, len(pages))
                costs[first] *= BUILT_SHARE
            render_pages(render, costs, tmp, steps, metadata, outline, side_by_side, head=JOIN_COST)
        steps.finish()

    write_atomic(Path(path), write)
    return len(pages)
