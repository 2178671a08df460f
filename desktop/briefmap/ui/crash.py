"""An unexpected error in the window: a dialog with the details and a "copy report"
button, a log under the user's state folder, and the app keeps running."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from briefmap import __version__


def log_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    if sys.platform != "linux":
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base) / "briefmap"


def report_text(exc_type, exc, tb) -> str:
    return (f"briefmap {__version__} on Python {platform.python_version()}, {platform.platform()}\n"
            f"{dt.datetime.now().isoformat(timespec='seconds')}\n\n"
            + "".join(traceback.format_exception(exc_type, exc, tb)))


def write_log(text: str) -> Path | None:
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "errors.log"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text + "\n" + "-" * 60 + "\n")
        return path
    except OSError:
        return None


def show_crash_dialog(text: str, log: Path | None, parent=None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle("briefmap: something went wrong")
    box.setText("An unexpected error occurred. briefmap keeps running; your view is unchanged.")
    box.setInformativeText(f"A report was written to {log}." if log else "The report could not be written to disk.")
    box.setDetailedText(text)
    copy = box.addButton("Copy report", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
    return box


_open_dialogs: list = []


def install() -> None:
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = report_text(exc_type, exc, tb)
        print(text, file=sys.stderr)
        log = write_log(text)
        if QApplication.instance() is not None:
            # Non-blocking: the window keeps working behind the dialog.
            box = show_crash_dialog(text, log, QApplication.activeWindow())
            _open_dialogs.append(box)
            box.finished.connect(lambda _r, b=box: _open_dialogs.remove(b))
            box.open()

    sys.excepthook = hook
