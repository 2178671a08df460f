"""A scenario slide's speaker notes: the scenario's own summary and key points, and the part
of its panel that speaks of it, all taken from the briefing's files."""

from __future__ import annotations

import re

from briefmap.data.catalog import load_catalog
from briefmap.render.pack.content import note_for_source, panel_blocks
from briefmap.render.pack.markdown import Notes, plain_text
from briefmap.render.pack.speaker import speaker_notes
from tests.briefing_files import edit


def section_headings(markdown: str) -> list[str]:
    return [line[3:].strip() for line in markdown.splitlines() if line.startswith("## ")]


def test_scenarios_sharing_a_panel_each_get_their_own_section(briefing):
    shared = [s for s in briefing.scenarios if sum(o.panel == s.panel for o in briefing.scenarios) > 1]
    assert len(shared) == 3  # the three outcomes share "Three possible outcomes"
    chosen = []
    for scenario in shared:
        notes = speaker_notes(briefing, scenario)
        assert scenario.summary in notes
        for point in scenario.key_points:
            assert point in notes
        present = [h for h in section_headings(briefing.panel(scenario.panel).text) if h in notes]
        assert len(present) == 1, (scenario.id, present)
        chosen.append(present[0])
    assert len(set(chosen)) == 3
    # Each outcome's notes carry its own section's words and not another's.
    collapse = speaker_notes(briefing, briefing.scenario("collapse"))
    assert "renewed use of force by Azerbaijan" in collapse
    assert "founding documents;" not in collapse and "renouncing the use of force" not in collapse


def test_notes_hold_nothing_that_is_not_in_the_briefing(briefing):
    for scenario in briefing.scenarios:
        notes = Notes(note_for_source(briefing))
        panel = plain_text(panel_blocks(briefing, scenario.panel, notes), notes)
        # Citations are renumbered per slide: compare the words, not the note numbers.
        source_words = re.sub(r"\[\d+\]", "", panel + "\n" + "\n".join(notes.texts))
        title = briefing.panel(scenario.panel).title
        own = {scenario.summary, *scenario.key_points, "Key points:", f"From the panel “{title}”:", "The panel:"}
        for line in speaker_notes(briefing, scenario).splitlines():
            line = re.sub(r"^(• |\[\d+\] )", "", line.strip())
            line = re.sub(r"\[\d+\]", "", line)
            if line:
                assert line in own or line in source_words, (scenario.id, line)


def test_a_slide_numbers_its_own_citations_from_one(briefing):
    notes = speaker_notes(briefing, briefing.scenario("agreement"))
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", notes)]
    assert numbers and min(numbers) == 1
    listed = re.findall(r"^\[(\d+)\] ", notes, flags=re.M)
    assert [int(n) for n in listed] == list(range(1, len(listed) + 1))
    assert "Public Radio of Armenia" in notes.split("\n[1] ")[1]  # the addresses follow, numbered


def test_without_a_matching_section_the_notes_carry_the_whole_panel(briefing_copy):
    panel = briefing_copy / "panels" / "07-outcomes.md"
    edit(panel, "## 1. Agreement in good faith (most optimistic)", "## First path")
    edit(panel, "## 2. The talks stall", "## Second path")
    edit(panel, "## 3. The talks collapse (most hazardous)", "## Third path")
    briefing = load_catalog(briefing_copy)
    notes = speaker_notes(briefing, briefing.scenario("stalemate"))
    for heading in ("First path", "Second path", "Third path"):
        assert heading in notes
    assert "The panel:" in notes
