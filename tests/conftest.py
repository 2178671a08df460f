"""Shared fixtures: the real built-in briefing, loaded once, and broken copies of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from briefmap.data.briefing import open_briefing
from briefmap.data.paths import builtin_briefing_dir


@pytest.fixture(scope="session")
def _widths_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("text-widths")


@pytest.fixture(autouse=True)
def _widths_kept_apart(_widths_folder, monkeypatch):
    """Exports in tests keep the text widths they measure in a folder of the test session,
    not in the user's cache (render/measure_store.py)."""
    from briefmap.render import measure_store

    monkeypatch.setattr(measure_store, "folder", lambda: _widths_folder)


@pytest.fixture(scope="session")
def builtin():
    """(briefing, tables) of the shipped South Caucasus briefing."""
    return open_briefing(builtin_briefing_dir())


@pytest.fixture(scope="session")
def briefing(builtin):
    return builtin[0]


@pytest.fixture(scope="session")
def tables(builtin):
    return builtin[1]


@pytest.fixture
def briefing_copy(tmp_path: Path) -> Path:
    """A writable copy of the built-in briefing folder."""
    dest = tmp_path / "briefing"
    shutil.copytree(builtin_briefing_dir(), dest)
    return dest
