"""The panel Markdown editor: the text on the left, a live preview on the right rendered the
way the Briefing tab renders a panel (the same SafeBrowser: Qt's Markdown without HTML, no
image outside the briefing folder, citations drawn smaller), a picker that inserts
`feature:`, `event:` and `panel:` links, and the validation's link and citation checks
for the text as it is typed. OK makes the change one undoable command.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefmap.data.briefing import check_references
from briefmap.data.citations import check_panels
from briefmap.model.briefing import Panel
from briefmap.model.briefing_edits import LINK_KINDS, LinkChoice, link_choices, with_panel_text
from briefmap.ui.briefing_text import style_citations
from briefmap.ui.editing.choice_list import ROLE, choice_item, filter_rows
from briefmap.ui.panels import SafeBrowser
from briefmap.ui.safe_text import plain_label

PREVIEW_DELAY_MS = 150


class PanelEditing:
    def __init__(self, content):
        self.content = content

    def open_editor(self, panel_id: str = "") -> PanelEditor | None:
        c = self.content
        if not c.briefing.panels:
            c.win.statusBar().showMessage("This briefing has no panels", 5000)
            return None
        editor = PanelEditor(self, panel_id or c.win.panels.current or c.briefing.panels[0].id, c.win)
        if self.exec_editor(editor):
            self.set_text(editor.panel_id, editor.text.toPlainText())
        return editor

    def exec_editor(self, editor: PanelEditor) -> bool:
        """Show the editor; tests replace this to type and click as a user would."""
        return editor.exec() == QDialog.DialogCode.Accepted

    def set_text(self, panel_id: str, text: str) -> bool:
        c = self.content
        old = c.briefing.panel(panel_id)
        if old.text == text:
            return False
        c.push(f"Edit panel “{old.title}”", "panels", with_panel_text(c.briefing.panels, panel_id, text))
        return True

    def refresh_view(self) -> None:
        view = self.content.win.panels
        if view.briefing.panels and view.chooser.currentIndex() >= 0:
            view._on_choose(view.chooser.currentIndex())

    def problems(self, panel: Panel) -> list[str]:
        """The validation's link and citation problems of one panel's text, by line."""
        win = self.content.win
        b = dataclasses.replace(win.briefing, panels=[panel], scenarios=[])
        found = check_references(b, win.tables) + check_panels(b)
        return [f"line {p.line}: {p.message}" if p.line else p.message for p in found]


class PanelEditor(QDialog):
    def __init__(self, editing: PanelEditing, panel_id: str, parent=None):
        super().__init__(parent)
        self.editing = editing
        win = editing.content.win
        self.panel_id = panel_id
        panel = editing.content.briefing.panel(panel_id)
        self.setWindowTitle(f"Edit panel “{panel.title}”")
        self.setObjectName("panel-editor")
        self.resize(1200, 760)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Panel Markdown")
        self.text.setPlainText(panel.text)
        self.preview = SafeBrowser(self, win.briefing.root)
        self.preview.setAccessibleName("Preview")
        self.problems_label = plain_label("", self)
        self.problems_label.setStyleSheet("color: #b2182b")
        self.problems_label.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Link to")
        for kind in LINK_KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.targets = QListWidget()
        self.targets.setAccessibleName("Link targets")
        self.insert_button = QPushButton("Insert link")
        self.insert_button.clicked.connect(self.insert_link)
        self.targets.itemDoubleClicked.connect(lambda _item: self.insert_link())
        self.kind.currentIndexChanged.connect(self._fill_targets)
        self.filter.textChanged.connect(self._filter)

        picker = QWidget()
        pl = QVBoxLayout(picker)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(plain_label("Link to", picker))
        pl.addWidget(self.kind)
        pl.addWidget(self.filter)
        pl.addWidget(self.targets, 1)
        pl.addWidget(self.insert_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        # Each pane says what it is: the words as typed, and the panel as the Briefing tab shows it.
        self.captions = {}
        for key, caption, pane in (("text", f"Markdown of “{panel.title}”", self.text),
                                   ("preview", "Preview (as the Briefing tab shows it)", self.preview)):
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            self.captions[key] = plain_label(caption, box)
            bl.addWidget(self.captions[key])
            bl.addWidget(pane, 1)
            split.addWidget(box)
        split.addWidget(picker)
        split.setSizes([480, 480, 240])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.problems_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        lay.addLayout(row)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.render_preview)
        self.text.textChanged.connect(self.timer.start)
        self._fill_targets()
        self.render_preview()

    def render_preview(self) -> list[str]:
        """Render the text as the Briefing tab would, and show what validation would say."""
        text = self.text.toPlainText()
        self.preview.set_panel_markdown(text)
        style_citations(self.preview.document())
        panel = dataclasses.replace(self.editing.content.briefing.panel(self.panel_id), text=text)
        problems = self.editing.problems(panel)
        self.problems_label.setText("\n".join(problems[:8]) + ("\n…" if len(problems) > 8 else ""))
        self.problems_label.setVisible(bool(problems))
        return problems

    def _fill_targets(self) -> None:
        win = self.editing.content.win
        self.targets.clear()
        for choice in link_choices(win.briefing, win.tables, self.kind.currentData()):
            item = choice_item(choice, choice)
            self.targets.addItem(item)
        self._filter(self.filter.text())

    def _filter(self, text: str) -> None:
        filter_rows(self.targets, text)

    def insert_link(self) -> str:
        """Insert a link to the chosen target at the cursor; selected text becomes its label."""
        item = self.targets.currentItem()
        if item is None:
            return ""
        choice: LinkChoice = item.data(ROLE)
        cursor = self.text.textCursor()
        if cursor.hasSelection():
            choice = LinkChoice(choice.kind, choice.target, cursor.selectedText())
        cursor.insertText(choice.markdown)
        self.text.setTextCursor(cursor)
        self.text.setFocus()
        return choice.markdown
