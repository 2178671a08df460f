"""A scenario slide's speaker notes: the scenario's own words (summary and key points) and
the part of its panel that speaks of it.

Several scenarios may share one panel (the built-in briefing's three outcomes share the
panel "Three possible outcomes", one section each). Such a panel is split at its
second-level headings, and each scenario takes the section whose heading shares most
words with the scenario's title. Nothing is written that is not in the briefing's files:
where no section matches one scenario better than the others, the notes carry the whole
panel.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefmap.model.briefing import Briefing, Scenario
from briefmap.render.pack.content import note_for_source, panel_blocks
from briefmap.render.pack.markdown import Block, Notes, plain_text

SECTION_LEVEL = 2
# Words that say nothing about which section is meant.
_COMMON = frozenset({"a", "an", "and", "the", "of", "in", "on", "to", "for", "by", "or", "with", "its", "is",
                     "outcome", "scenario"})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _COMMON}


def sections(blocks: list[Block]) -> list[list[Block]]:
    """A panel's second-level sections, each from its heading to the next heading of its
    level or higher (what comes before the first one is the panel's introduction)."""
    out: list[list[Block]] = []
    for block in blocks:
        if block.kind == "heading" and block.level <= SECTION_LEVEL:
            if block.level == SECTION_LEVEL:
                out.append([block])
                continue
            if out:
                out.append([])  # a higher heading closes the open section
        elif out and out[-1]:
            out[-1].append(block)
    return [s for s in out if s]


def _pick(briefing: Briefing, scenario: Scenario, blocks: list[Block]) -> list[Block] | None:
    sharing = [s for s in briefing.scenarios if s.panel == scenario.panel]
    parts = sections(blocks)
    if len(sharing) < 2 or len(parts) < 2:
        return None
    mine = _words(scenario.title)
    scores = [len(mine & _words(part[0].plain)) for part in parts]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return parts[scores.index(best)]


def scenario_section(briefing: Briefing, scenario: Scenario, notes: Notes) -> tuple[list[Block], bool]:
    """The blocks of the scenario's panel that speak of it, and whether they are one section
    of a shared panel (False: the whole panel). Notes are numbered in `notes` in the order
    the chosen blocks cite them, so a section's first note is [1]."""
    whole = Notes(note_for_source(briefing))
    blocks = panel_blocks(briefing, scenario.panel, whole)
    chosen = _pick(briefing, scenario, blocks)

    def renumber(block: Block) -> Block:
        runs = [replace(r, text=str(n), note=n) if r.note and (n := notes.number(f"text:{whole.text(r.note)}",
                                                                              whole.text(r.note))) else r
                for r in block.runs]
        return replace(block, runs=runs)

    return [renumber(b) for b in (chosen or blocks)], chosen is not None


def speaker_notes(briefing: Briefing, scenario: Scenario) -> str:
    """The notes under a scenario's slide, as plain text: its summary, its key points, then
    its part of the panel with its sources' addresses numbered at the end."""
    parts = [scenario.summary] if scenario.summary else []
    if scenario.key_points:
        parts.append("Key points:\n" + "\n".join(f"• {p}" for p in scenario.key_points))
    if scenario.panel:
        notes = Notes(note_for_source(briefing))
        blocks, is_section = scenario_section(briefing, scenario, notes)
        title = briefing.panel(scenario.panel).title
        head = f"From the panel “{title}”:" if is_section else "The panel:"
        parts.append(head + "\n" + plain_text(blocks, notes))
    return "\n\n".join(parts)
