"""Windows for the ui tests: the real built-in briefing, a throwaway settings file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from briefmap.ui.app import open_window
from tests.windows import shown


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, briefing, tables, settings):
    """The main window, shown at 1400×900 and painted once."""
    win = open_window(briefing, tables, settings)
    return shown(qtbot, win)


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Recovery files go to the test's own folder, never the user's state folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
