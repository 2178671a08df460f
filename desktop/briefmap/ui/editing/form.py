"""The feature form: names (each usage the briefing's naming policies show), description,
source (one of the briefing's or a new one), as of, confidence and valid from/to. What is
wrong is said beside the field, in plain text, and OK stays disabled until nothing is."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefmap.model.briefing import Briefing, Source
from briefmap.model.edits import FeatureDraft, draft_problems, usage_fields
from briefmap.model.features import CONFIDENCE_LEVELS
from briefmap.ui.editing.source_field import SourceField, problem_label


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class FeatureForm(QDialog):
    def __init__(self, briefing: Briefing, draft: FeatureDraft, parent=None, title: str = "Point",
                 kind: str = "point", shape_note: str = "", shape_error: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.briefing = briefing
        self.kind = kind
        self.shape_error = shape_error  # the drawn shape cannot be kept: saving stays blocked
        self.problem_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        # What happened to the drawn shape (repaired, or why it is refused), above everything else.
        self.shape_note = QLabel(shape_note)
        self.shape_note.setTextFormat(Qt.TextFormat.PlainText)
        self.shape_note.setWordWrap(True)
        self.shape_note.setStyleSheet("color: #7a4b00")
        self.shape_note.setVisible(bool(shape_note))
        form.addRow(self.shape_note)
        self.problem_labels["shape"] = problem_label()
        form.addRow(self.problem_labels["shape"])
        self.name = QLineEdit(draft.name)
        self._row(form, "Text" if kind == "note" else "Name", self.name, "name")
        titles = {f: p.title for p in briefing.naming for f in p.fields if len(p.fields) == 1}
        self.usages: dict[str, QLineEdit] = {}
        # A note is the user's own words, not a place name: it has no usages.
        for f in usage_fields(briefing) if kind != "note" else ():
            self.usages[f] = QLineEdit(draft.usages.get(f, ""))
            self._row(form, f"Name ({titles.get(f, f)})", self.usages[f], f)
        self.description = QPlainTextEdit(draft.description)
        self.description.setFixedHeight(70)
        form.addRow("Description", self.description)
        self.source_field = SourceField(briefing, draft.source)
        self.source, self.new_box = self.source_field.combo, self.source_field.box
        f = self.source_field
        self.src_title, self.src_publisher, self.src_url, self.src_date = f.title, f.publisher, f.url, f.date
        self._row(form, "Source", self.source, "source")
        self.problem_labels["new_source"] = f.problem
        form.addRow(self.new_box)
        self.as_of = QDateEdit(_qdate(draft.as_of or dt.date.today()))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self._row(form, "As of", self.as_of, "as_of")
        self.confidence = QComboBox()
        self.confidence.addItems(CONFIDENCE_LEVELS)
        self.confidence.setCurrentText(draft.confidence)
        self._row(form, "Confidence", self.confidence, "confidence")
        self.start_on, self.start = self._optional_date(draft.start)
        self.end_on, self.end = self._optional_date(draft.end)
        self._row(form, "Valid from", self._pair(self.start_on, self.start), "start")
        self._row(form, "Valid to", self._pair(self.end_on, self.end), "end")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        for w in (self.name, *self.usages.values()):
            w.textChanged.connect(self.check)
        self.source_field.connect(self.check)
        self.confidence.currentIndexChanged.connect(self.check)
        for w in (self.as_of, self.start, self.end):
            w.dateChanged.connect(self.check)
        for w in (self.start_on, self.end_on):
            w.toggled.connect(self.check)
        self.check()

    def _row(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(widget)
        self.problem_labels[key] = problem_label()
        v.addWidget(self.problem_labels[key])
        form.addRow(label, box)

    def _optional_date(self, value: dt.date | None) -> tuple[QCheckBox, QDateEdit]:
        on = QCheckBox()
        on.setChecked(value is not None)
        edit = QDateEdit(_qdate(value or dt.date.today()))
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setEnabled(value is not None)
        on.toggled.connect(edit.setEnabled)
        return on, edit

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        w = QWidget()
        h = QHBoxLayout(w)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(a)
        h.addWidget(b, 1)
        return w

    # ------------------------------------------------------------------ reading the form
    def draft(self) -> FeatureDraft:
        source = self.source_field.source_id()
        return FeatureDraft(name=self.name.text(), usages={k: w.text() for k, w in self.usages.items()},
                            description=self.description.toPlainText(), source=source,
                            as_of=_pydate(self.as_of.date()), confidence=self.confidence.currentText(),
                            start=_pydate(self.start.date()) if self.start_on.isChecked() else None,
                            end=_pydate(self.end.date()) if self.end_on.isChecked() else None)

    @property
    def new_source(self) -> Source | None:
        """The source typed in the form, when it is the one chosen and valid."""
        return self.source_field.new_source

    def problems(self) -> dict[str, str]:
        out, known = self.source_field.problems()
        if self.shape_error:
            out["shape"] = self.shape_error
        out.update(draft_problems(self.draft(), self.briefing, known))
        if self.kind == "note" and "name" in out:
            out["name"] = "Type the note's text."
        if "new_source" in out:
            out.pop("source", None)  # said once, on the new source's fields
        return out

    def check(self) -> dict[str, str]:
        found = self.problems()
        for key, label in self.problem_labels.items():
            label.setText(found.get(key, ""))
            label.setVisible(key in found)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not found)
        return found

    def accept(self) -> None:
        if not self.check():
            super().accept()
