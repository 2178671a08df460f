"""The `[sheet]` table kept from the catalog reader's parse (data/catalog_toml.py)."""

from __future__ import annotations

import tomllib

import pytest

from briefmap.data.briefing import open_briefing
from briefmap.data.catalog_toml import parse_catalog_toml, sheet_table
from briefmap.data.sheet_settings import read_sheet_settings

CATALOG = '[briefing]\ntitle = "A"\n\n[sheet]\nfocus = ["ARM", "AZE"]\ncredit = "Ours"\n'


def test_the_sheet_table_is_the_one_of_the_text_asked_about():
    parse_catalog_toml(CATALOG)
    assert sheet_table(CATALOG) == {"focus": ["ARM", "AZE"], "credit": "Ours"}
    edited = CATALOG.replace('"Ours"', '"Theirs"')
    assert sheet_table(edited)["credit"] == "Theirs"  # another text: parsed, not the kept table
    assert sheet_table('[briefing]\ntitle = "B"\n') == {}
    with pytest.raises(tomllib.TOMLDecodeError):
        sheet_table("[sheet\nfocus = 1\n")


def test_settings_read_after_the_catalog_follow_an_edit_on_disk(briefing_copy):
    briefing, _tables = open_briefing(briefing_copy)
    before = read_sheet_settings(briefing.root, briefing)
    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    credit = next(line for line in text.splitlines() if line.startswith("credit = "))
    catalog.write_text(text.replace(credit, 'credit = "Edited credit line"'), encoding="utf-8")
    after = read_sheet_settings(briefing.root, briefing)
    assert after.credit == "Edited credit line" != before.credit
    assert after.focus == before.focus
