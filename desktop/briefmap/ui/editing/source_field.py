"""The source field every editor form shares: one of the briefing's sources, or a new one
typed in place (title, publisher, URL, date). Its checks live in the model
(`model.briefing_edits.make_source`); what is wrong is said beside it, in plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit

from briefmap.model.briefing import Briefing, Source
from briefmap.model.briefing_edits import make_source

NEW_SOURCE = "__new__"


def problem_label() -> QLabel:
    """A label for what is wrong with a field: plain text (the user's words are never markup)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #b2182b")
    label.setWordWrap(True)
    label.hide()
    return label


class SourceField:
    """The source combo ("New source…" last) and the box for a new source's fields."""

    def __init__(self, briefing: Briefing, current: str) -> None:
        self.briefing = briefing
        self.new_source: Source | None = None
        self.combo = QComboBox()
        for s in briefing.sources.values():
            self.combo.addItem(s.citation() or s.title, s.id)
        self.combo.addItem("New source…", NEW_SOURCE)
        # Citations are long: the box stays narrow and the list shows them whole.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(40)
        self.combo.view().setMinimumWidth(560)
        i = self.combo.findData(current)
        # A briefing with no sources yet starts on "New source…"; otherwise the user picks.
        self.combo.setCurrentIndex(i if i >= 0 else self.combo.count() - 1 if not briefing.sources else -1)
        self.box = QGroupBox("New source")
        fields = QFormLayout(self.box)
        self.title, self.publisher, self.url, self.date = (QLineEdit() for _ in range(4))
        self.date.setPlaceholderText("YYYY-MM-DD")
        for label, w in (("Title", self.title), ("Publisher", self.publisher), ("URL", self.url),
                         ("Date", self.date)):
            fields.addRow(label, w)
        self.problem = problem_label()
        fields.addRow(self.problem)

    def connect(self, slot) -> None:
        """Call `slot` on every change of the field."""
        self.combo.currentIndexChanged.connect(slot)
        for w in (self.title, self.publisher, self.url, self.date):
            w.textChanged.connect(slot)

    def source_id(self) -> str:
        source = self.combo.currentData() or ""
        if source == NEW_SOURCE:
            return self.new_source.id if self.new_source else ""
        return source

    def problems(self) -> tuple[dict[str, str], set[str]]:
        """What is wrong with the new source being typed (under "new_source"), and the
        source ids a draft may name (the briefing's, and the new one once it is valid)."""
        adding = self.combo.currentData() == NEW_SOURCE
        self.box.setVisible(adding)
        self.new_source, why = None, ""
        if adding:
            self.new_source, why = make_source(self.title.text(), self.publisher.text(), self.url.text(),
                                               self.date.text(), self.briefing.sources)
        known = set(self.briefing.sources) | ({self.new_source.id} if self.new_source else set())
        return ({"new_source": why} if why else {}), known
