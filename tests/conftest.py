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
