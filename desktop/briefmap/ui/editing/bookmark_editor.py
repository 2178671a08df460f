"""Renaming and deleting bookmarks (Ctrl+D adds one: ui/editing/controller.py).

Edit → Briefing content → Rename or delete bookmarks… lists them: double-click a name to
rename it, Delete removes the selected one. Each change is one undoable command; the
Bookmarks menu follows. The briefing's default view and a scenario's opening view cannot
be deleted (validation would refuse the saved briefing).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from briefmap.model.briefing_edits import bookmark_in_use, renamed_bookmark, without_bookmark
from briefmap.ui.safe_text import plain_label

ROLE = Qt.ItemDataRole.UserRole


class BookmarkEditor:
    def __init__(self, content):
        self.content = content
        self.dialog: BookmarkManager | None = None

    def rename(self, bookmark_id: str, title: str) -> bool:
        c = self.content
        old = next((m for m in c.briefing.bookmarks if m.id == bookmark_id), None)
        title = title.strip()
        if old is None or not title or title == old.title:
            if old is not None and not title:
                c.win.statusBar().showMessage("A bookmark needs a name", 5000)
            return False
        c.push(f"Rename bookmark “{old.title}” to “{title}”", "bookmarks",
               renamed_bookmark(c.briefing.bookmarks, bookmark_id, title))
        return True

    def delete(self, bookmark_id: str) -> bool:
        c = self.content
        old = next((m for m in c.briefing.bookmarks if m.id == bookmark_id), None)
        if old is None:
            return False
        why = bookmark_in_use(c.briefing, bookmark_id)
        if why:
            c.win.show_problems("Cannot delete the bookmark", [f"“{old.title}” cannot be deleted: {why}."])
            return False
        c.push(f"Delete bookmark “{old.title}”", "bookmarks", without_bookmark(c.briefing.bookmarks, bookmark_id))
        return True

    def refresh_menu(self) -> None:
        """The Bookmarks menu lists the bookmarks as they now are, in their order."""
        win = self.content.win
        self.content.editor.bookmarks_changed()  # adds and drops the menu's entries
        menu = win.bookmark_button.menu()
        if menu is not None:
            titles = {m.id: m.title for m in self.content.briefing.bookmarks}
            entries = {a.data(): a for a in menu.actions() if a.data()}
            for bid, action in entries.items():
                action.setText(titles.get(bid, action.text()))
            order = [entries[m.id] for m in self.content.briefing.bookmarks if m.id in entries]
            if [a for a in menu.actions() if a.data()] != order:
                for a in order:  # re-added in the briefing's order, after the other entries
                    menu.removeAction(a)
                    menu.addAction(a)
        if hasattr(win, "bookmark_actions"):
            win.bookmark_actions = {a.data(): a for a in menu.actions() if a.data()} if menu else {}
        if self.dialog is not None:
            self.dialog.fill()

    def open_manager(self) -> BookmarkManager:
        if self.dialog is None:
            self.dialog = BookmarkManager(self, self.content.win)
        self.dialog.fill()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog


class BookmarkManager(QDialog):
    def __init__(self, editor: BookmarkEditor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.setWindowTitle("Bookmarks")
        self.setObjectName("bookmark-manager")
        self.list = QListWidget()
        self.list.setAccessibleName("Bookmarks")
        self.list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._delete)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label("Double-click a name to rename it. Ctrl+D adds the current view.", self))
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.list.itemChanged.connect(self._renamed)
        self._filling = False

    def fill(self) -> None:
        current = self.list.currentItem().data(ROLE) if self.list.currentItem() else None
        self._filling = True
        self.list.clear()
        for m in self.editor.content.briefing.bookmarks:
            item = QListWidgetItem(m.title)
            item.setData(ROLE, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if m.id == current:
                self.list.setCurrentItem(item)
        self._filling = False

    def _renamed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        if not self.editor.rename(item.data(ROLE), item.text()):
            self.fill()  # an empty name: the old one comes back

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.editor.delete(item.data(ROLE))
