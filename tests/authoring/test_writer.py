"""The briefing writer: round trips on real folders, atomic files, read-only built-in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.catalog import load_catalog
from briefmap.data.new_briefing import copy_briefing
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.writer import ReadOnlyBriefing, bump_version, save_as, save_briefing
from briefmap.model.briefing import Bookmark, Event, Source


def comparable(b) -> dict:
    d = dataclasses.asdict(b)
    for key in ("root", "version"):
        d.pop(key)
    return d


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "copy"
    copy_briefing(folder, builtin_briefing_dir())
    return folder


def test_unchanged_briefing_round_trips_to_the_same_content(copy):
    before = load_catalog(copy)
    save_briefing(before, "No change", today=dt.date(2026, 11, 28))
    after = load_catalog(copy)
    assert comparable(after) == comparable(before)
    assert validate(copy) == []


def test_edits_are_saved_validated_and_logged_with_a_new_version(copy):
    text_before = (copy / "catalog.toml").read_text(encoding="utf-8")
    b, _tables = open_briefing(copy)
    version = b.version
    b.title = "South Caucasus: border talks, late 2026"
    b.bookmarks.append(Bookmark("syunik", "Syunik", (45.9, 38.8, 46.7, 39.7)))
    b.sources["whitehouse-2025-08-08"] = Source("whitehouse-2025-08-08", "Joint Declaration of Armenia and Azerbaijan",
                                                publisher="The White House", date="2025-08-08")
    b.events.append(Event("treaty-initialled", dt.date(2025, 8, 8), "Peace treaty text initialled",
                          "Initialled at the White House summit.", "whitehouse-2025-08-08", after_article=True))
    b.panels = [dataclasses.replace(p, title="Bottom line (updated)") if p.id == "bottom-line" else p for p in b.panels]
    new_text = "# Bottom line\n\nUpdated after the summit [[White House]](source:whitehouse-2025-08-08).\n"
    assert save_briefing(b, "Added the initialled treaty; Syunik bookmark",
                         panels={"panels/01-bottom-line.md": new_text}, today=dt.date(2026, 11, 28)) == bump_version(version)
    assert validate(copy) == []
    again, _ = open_briefing(copy)
    assert again.title == b.title
    assert again.version == bump_version(version)
    assert again.bookmark("syunik").bounds == (45.9, 38.8, 46.7, 39.7)
    assert "treaty-initialled" in {e.id for e in again.events}
    assert again.panel("bottom-line").title == "Bottom line (updated)"
    assert again.panel("bottom-line").text == new_text
    raw = (copy / "catalog.toml").read_text(encoding="utf-8")
    log = tomllib.loads(raw)["changes"]
    assert log[-1] == {"version": again.version, "date": dt.date(2026, 11, 28),
                       "summary": "Added the initialled treaty; Syunik bookmark"}
    # The hand-written comments of the catalog survive the save.
    for line in text_before.splitlines():
        if line.startswith("#"):
            assert line in raw
    assert not [p for p in copy.rglob("*.part")]


def test_a_fresh_catalog_round_trips(tmp_path):
    from briefmap.cli import main

    folder = tmp_path / "balkans"
    assert main(["new", str(folder), "--title", "Western Balkans", "--bbox", "13,39,24,47", "--no-admin1"]) == 0
    b = load_catalog(folder)
    save_briefing(b, "First edit", today=dt.date(2026, 11, 29))
    again = load_catalog(folder)
    assert comparable(again) == comparable(b) and again.version == "0.1.1"
    assert validate(folder) == []


def test_the_builtin_briefing_is_read_only(tmp_path):
    b = load_catalog(builtin_briefing_dir())
    before = (builtin_briefing_dir() / "catalog.toml").read_bytes()
    with pytest.raises(ReadOnlyBriefing, match="Save As"):
        save_briefing(b, "try")
    assert (builtin_briefing_dir() / "catalog.toml").read_bytes() == before
    # Save As writes a copy and leaves the built-in as it was.
    save_as(b, tmp_path / "mine", "A copy to edit", today=dt.date(2026, 11, 28))
    assert b.root == tmp_path / "mine"
    assert validate(tmp_path / "mine") == []
    assert (builtin_briefing_dir() / "catalog.toml").read_bytes() == before


def test_a_save_that_fails_midway_leaves_the_old_catalog(copy, monkeypatch):
    before = (copy / "catalog.toml").read_bytes()
    b = load_catalog(copy)
    b.title = "Changed"

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        save_briefing(b, "will fail")
    assert (copy / "catalog.toml").read_bytes() == before
    assert not [p for p in copy.rglob("*.part")]


def test_bump_version():
    assert bump_version("1.0.0") == "1.0.1"
    assert bump_version("0.9") == "0.10"
    assert bump_version("draft") == "draft.1"


def test_a_save_that_does_not_validate_is_refused_and_changes_nothing(copy):
    from briefmap.data.errors import BriefingError

    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    b = load_catalog(copy)
    version = b.version
    b.title = "Kept in memory"
    b.events.append(Event("no-source", dt.date(2024, 1, 10), "An event", "Text.", "nobody-said-so"))
    with pytest.raises(BriefingError, match="nobody-said-so"):
        save_briefing(b, "will be refused", panels={"panels/01-bottom-line.md": "# Changed\n"})
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
    assert b.version == version and b.title == "Kept in memory"  # the user's edits stay in memory


def test_an_unchanged_catalog_is_written_back_byte_for_byte():
    # Keys a person spelled out with their default value (edgecolor = "none") stay.
    from briefmap.data.writer import catalog_document

    text = (builtin_briefing_dir() / "catalog.toml").read_text(encoding="utf-8")
    assert catalog_document(load_catalog(builtin_briefing_dir()), text).as_string() == text


def test_added_and_removed_tables_leave_the_next_sections_heading_in_place():
    from briefmap.data.writer import catalog_document
    from briefmap.model.briefing import Style

    text = (builtin_briefing_dir() / "catalog.toml").read_text(encoding="utf-8")
    b = load_catalog(builtin_briefing_dir())
    b.styles["unused-by-any-layer"] = Style(id="unused-by-any-layer")
    b.styles["tavush-frame"] = Style(id="tavush-frame", color="#ff0000")
    b.layers[0] = dataclasses.replace(b.layers[0], style="tavush-frame")
    b.bookmarks.pop()  # the last bookmark, above the scenarios' heading
    b.events.append(Event("joint-appeal", dt.date(2025, 8, 8), "Joint appeal", "X", "factsheet", after_article=True))
    out = catalog_document(b, text).as_string()
    data = tomllib.loads(out)
    assert "unused-by-any-layer" not in {s["id"] for s in data["styles"]}
    frame = out.index('id = "tavush-frame"')
    assert frame < out.index("--- layers") and out.index("--- layers") < out.index("[[layers]]")
    assert out.index("--- scenarios") < out.index("[[scenarios]]")
    assert '\n\n[[events]]\nid = "joint-appeal"' in out


def test_only_edited_panels_are_written(copy):
    from briefmap.data.writer import changed_panels

    crlf = copy / "panels" / "02-how-we-got-here.md"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    b = load_catalog(copy)
    assert changed_panels(b) == {}
    first = b.panels[0]
    b.panels[0] = dataclasses.replace(first, text=first.text + "\nOne more line.\n")
    assert changed_panels(b) == {first.file: first.text + "\nOne more line.\n"}
