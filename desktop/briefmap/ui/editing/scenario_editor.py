"""The scenario editor: which layers a scenario shows, which features it highlights, and its
key points (the notes the Scenario tab lists). OK makes the change one undoable command;
when the edited scenario is the one on the map, the map follows (and follows the undo).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
)

from briefmap.model.briefing import Scenario
from briefmap.model.briefing_edits import edited_scenario, link_choices, with_scenario
from briefmap.ui.editing.choice_list import ROLE, choice_item, filter_rows
from briefmap.ui.safe_text import plain_label


class ScenarioEditing:
    def __init__(self, content):
        self.content = content
        model = content.win.model
        self._shown = model.scenario
        model.view.changed.connect(self._on_view)

    def _on_view(self, fields: frozenset[str]) -> None:
        if "scenario" in fields:
            self._shown = self.content.win.model.scenario

    def follow_current(self) -> None:
        """The current scenario was edited (or the edit undone): show it as it now is."""
        current = self.content.win.model.scenario
        if current is not None and current != self._shown:
            self.content.show_current_scenario()
        self._shown = current

    def open_editor(self, scenario_id: str = "") -> ScenarioEditor | None:
        c = self.content
        if not c.briefing.scenarios:
            return None
        editor = ScenarioEditor(self, scenario_id or c.win.model.view.scenario or c.briefing.scenarios[0].id, c.win)
        if self.exec_editor(editor):
            self.apply(editor.scenario())
        return editor

    def exec_editor(self, editor: ScenarioEditor) -> bool:
        """Show the editor; tests replace this to tick and type as a user would."""
        return editor.exec() == QDialog.DialogCode.Accepted

    def apply(self, scenario: Scenario) -> bool:
        c = self.content
        old = c.briefing.scenario(scenario.id)
        if old == scenario:
            return False
        c.push(f"Edit scenario “{scenario.title}”", "scenarios", with_scenario(c.briefing.scenarios, scenario))
        return True


class ScenarioEditor(QDialog):
    def __init__(self, editing: ScenarioEditing, scenario_id: str, parent=None):
        super().__init__(parent)
        self.editing = editing
        win = editing.content.win
        self.setWindowTitle("Edit scenario")
        self.setObjectName("scenario-editor")
        self.resize(900, 640)
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Scenario")
        for s in editing.content.briefing.scenarios:
            self.chooser.addItem(s.title, s.id)
        self.layers = QListWidget()
        self.layers.setAccessibleName("Layers shown")
        self.highlights = QListWidget()
        self.highlights.setAccessibleName("Highlighted features")
        self.remove_button = QPushButton("Remove highlight")
        self.remove_button.clicked.connect(self._remove_highlight)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter features…")
        self.features = QListWidget()
        self.features.setAccessibleName("Features")
        for choice in link_choices(win.briefing, win.tables, "feature"):
            item = choice_item(choice)
            self.features.addItem(item)
        self.add_button = QPushButton("Highlight")
        self.add_button.clicked.connect(self._add_highlight)
        self.features.itemDoubleClicked.connect(lambda _i: self._add_highlight())
        self.filter.textChanged.connect(self._filter)
        self.key_points = QPlainTextEdit()
        self.key_points.setAccessibleName("Key points")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        grid = QGridLayout(self)
        grid.addWidget(plain_label("Scenario", self), 0, 0)
        grid.addWidget(self.chooser, 0, 1, 1, 2)
        grid.addWidget(plain_label("Layers shown", self), 1, 0)
        grid.addWidget(plain_label("Highlighted features", self), 1, 1)
        grid.addWidget(plain_label("Add a highlight", self), 1, 2)
        grid.addWidget(self.layers, 2, 0, 3, 1)
        grid.addWidget(self.highlights, 2, 1)
        grid.addWidget(self.remove_button, 3, 1)
        grid.addWidget(self.filter, 2, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.features, 3, 2, 2, 1)
        grid.addWidget(self.add_button, 5, 2)
        grid.addWidget(plain_label("Key points (one a line)", self), 5, 0)
        grid.addWidget(self.key_points, 6, 0, 1, 3)
        grid.addWidget(buttons, 7, 0, 1, 3)
        self.chooser.currentIndexChanged.connect(lambda _i: self.load(self.chooser.currentData()))
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(scenario_id)))
        self.load(self.chooser.currentData())

    def load(self, scenario_id: str) -> None:
        win = self.editing.content.win
        s = self.editing.content.briefing.scenario(scenario_id)
        self.layers.clear()
        for spec in win.briefing.layers:
            if spec.id.startswith("user-"):
                continue  # the window's throwaway layers are not saved with a scenario
            item = QListWidgetItem(spec.title)
            item.setData(ROLE, spec.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if spec.id in s.layers else Qt.CheckState.Unchecked)
            self.layers.addItem(item)
        self.highlights.clear()
        for ref in s.highlight:
            item = QListWidgetItem(ref)
            item.setData(ROLE, ref)
            self.highlights.addItem(item)
        self.key_points.setPlainText("\n".join(s.key_points))

    def set_layer(self, layer_id: str, shown: bool) -> None:
        for i in range(self.layers.count()):
            if self.layers.item(i).data(ROLE) == layer_id:
                self.layers.item(i).setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def _add_highlight(self) -> None:
        item = self.features.currentItem()
        refs = [self.highlights.item(i).data(ROLE) for i in range(self.highlights.count())]
        if item is not None and item.data(ROLE) not in refs:
            new = QListWidgetItem(item.data(ROLE))
            new.setData(ROLE, item.data(ROLE))
            self.highlights.addItem(new)

    def _remove_highlight(self) -> None:
        row = self.highlights.currentRow()
        if row >= 0:
            self.highlights.takeItem(row)

    def _filter(self, text: str) -> None:
        filter_rows(self.features, text)

    def scenario(self) -> Scenario:
        """The chosen scenario as the dialog now has it."""
        s = self.editing.content.briefing.scenario(self.chooser.currentData())
        shown = {self.layers.item(i).data(ROLE) for i in range(self.layers.count())
                 if self.layers.item(i).checkState() == Qt.CheckState.Checked}
        # Layers keep the scenario's order; newly ticked ones follow in the map's order.
        layers = [lid for lid in s.layers if lid in shown] + \
                 [self.layers.item(i).data(ROLE) for i in range(self.layers.count())
                  if self.layers.item(i).data(ROLE) in shown and self.layers.item(i).data(ROLE) not in s.layers]
        refs = [self.highlights.item(i).data(ROLE) for i in range(self.highlights.count())]
        return edited_scenario(s, layers, refs, self.key_points.toPlainText())
