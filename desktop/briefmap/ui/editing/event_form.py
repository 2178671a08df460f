"""The timeline event form: date, title, description, source (one of the briefing's or a
new one), confidence, precision and the features the event concerns. What is wrong is said
beside the field in plain text, and OK stays disabled until nothing is; an event dated
after the article is announced as a later development before it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
)

from briefmap.model.briefing import Briefing, Source
from briefmap.model.briefing_edits import (
    PRECISIONS,
    EventDraft,
    LinkChoice,
    event_problems,
    is_later_development,
)
from briefmap.model.features import CONFIDENCE_LEVELS
from briefmap.ui.briefing_text import human_date
from briefmap.ui.editing.choice_list import ROLE, choice_item, filter_rows
from briefmap.ui.editing.source_field import SourceField, problem_label


class EventForm(QDialog):
    def __init__(self, briefing: Briefing, draft: EventDraft, features: list[LinkChoice], parent=None,
                 title: str = "Timeline event"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("event-form")
        self.briefing = briefing
        self.problem_labels: dict[str, object] = {}
        form = QFormLayout()
        self.date = QLineEdit(draft.date_text)
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.date.setAccessibleName("Event date")
        self._row(form, "Date", self.date, "date")
        self.later = problem_label()
        self.later.setStyleSheet("color: #5e3c99")
        form.addRow("", self.later)
        self.precision = QComboBox()
        self.precision.addItems(PRECISIONS)
        self.precision.setCurrentText(draft.precision)
        self.precision.setToolTip("How exactly the date is known: to the day, the month or the year")
        self._row(form, "Precision", self.precision, "precision")
        self.title = QLineEdit(draft.title)
        self.title.setAccessibleName("Event title")
        self._row(form, "Title", self.title, "title")
        self.text = QPlainTextEdit(draft.text)
        self.text.setFixedHeight(70)
        form.addRow("Description", self.text)
        self.source_field = SourceField(briefing, draft.source)
        self.source, self.new_box = self.source_field.combo, self.source_field.box
        self.source.setAccessibleName("Event source")
        f = self.source_field
        self.src_title, self.src_publisher, self.src_url, self.src_date = f.title, f.publisher, f.url, f.date
        self._row(form, "Source", self.source, "source")
        self.problem_labels["new_source"] = f.problem
        form.addRow(self.new_box)
        self.confidence = QComboBox()
        if not draft.confidence:  # an event from a catalog that does not say: left unsaid unless chosen
            self.confidence.addItem("(not stated)", "")
        for level in CONFIDENCE_LEVELS:
            self.confidence.addItem(level, level)
        self.confidence.setCurrentIndex(self.confidence.findData(draft.confidence))
        self._row(form, "Confidence", self.confidence, "confidence")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter features…")
        self.features = QListWidget()
        self.features.setAccessibleName("Linked features")
        self.features.setMinimumHeight(140)
        chosen = set(draft.features)
        for choice in features:
            item = choice_item(choice)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.target in chosen else Qt.CheckState.Unchecked)
            self.features.addItem(item)
        self.filter.textChanged.connect(self._filter)
        box = QVBoxLayout()
        box.addWidget(self.filter)
        box.addWidget(self.features)
        form.addRow("Features", box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.resize(680, 720)
        for w in (self.date, self.title):
            w.textChanged.connect(self.check)
        self.source_field.connect(self.check)
        for w in (self.confidence, self.precision):
            w.currentIndexChanged.connect(self.check)
        self.check()

    def _row(self, form: QFormLayout, label: str, widget, key: str) -> None:
        box = QVBoxLayout()
        box.addWidget(widget)
        self.problem_labels[key] = problem_label()
        box.addWidget(self.problem_labels[key])
        form.addRow(label, box)

    def _filter(self, text: str) -> None:
        filter_rows(self.features, text)

    # ------------------------------------------------------------------ reading the form
    def draft(self) -> EventDraft:
        source = self.source_field.source_id()
        linked = tuple(self.features.item(i).data(ROLE) for i in range(self.features.count())
                       if self.features.item(i).checkState() == Qt.CheckState.Checked)
        return EventDraft(title=self.title.text(), date_text=self.date.text(), text=self.text.toPlainText(),
                          source=source, confidence=self.confidence.currentData(),
                          precision=self.precision.currentText(), features=linked)

    @property
    def new_source(self) -> Source | None:
        """The source typed in the form, when it is the one chosen and valid."""
        return self.source_field.new_source

    def problems(self) -> dict[str, str]:
        out, known = self.source_field.problems()
        out.update(event_problems(self.draft(), self.briefing, known))
        if "new_source" in out:
            out.pop("source", None)  # said once, on the new source's fields
        return out

    def check(self) -> dict[str, str]:
        found = self.problems()
        for key, label in self.problem_labels.items():
            label.setText(found.get(key, ""))
            label.setVisible(key in found)
        date = self.draft().date
        later = date is not None and "date" not in found and is_later_development(date, self.briefing)
        self.later.setText(f"After the article ({human_date(self.briefing.article_as_of)}): "
                           "shown as a later development." if later else "")
        self.later.setVisible(later)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not found)
        return found

    def accept(self) -> None:
        if not self.check():
            super().accept()
