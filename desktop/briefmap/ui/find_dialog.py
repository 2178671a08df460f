"""Find (Ctrl+F): a place or feature by any of its names; choosing a result flies there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from briefmap.model.search import Hit, find

REF_ROLE = Qt.ItemDataRole.UserRole


class FindDialog(QDialog):
    """A search box over every name of every feature in the briefing's layers (the cities
    layer included); Enter or a double-click on a result selects it on the map."""

    featureChosen = Signal(str)  # "layer/id"

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window_ = window
        self.setWindowTitle("Find a place or feature")
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Any name: Stepanakert, Khankendi, Ստեփանակերտ…")
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(self)
        for w in (self.query, self.results, self.status):
            lay.addWidget(w)
        self.resize(460, 380)
        # Search as the user types, once typing pauses.
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._choose_current)
        self.results.itemActivated.connect(self._choose)

    def _tables(self) -> list:
        """Top layers first: what the map shows on top is usually what the user means."""
        r = self.window_.canvas.map_renderer
        return [la.table for la in reversed(list(r.layers.values()))]

    def search(self) -> list[Hit]:
        self._timer.stop()
        self.results.clear()
        hits = find(self.query.text(), self._tables())
        titles = {la.spec.id: la.spec.title for la in self.window_.canvas.map_renderer.layers.values()}
        for hit in hits:
            also = f" (as {hit.matched})" if hit.matched != hit.name else ""
            item = QListWidgetItem(f"{hit.name}{also} — {titles.get(hit.layer, hit.layer)}")
            item.setData(REF_ROLE, hit.ref)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        self.status.setText(f"{len(hits)} found" if self.query.text().strip() else "")
        return hits

    def _choose_current(self) -> None:
        if self._timer.isActive():
            self.search()
        item = self.results.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        ref = item.data(REF_ROLE)
        self.featureChosen.emit(ref)
        self.window_.select_feature(ref)


def install(window) -> None:
    """Edit → Find… (Ctrl+F) in the window's menu bar."""
    menu = _menu(window, "&Edit")
    action = menu.addAction("&Find…")
    action.setShortcut(QKeySequence.StandardKey.Find)
    window.find_action = action
    window.find_dialog = None

    def show() -> None:
        if window.find_dialog is None:
            window.find_dialog = FindDialog(window)
        window.find_dialog.show()
        window.find_dialog.raise_()
        window.find_dialog.query.setFocus()
        window.find_dialog.query.selectAll()

    action.triggered.connect(show)


def _menu(window, title: str):
    bar = window.menuBar()
    for action in bar.actions():
        if action.menu() is not None and action.text() == title:
            return action.menu()
    # Before Help, which stays last.
    before = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    menu = bar.addMenu(title)
    if before is not None:
        bar.insertMenu(before, menu)
    return menu
