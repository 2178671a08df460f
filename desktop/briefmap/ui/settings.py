"""What the app remembers between runs, in Qt's own settings store (QSettings writes its
file atomically). Anything unreadable or of the wrong kind falls back to a default, and
the user is told once."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from briefmap.data.paths import describe_path_problem
from briefmap.model.briefing import Briefing


@dataclass
class Remembered:
    geometry: QByteArray | None = None
    window_state: QByteArray | None = None
    visible: tuple[str, ...] | None = None
    scenario: str = ""
    date: dt.date | None = None
    names: str = ""
    export_dir: str = ""
    recent: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


PROBLEM = "briefmap_problem"


def settings_path() -> Path:
    """Where Qt keeps the user's settings (IniFormat, user scope) on this system."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(base) / "briefmap" / "briefmap.ini"


def open_settings(path: str | None = None) -> QSettings:
    """The settings store; one that is not a regular file (a FIFO would block start-up for
    ever as QSettings reads it) is left alone and the app runs on defaults, saying so."""
    file = Path(path) if path else settings_path()
    if os.path.lexists(file):
        why = describe_path_problem(file)
        if why:
            fallback = QSettings(str(Path(tempfile.mkdtemp(prefix="briefmap-settings-")) / "briefmap.ini"),
                                 QSettings.Format.IniFormat)
            fallback.setProperty(PROBLEM, f"the settings file cannot be used ({why}); defaults are used "
                                          "and nothing is saved there")
            return fallback
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "briefmap", "briefmap")


def load(settings: QSettings, briefing: Briefing) -> Remembered:
    r = Remembered()
    if settings.property(PROBLEM):
        r.problems.append(str(settings.property(PROBLEM)))
        return r
    if settings.status() != QSettings.Status.NoError:
        r.problems.append(f"the settings file {settings.fileName()} could not be read; defaults are used")
        return r

    def value(key: str, kind: type):
        v = settings.value(key)
        if v is None:
            return None
        if not isinstance(v, kind):
            r.problems.append(f"setting '{key}' has the wrong kind of value; ignored")
            return None
        return v

    r.geometry = value("window/geometry", QByteArray)
    r.window_state = value("window/state", QByteArray)
    r.export_dir = value("export/folder", str) or ""
    recent = settings.value("recent/briefings")
    if isinstance(recent, str):
        recent = [recent]
    r.recent = [p for p in (recent or []) if isinstance(p, str)][:8]
    prefix = f"briefing/{briefing.id}/"
    visible = settings.value(prefix + "visible")
    if isinstance(visible, str):
        visible = [visible] if visible else []
    if visible is not None:
        if isinstance(visible, list) and all(isinstance(v, str) for v in visible):
            r.visible = tuple(v for v in visible if v in briefing.layer_ids)
        else:
            r.problems.append("setting 'visible layers' is not a list of layer ids; ignored")
    scenario = value(prefix + "scenario", str)
    if scenario and scenario in {s.id for s in briefing.scenarios}:
        r.scenario = scenario
    elif scenario:
        r.problems.append(f"remembered scenario {scenario!r} is not in this briefing; ignored")
    names = value(prefix + "names", str)
    if names in {p.id for p in briefing.naming}:
        r.names = names
    date = value(prefix + "date", str)
    if date:
        try:
            d = dt.date.fromisoformat(date)
            if briefing.date_min <= d <= briefing.date_max:
                r.date = d
        except ValueError:
            r.problems.append(f"remembered date {date!r} is not a date; ignored")
    return r


def save(settings: QSettings, briefing: Briefing, *, geometry: QByteArray, window_state: QByteArray,
         visible: tuple[str, ...], scenario: str, date: dt.date | None, names: str, export_dir: str,
         recent: list[str]) -> None:
    settings.setValue("window/geometry", geometry)
    settings.setValue("window/state", window_state)
    settings.setValue("export/folder", export_dir)
    settings.setValue("recent/briefings", list(recent)[:8])
    prefix = f"briefing/{briefing.id}/"
    settings.setValue(prefix + "visible", list(visible))
    settings.setValue(prefix + "scenario", scenario)
    settings.setValue(prefix + "date", date.isoformat() if date else "")
    settings.setValue(prefix + "names", names)
    settings.sync()
