"""File → New briefing…: what `briefmap new` does, from the window, then opens it (the
menu command is made by ui/window_actions.py; this module is imported when it is used)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from briefmap.data.bbox import Box


class NewBriefingDialog(QDialog):
    """Title, region (typed, or taken from the map's current view) and a new folder."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window_ = window
        self.created: Path | None = None
        self.setWindowTitle("New briefing")
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("e.g. Horn of Africa: ports and bases")
        self.spins = {}
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for key, lo, hi in (("west", -180, 180), ("south", -90, 90), ("east", -180, 180), ("north", -90, 90)):
            s = QDoubleSpinBox(box)
            s.setRange(lo, hi)
            s.setDecimals(2)
            s.setSuffix("°")
            s.setToolTip(f"{key} edge in degrees")
            self.spins[key] = s
            row.addWidget(QLabel(key.capitalize(), box))
            row.addWidget(s)
        self.from_view = QPushButton("Use the map's current view", self)
        self.from_view.clicked.connect(self.use_current_view)
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("a new folder (it must not exist yet)")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        folder_row = QWidget(self)
        fr = QHBoxLayout(folder_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.addWidget(self.folder)
        fr.addWidget(browse)
        self.admin1 = QCheckBox("Include provinces and regions (admin-1)", self)
        self.admin1.setChecked(True)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a12b1f")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = buttons.addButton("Create and open", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Title", self.title)
        form.addRow("Region", box)
        form.addRow("", self.from_view)
        form.addRow("Folder", folder_row)
        form.addRow("", self.admin1)
        form.addRow(self.message)
        form.addRow(buttons)
        self.use_current_view()

    def box(self) -> Box:
        s = self.spins
        return (s["west"].value(), s["south"].value(), s["east"].value(), s["north"].value())

    def set_box(self, box: Box) -> None:
        for key, value in zip(("west", "south", "east", "north"), box, strict=True):
            self.spins[key].setValue(value)

    def use_current_view(self) -> None:
        """The lon/lat box around what the map shows now."""
        from briefmap.data.projection import to_lonlat

        r = self.window_.canvas.map_renderer
        x0, y0, x1, y1 = r.extent()
        corners = [to_lonlat(x, y, r.briefing.crs) for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
        lons, lats = [c[0] for c in corners], [c[1] for c in corners]
        self.set_box((round(min(lons), 2), round(min(lats), 2), round(max(lons), 2), round(max(lats), 2)))

    def _browse(self) -> None:
        parent = QFileDialog.getExistingDirectory(self, "Where to put the new briefing", str(Path.home()))
        if parent:
            name = self.title.text().strip() or "briefing"
            from briefmap.data.new_briefing import slug

            self.folder.setText(str(Path(parent) / slug(name)))

    def create(self) -> None:
        from briefmap.data.new_briefing import NewBriefingError, create_briefing

        self.message.clear()
        if not self.folder.text().strip():
            self.message.setText("Choose a folder for the new briefing.")
            return
        folder = Path(self.folder.text().strip()).expanduser()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            create_briefing(folder, self.title.text(), self.box(), with_admin1=self.admin1.isChecked())
        except (NewBriefingError, OSError) as exc:
            self.message.setText(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.created = folder
        self.accept()

