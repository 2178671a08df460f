"""`briefmap validate` keeps the briefing checkable: numbers and dates in panels cite a
source the catalog knows, and whatever is dated after the article says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from briefmap.cli import main
from briefmap.data.briefing import validate
from briefmap.data.citations import needs_citation, panel_sentences
from briefmap.data.paths import builtin_briefing_dir
from tests.briefing_files import edit, line_of


def messages(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder)]


def test_the_builtin_briefing_cites_every_number_and_date(briefing):
    assert validate(builtin_briefing_dir()) == []
    cited = sum(p.text.count("](source:") for p in briefing.panels)
    assert cited >= 40


def test_what_counts_as_a_number_or_a_date():
    assert needs_citation("The official figure is 12.7 km.")
    assert needs_citation("Protests began in mid-April.")
    assert not needs_citation("Baku may not accept guarantees.")  # "may", not the month
    assert not needs_citation("See [the offensive](feature:karabakh/offensive-2023).")
    text = "# Heading 2024\n\n1. **Recognition.** Armenia recognised it.\n\n| a | b |\n|---|---|\n"
    assert [s for _line, s in panel_sentences(text)] == ["**Recognition.** Armenia recognised it.", "| a | b |"]
    two = panel_sentences("It rose to 12.7 km [[AzerNews]](source:azernews-226488). Then it fell.")
    assert [s for _line, s in two] == ["It rose to 12.7 km [[AzerNews]](source:azernews-226488).", "Then it fell."]


def test_an_uncited_sentence_with_a_number_is_reported_at_its_line(briefing_copy):
    panel = briefing_copy / "panels" / "05-power-gap.md"
    edit(panel, "- **Guarantees.**", "- **A number.** Armenia has about 3,000 soldiers on the border.\n- **Guarantees.**")
    line = line_of(panel, "3,000 soldiers")
    out = messages(briefing_copy)
    assert any(m.startswith(f"panels/05-power-gap.md:{line}: citation: a sentence with a number or a date "
                            "cites no source: “**A number.** Armenia has about 3,000") for m in out), out
    assert len(out) == 1


def test_a_month_without_a_citation_is_reported(briefing_copy):
    panel = briefing_copy / "panels" / "03-mediators.md"
    edit(panel, "in the author's phrase.", "in the author's phrase. Talks resumed in September.")
    line = line_of(panel, "Talks resumed in September")
    assert any(m.startswith(f"panels/03-mediators.md:{line}: citation:") and "Talks resumed in September" in m
               for m in messages(briefing_copy))


def test_a_citation_of_an_unknown_source_is_reported(briefing_copy):
    panel = briefing_copy / "panels" / "02-how-we-got-here.md"
    edit(panel, "(source:aa-protocol)", "(source:aa-protokol)")
    line = line_of(panel, "aa-protokol")
    assert (f"panels/02-how-we-got-here.md:{line}: citation: cites source 'aa-protokol', "
            "which is not in the catalog's [[sources]]") in messages(briefing_copy)


def test_a_later_fact_without_the_mark_is_reported(briefing_copy):
    with sqlite3.connect(briefing_copy / "layers.gpkg") as db:
        db.execute("UPDATE iran SET start = '2024-09-01' WHERE id = 'ir-red-line'")
        db.execute("UPDATE russia SET after_article = '' WHERE id = 'ru-agarak'")
        db.execute("UPDATE eu_mission SET as_of = '2025-01-30' WHERE id = 'euma-hq'")
    out = messages(briefing_copy)
    assert ("layers.gpkg#iran/ir-red-line: start: 2024-09-01 is after the article's date (2024-05-31) "
            "but the feature is not marked as after the article (after_article = \"yes\")") in out
    assert ("layers.gpkg#russia/ru-agarak: end: 2025-01-01 is after the article's date (2024-05-31) "
            "but the feature is not marked as after the article (after_article = \"end\")") in out
    assert any(m.startswith("layers.gpkg#eu_mission/euma-hq: as_of: 2025-01-30") for m in out)
    # The later-developments layer is marked as a whole: its features need no mark of their own.
    assert not any("later_developments/" in m for m in out)


def test_the_article_date_is_catalog_data(briefing_copy):
    """Moving the article's date moves what counts as later."""
    cat = briefing_copy / "catalog.toml"
    edit(cat, "as_of = 2024-05-31", "as_of = 2024-01-31")
    out = messages(briefing_copy)
    line = line_of(cat, "id = \"csto-frozen\"") + 1
    assert (f"catalog.toml:{line}: events.after_article: event 'csto-frozen' on 2024-02-22 is after the article's "
            "date (2024-01-31) but is not marked after_article = true") in out


def test_validate_exits_1_on_citation_problems(briefing_copy, capsys):
    edit(briefing_copy / "panels" / "06-protests.md", "[[Article]](source:article)", "")
    assert main(["validate", str(briefing_copy)]) == 1
    assert "06-protests.md:3: citation:" in capsys.readouterr().out
