"""Adding, editing and deleting timeline events from the Timeline tab.

In Edit mode the tab shows Add, Edit and Delete buttons above the list, and the list a
context menu with the same actions; each opens the event form (ui/editing/event_form.py)
and pushes one undoable command.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from briefmap.model.briefing_edits import (
    EventDraft,
    event_links,
    link_choices,
    new_id,
    with_event,
    without_event,
)
from briefmap.ui.editing.event_form import EventForm


class TimelineEditor:
    def __init__(self, content):
        self.content = content
        win = content.win
        self.list = win.timeline.events
        self.add_button = QPushButton("Add event…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        for b, slot in ((self.add_button, self.add), (self.edit_button, self.edit_current),
                        (self.delete_button, self.delete_current)):
            b.clicked.connect(lambda _=False, f=slot: f())
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        win.timeline.tools.addWidget(self.buttons)
        self.actions = []
        for text, slot in (("Add event…", self.add), ("Edit event…", self.edit_current),
                           ("Delete event", self.delete_current)):
            a = QAction(text, self.list)
            a.triggered.connect(lambda _=False, f=slot: f())
            self.actions.append(a)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        win.editor.mode_action.toggled.connect(self._mode)
        self._mode(win.editor.mode_action.isChecked())

    def _mode(self, on: bool) -> None:
        self.buttons.setVisible(on)
        for a in self.actions:
            self.list.addAction(a) if on else self.list.removeAction(a)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu if on
                                       else Qt.ContextMenuPolicy.DefaultContextMenu)
        self._enable()

    def _enable(self) -> None:
        has = self.list.currentItem() is not None
        for w in (self.edit_button, self.delete_button, self.actions[1], self.actions[2]):
            w.setEnabled(has)

    def current_id(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    # ------------------------------------------------------------------ the form
    def exec_form(self, form: EventForm) -> bool:
        """Show the form; tests replace this to fill it in as a user would."""
        return form.exec() == EventForm.DialogCode.Accepted

    def _form(self, draft: EventDraft, title: str):
        c = self.content
        form = EventForm(c.briefing, draft, link_choices(c.win.briefing, c.win.tables, "feature"), c.win, title)
        if not self.exec_form(form):
            return None
        d = form.draft()
        return d, ((form.new_source,) if form.new_source and d.source == form.new_source.id else ())

    def add(self) -> str:
        c = self.content
        date = c.win.model.view.date
        got = self._form(EventDraft(date_text=date.isoformat() if date else ""), "New timeline event")
        if got is None:
            return ""
        draft, new_sources = got
        b = c.briefing
        eid = new_id(draft.title, (e.id for e in b.events), "event")
        event = draft.event(eid, b)
        c.push(f"Add event “{event.title}”", "events", with_event(b.events, event), new_sources)
        self._select(eid)
        return eid

    def edit_current(self) -> bool:
        return self.edit(self.current_id())

    def edit(self, event_id: str) -> bool:
        c = self.content
        b = c.briefing
        old = next((e for e in b.events if e.id == event_id), None)
        if old is None:
            return False
        got = self._form(EventDraft.from_event(old), f"Edit event “{old.title}”")
        if got is None:
            return False
        draft, new_sources = got
        event = draft.event(old.id, b)
        if event == old and not new_sources:
            return False
        c.push(f"Edit event “{event.title}”", "events", with_event(b.events, event, replacing=old.id), new_sources)
        self._select(old.id)
        return True

    def delete_current(self) -> bool:
        return self.delete(self.current_id())

    def delete(self, event_id: str) -> bool:
        c = self.content
        b = c.briefing
        old = next((e for e in b.events if e.id == event_id), None)
        if old is None:
            return False
        linked = event_links(b, event_id)
        if linked:
            c.win.show_problems("Cannot delete the event",
                                [f"“{old.title}” is linked from the panel(s) {', '.join(linked)}; "
                                 "remove those links first (Edit panel text)."])
            return False
        c.push(f"Delete event “{old.title}”", "events", without_event(b.events, event_id))
        return True

    def _select(self, event_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == event_id:
                self.list.setCurrentRow(i)
                self.list.scrollToItem(self.list.item(i))
                return
