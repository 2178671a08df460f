"""The cover of a pack: title, subtitle, as-of date, the bottom line, the credit of the
analysis, the naming policy and the contents."""

from __future__ import annotations

from briefmap import __version__
from briefmap.render.pack.content import NON_ENDORSEMENT, PackRequest, long_date
from briefmap.render.pack.markdown import Block, Run


def bottom_line(req: PackRequest) -> tuple[str, tuple[str, ...]]:
    """The briefing's bottom line: its default scenario's summary and key points."""
    b = req.briefing
    sid = b.default_scenario or (b.scenarios[0].id if b.scenarios else "")
    if not sid:
        return "", ()
    s = b.scenario(sid)
    return s.summary, s.key_points


def cover_blocks(req: PackRequest, sections: list[tuple[str, int]]) -> list[Block]:
    b = req.briefing
    blocks = [
        Block("para", [Run("Briefing pack")], style="small"),
        Block("heading", [Run(b.title)], level=0),
        Block("para", [Run(b.subtitle)], style="subtitle"),
        Block("para", [Run("As of ", bold=True), Run(long_date(req.as_of))], style="lead"),
        Block("para", [Run("Analysis: ", bold=True), Run(f"{b.credit()} — summarised in our own words.")]),
        Block("para", [Run("Names: ", bold=True), Run(req.naming)]),
    ]
    summary, points = bottom_line(req)
    if summary or points:
        blocks.append(Block("heading", [Run("Bottom line")], level=2))
        if summary:
            blocks.append(Block("para", [Run(summary)]))
        blocks += [Block("para", [Run(p)], indent=1, marker="•") for p in points]
    blocks.append(Block("heading", [Run("Contents")], level=2))
    blocks += [Block("para", [Run(title)], indent=2, marker=str(page)) for title, page in sections]
    blocks.append(Block("para", [Run(f"Briefing {b.id} {b.version}, briefmap {__version__}. {NON_ENDORSEMENT} "
                                     "The sources page lists every source with its licence.")], style="small"))
    return blocks
