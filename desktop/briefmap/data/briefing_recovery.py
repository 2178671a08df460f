"""The story part of a recovery file: the timeline, bookmarks, scenarios and panel texts
the unsaved edits had, read back from the catalog and panel files the recovery holds.

The recovered catalog is read with the catalog's own reader (data/catalog.py), against the
briefing's folder; what it reports is not shown here, because the restored edits are
checked again, like every edit, when the user saves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefmap.data.catalog import CATALOG, _briefing, _Reader
from briefmap.data.errors import BriefingError
from briefmap.data.recovery import Recovery, RecoveryError
from briefmap.data.toml_lines import KeyLines
from briefmap.model.briefing import Bookmark, Briefing, Event, Scenario


@dataclass
class RecoveredStory:
    events: list[Event]
    bookmarks: list[Bookmark]
    scenarios: list[Scenario]
    panel_texts: dict[str, str]  # panel id -> its text


def recovered_story(b: Briefing, recovery: Recovery) -> RecoveredStory | None:
    """What the recovery says the briefing's story was; None when it holds no catalog."""
    raw = recovery.files.get(CATALOG)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
        got = _briefing(_Reader(CATALOG, KeyLines(text)), Path(b.root), tomllib.loads(text))
        panels = {p.id: recovery.files[p.file].decode("utf-8") for p in got.panels if p.file in recovery.files}
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, BriefingError) as exc:
        raise RecoveryError(f"{recovery.path}: the recovered catalog cannot be read ({exc})") from None
    return RecoveredStory(got.events, got.bookmarks, got.scenarios, panels)
