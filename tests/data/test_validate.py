"""`briefmap validate`: the built-in briefing passes; each fault in a broken copy is
pinpointed by file and line (or feature) and field."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefmap.cli import main
from briefmap.data.briefing import validate
from briefmap.data.paths import builtin_briefing_dir
from tests.briefing_files import edit, line_of


def sql(folder: Path, statement: str) -> None:
    with sqlite3.connect(folder / "layers.gpkg") as db:
        db.execute(statement)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder)]


def test_builtin_briefing_is_valid(capsys):
    assert validate(builtin_briefing_dir()) == []
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


def test_missing_panel_file_names_its_catalog_line(briefing_copy):
    (briefing_copy / "panels" / "06-protests.md").unlink()
    line = line_of(briefing_copy / "catalog.toml", 'file = "panels/06-protests.md"')
    assert any(m.startswith(f"catalog.toml:{line}: panels.file: file not found") for m in messages(briefing_copy))


def test_bad_date_names_line_and_field(briefing_copy):
    cat = briefing_copy / "catalog.toml"
    edit(cat, "date = 2024-04-23\n", 'date = "2024-04-31"\n')
    line = line_of(cat, 'date = "2024-04-31"')
    out = messages(briefing_copy)
    assert f"catalog.toml:{line}: events.date: expected a date YYYY-MM-DD, found '2024-04-31'" in out


def test_unknown_source_id_on_a_feature(briefing_copy):
    sql(briefing_copy, "UPDATE places SET source = 'nowhere' WHERE id = 'yerevan'")
    out = messages(briefing_copy)
    assert "layers.gpkg#places/yerevan: source: unknown source id 'nowhere' (not in the catalog's [[sources]])" in out


def test_feature_without_confidence(briefing_copy):
    sql(briefing_copy, "UPDATE delimitation_sections SET confidence = NULL WHERE id = 'kirants'")
    out = messages(briefing_copy)
    assert any(m.startswith("layers.gpkg#delimitation_sections/kirants: confidence: missing") for m in out), out


def test_layer_referencing_a_missing_style(briefing_copy):
    cat = briefing_copy / "catalog.toml"
    edit(cat, 'style = "route"\norder = 45', 'style = "no-such-style"\norder = 45')
    line = line_of(cat, 'style = "no-such-style"')
    assert f"catalog.toml:{line}: layers.style: unknown style 'no-such-style' (not in [[styles]])" in messages(briefing_copy)


def test_all_faults_at_once_and_exit_code(briefing_copy, capsys):
    (briefing_copy / "panels" / "06-protests.md").unlink()
    edit(briefing_copy / "catalog.toml", "date = 2024-04-23\n", 'date = "2024-13-01"\n')
    sql(briefing_copy, "UPDATE places SET source = 'nowhere' WHERE id = 'baku'")
    sql(briefing_copy, "UPDATE karabakh SET confidence = '' WHERE id = 'peacekeepers'")
    code = main(["validate", str(briefing_copy)])
    out = capsys.readouterr()
    assert code == 1
    assert "06-protests.md" in out.out and "2024-13-01" in out.out
    assert "places/baku" in out.out and "karabakh/peacekeepers" in out.out
    assert "problem(s)" in out.err


def test_broken_panel_link_names_panel_line(briefing_copy):
    panel = briefing_copy / "panels" / "02-how-we-got-here.md"
    edit(panel, "feature:delimitation_sections/kirants)", "feature:delimitation_sections/kirantz)")
    line = line_of(panel, "kirantz")
    assert (f"panels/02-how-we-got-here.md:{line}: link: links to feature 'delimitation_sections/kirantz', "
            "which does not exist") in messages(briefing_copy)


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["validate", "a", "b"])
    assert e.value.code == 2
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "nope: not a briefing folder (no such folder)" in capsys.readouterr().out


def test_window_only_marks_are_accepted_and_a_stray_one_is_named(briefing_copy):
    panel = briefing_copy / "panels" / "07-outcomes.md"
    assert "]{.window}" in panel.read_text(encoding="utf-8"), "the built-in briefing marks window-only words"
    assert messages(briefing_copy) == []
    edit(panel, "[Choose a scenario", "Choose a scenario")
    line = line_of(panel, "Choose a scenario")
    assert any(m.startswith(f"panels/07-outcomes.md:{line}: window-only:") and "{.window}" in m
               for m in messages(briefing_copy)), messages(briefing_copy)
