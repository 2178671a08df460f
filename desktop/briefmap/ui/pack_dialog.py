"""File → Export briefing pack…: a PDF handout or a PowerPoint deck of the chosen
scenarios, with progress and cancel.

The pack is written by `briefmap pack` in a child process: the window stays responsive,
its matplotlib settings are untouched, and Cancel stops the job at once (the job removes
its temporary file; nothing is written).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from briefmap.model.briefing import Briefing
from briefmap.model.naming import policy_for
from briefmap.model.view import ViewState

FORMATS = (("Handout (PDF)", ".pdf"), ("Slides (PowerPoint)", ".pptx"))


def pack_command(args: list[str]) -> tuple[str, list[str]]:
    """How to run `briefmap ARGS` from this process: the bundle runs itself."""
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "briefmap", *args]


class PackDialog(QDialog):
    def __init__(self, briefing: Briefing, state: ViewState, folder: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export briefing pack")
        self.briefing, self.state = briefing, state
        self.folder = folder or str(Path.home())
        self.process: QProcess | None = None
        self.cancelled = False

        self.format = QComboBox()
        for label, suffix in FORMATS:
            self.format.addItem(label, suffix)
        self.format.currentIndexChanged.connect(self._suffix_changed)
        self.scenarios = QListWidget()
        for s in briefing.scenarios:
            item = QListWidgetItem(s.title)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.scenarios.addItem(item)
        self.scenarios.setMaximumHeight(self.scenarios.sizeHintForRow(0) * (len(briefing.scenarios) + 1) + 8)
        self.path = QLineEdit(str(Path(self.folder) / f"{briefing.id}-pack.pdf"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Scenarios", self.scenarios)
        form.addRow("File", row)
        as_of = state.date.isoformat() if state.date else "the article's date"
        names = policy_for(briefing.naming, state.names).title
        note = QLabel(f"As in the window: names {names.lower()}; as of {as_of}.")
        note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(note)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.export_button, self.cancel_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ choices
    def _suffix_changed(self) -> None:
        path = Path(self.path.text().strip() or f"{self.briefing.id}-pack")
        self.path.setText(str(path.with_suffix(self.format.currentData())))

    def _browse(self) -> None:
        suffix = self.format.currentData()
        name, _ = QFileDialog.getSaveFileName(self, "Export briefing pack", self.path.text(), f"*{suffix}")
        if name:
            self.path.setText(str(Path(name).with_suffix(suffix)))

    def chosen_scenarios(self) -> list[str]:
        out = []
        for i in range(self.scenarios.count()):
            item = self.scenarios.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def arguments(self) -> list[str]:
        args = ["pack", "-o", self.path.text().strip(), "--scenarios", ",".join(self.chosen_scenarios()),
                "--briefing", str(self.briefing.root), "--names", self.state.names, "--progress"]
        if self.state.date:
            args += ["--date", self.state.date.isoformat()]
        # The user's own layers shown in the window go on every map too.
        for spec in self.briefing.layers:
            if spec.user_file and spec.id in self.state.visible:
                args += ["--add-layer", spec.user_file]
        return args

    # ------------------------------------------------------------------ the job
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def start(self) -> None:
        if not self.chosen_scenarios():
            self.status.setText("Choose at least one scenario.")
            return
        if not self.path.text().strip():
            self.status.setText("Choose a file to write.")
            return
        self.cancelled = False
        self.progress.setRange(0, 0)  # busy until the job counts its pages
        self.status.setText("Starting…")
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        proc = QProcess(self)
        proc.readyReadStandardOutput.connect(self._read_progress)
        proc.finished.connect(self._finished)
        program, args = pack_command(self.arguments())
        self.process = proc
        proc.start(program, args)

    def _read_progress(self) -> None:
        assert self.process is not None
        text = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        for line in text.splitlines():
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[0] == "progress" and parts[1].isdigit() and parts[2].isdigit():
                done, total = int(parts[1]), int(parts[2])
                self.progress.setRange(0, max(total, 1))
                self.progress.setValue(done)
                self.status.setText(parts[3] if len(parts) > 3 else "")

    def _finished(self, code: int, _status) -> None:
        assert self.process is not None
        err = bytes(self.process.readAllStandardError()).decode("utf-8", "replace").strip()
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.cancelled:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.status.setText("Cancelled; nothing was written.")
        elif code == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.status.setText(f"Wrote {self.path.text().strip()}")
        else:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.status.setText(err.splitlines()[-1] if err else f"The pack failed (exit code {code}).")

    def cancel(self) -> None:
        if not self.running():
            return
        assert self.process is not None
        self.cancelled = True
        self.status.setText("Cancelling…")
        # SIGTERM: the job unwinds and removes its temporary file.
        self.process.terminate()
        if not self.process.waitForFinished(5000):
            self.process.kill()
            self.process.waitForFinished(2000)

    def reject(self) -> None:
        self.cancel()
        super().reject()

