"""The look of a layer the user added: display name, colour, marker, line width, opacity,
label field, and whether to keep it in the briefing (copied into its folder as a GeoPackage,
listed in its catalog on the next Save)."""

from __future__ import annotations

import dataclasses
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from briefmap.model.briefing import LayerSpec, Style

MARKERS = {"o": "Circle", "s": "Square", "^": "Triangle", "D": "Diamond", "*": "Star", "P": "Plus", "X": "Cross",
           "h": "Hexagon"}
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class LayerStyleDialog(QDialog):
    def __init__(self, spec: LayerSpec, style: Style, fields: list[str], parent=None, can_keep: bool = True,
                 keep_note: str = ""):
        super().__init__(parent)
        self.setWindowTitle(f"Style “{spec.title}”")
        self.spec, self.style = spec, style
        form = QFormLayout(self)
        self.title = QLineEdit(spec.title)
        form.addRow("Display name", self.title)
        self.colour = QLineEdit(style.color)
        self.colour.setPlaceholderText("#rrggbb")
        pick = QPushButton("Choose…")
        pick.clicked.connect(self._pick)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.colour, 1)
        h.addWidget(pick)
        form.addRow("Colour", row)
        self.marker = QComboBox()
        for code, name in MARKERS.items():
            self.marker.addItem(name, code)
        self.marker.setCurrentIndex(max(self.marker.findData(style.marker), 0))
        form.addRow("Marker", self.marker)
        self.width = QDoubleSpinBox()
        self.width.setRange(0.2, 8.0)
        self.width.setSingleStep(0.2)
        self.width.setSuffix(" pt")
        self.width.setValue(style.linewidth)
        form.addRow("Line width", self.width)
        self.opacity = QDoubleSpinBox()
        self.opacity.setRange(0.1, 1.0)
        self.opacity.setSingleStep(0.05)
        self.opacity.setValue(style.alpha)
        self.opacity.setToolTip("1 draws the colour solid; less lets the map show through")
        form.addRow("Opacity", self.opacity)
        self.label = QComboBox()
        self.label.addItem("(no labels)", "")
        for f in fields:
            self.label.addItem(f, f)
        self.label.setCurrentIndex(max(self.label.findData(spec.label), 0))
        form.addRow("Label field", self.label)
        self.keep = QCheckBox("Keep in the briefing (copied into its folder; saved with Save)")
        self.keep.setEnabled(can_keep)
        form.addRow(self.keep)
        self.note = QLabel(keep_note)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(keep_note))
        form.addRow(self.note)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b2182b")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.colour.textChanged.connect(self.check)
        self.title.textChanged.connect(self.check)
        self.check()

    def _pick(self) -> None:
        got = QColorDialog.getColor(QColor(self.colour.text() if HEX.match(self.colour.text()) else "#333333"),
                                    self, "Layer colour")
        if got.isValid():
            self.colour.setText(got.name())

    def check(self) -> str:
        why = ""
        if not self.title.text().strip():
            why = "The layer needs a name."
        elif not HEX.match(self.colour.text().strip()):
            why = "The colour must read #rrggbb."
        self.problem.setText(why)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not why)
        return why

    def accept(self) -> None:
        if not self.check():
            super().accept()

    def result_spec_style(self) -> tuple[LayerSpec, Style]:
        """The layer and its style as the dialog says (the ids unchanged)."""
        title = self.title.text().strip()
        colour = self.colour.text().strip().lower()
        style = dataclasses.replace(self.style, color=colour, facecolor=colour if self.style.facecolor != "none"
                                    else "none", edgecolor=colour if self.style.edgecolor != "none" else "none",
                                    marker=self.marker.currentData(), linewidth=round(self.width.value(), 2),
                                    alpha=round(self.opacity.value(), 2),
                                    legend=title)
        spec = dataclasses.replace(self.spec, title=title, legend=title, label=self.label.currentData())
        return spec, style
