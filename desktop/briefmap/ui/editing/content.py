"""Editing the briefing's words and structure: timeline events, bookmarks, panel texts and
scenarios. Each edit is a command on the editor's one QUndoStack (ui/editing/controller.py),
so Undo, the modified marker, Save and the recovery file treat them like the map edits.

A command swaps one of the briefing's lists (events, bookmarks, scenarios, panels) for a
new one made by model/briefing_edits.py, in place, so every view that holds the briefing
(the panel view keeps its own copy of the dataclass) sees the change; then the views that
show that list are refreshed here.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from briefmap.model.briefing import Briefing, Source
from briefmap.model.view import scenario_state
from briefmap.ui.briefing_text import sources_markdown
from briefmap.ui.editing.bookmark_editor import BookmarkEditor
from briefmap.ui.editing.commands import GuardedCommand
from briefmap.ui.editing.panel_editor import PanelEditing
from briefmap.ui.editing.scenario_editor import ScenarioEditing
from briefmap.ui.editing.timeline_editor import TimelineEditor

if TYPE_CHECKING:  # the recovery reader (tomlkit) loads when a recovery is restored, not at start-up
    from briefmap.data.briefing_recovery import RecoveredStory

LISTS = ("events", "bookmarks", "scenarios", "panels")


class ListCommand(GuardedCommand):
    """One of the briefing's lists goes from what it is now to `after`; the sources the edit
    added come and go with it."""

    def __init__(self, content: ContentEditing, text: str, attr: str, after: list, new_sources=()):
        super().__init__(text)
        if attr not in LISTS:
            raise ValueError(f"not one of the briefing's edited lists: {attr!r}")
        self.content, self.attr = content, attr
        self.before, self.after = list(getattr(content.briefing, attr)), list(after)
        self.new_sources: tuple[Source, ...] = tuple(new_sources)

    def _redo(self) -> None:
        b = self.content.briefing
        for s in self.new_sources:
            b.sources[s.id] = s
        getattr(b, self.attr)[:] = self.after
        self.content.changed(self.attr, sources=bool(self.new_sources))

    def _undo(self) -> None:
        b = self.content.briefing
        getattr(b, self.attr)[:] = self.before
        for s in self.new_sources:
            b.sources.pop(s.id, None)
        self.content.changed(self.attr, sources=bool(self.new_sources))


class StoryRestoreCommand(GuardedCommand):
    """The timeline, bookmarks, scenarios and panel texts a recovery file holds."""

    def __init__(self, content: ContentEditing, story: RecoveredStory):
        super().__init__("Restore unsaved timeline, bookmark, panel and scenario edits")
        b = content.briefing
        self.content = content
        panels = [dataclasses.replace(p, text=story.panel_texts[p.id]) if p.id in story.panel_texts else p
                  for p in b.panels]
        self.after = {"events": story.events, "bookmarks": story.bookmarks, "scenarios": story.scenarios,
                      "panels": panels}
        self.before = {attr: list(getattr(b, attr)) for attr in LISTS}

    def _apply(self, lists: dict[str, list]) -> None:
        for attr, items in lists.items():
            getattr(self.content.briefing, attr)[:] = items
            self.content.changed(attr)

    def _redo(self) -> None:
        self._apply(self.after)

    def _undo(self) -> None:
        self._apply(self.before)


class ContentEditing:
    """The content editors of one window, and what each list's change refreshes."""

    def __init__(self, window):
        self.win = window
        self.editor = window.editor
        self.stack = window.editor.stack
        self.timeline = TimelineEditor(self)
        self.bookmarks = BookmarkEditor(self)
        self.panels = PanelEditing(self)
        self.scenarios = ScenarioEditing(self)
        self._build_menu()

    @property
    def briefing(self) -> Briefing:
        # The window's own briefing (the model's): the one Save writes.
        return self.win._briefing

    def push(self, text: str, attr: str, after: list, new_sources=()) -> None:
        self.stack.push(ListCommand(self, text, attr, after, new_sources))

    def _build_menu(self) -> None:
        win = self.win
        edit = next(m for m in (a.menu() for a in win.menuBar().actions()) if m is not None
                    and m.title().replace("&", "") == "Edit")
        menu = edit.addMenu("Briefing &content")
        self.menu = menu
        for text, slot in (("Add timeline &event…", self.timeline.add),
                           ("Edit &panel text…", self.panels.open_editor),
                           ("Edit &scenario…", self.scenarios.open_editor),
                           ("Rename or delete &bookmarks…", self.bookmarks.open_manager)):
            action = QAction(text, win)
            action.triggered.connect(lambda _=False, f=slot: f())
            menu.addAction(action)
        # The Bookmarks menu offers adding one (Ctrl+D) and the same manager above its list of
        # views: where a user looks for bookmarks, not only under Edit.
        marks = win.bookmark_button.menu()
        if marks is not None:
            manage = QAction("Rename or delete bookmarks…", marks)
            manage.triggered.connect(lambda: self.bookmarks.open_manager())
            first = marks.actions()[0] if marks.actions() else None
            marks.insertAction(first, self.editor.bookmark_action)
            marks.insertAction(first, manage)
            marks.insertSeparator(first)

    def restore(self, recovery) -> None:
        """Push the story a recovery file holds (called by the editor's offer to restore)."""
        from briefmap.data.briefing_recovery import recovered_story
        from briefmap.data.recovery import RecoveryError

        try:
            story = recovered_story(self.briefing, recovery)
        except RecoveryError as exc:
            self.win.statusBar().showMessage(str(exc), 15000)
            return
        if story is not None:
            self.stack.push(StoryRestoreCommand(self, story))

    # ------------------------------------------------------------------ views that follow
    def changed(self, attr: str, sources: bool = False) -> None:
        if sources:  # the Sources tab lists the source the edit brought (or took back)
            self.win.sources.set_markdown(sources_markdown(self.briefing))
        if attr == "events":
            self.win.timeline.fill()
        elif attr == "bookmarks":
            self.bookmarks.refresh_menu()
        elif attr == "panels":
            self.panels.refresh_view()
        elif attr == "scenarios":
            self.scenarios.follow_current()

    def show_current_scenario(self) -> None:
        """The map shows the current scenario as it now is: its layers, highlights, notes."""
        model = self.win.model
        scenario = model.scenario
        if scenario is None:
            return
        state = scenario_state(self.win.briefing, scenario.id)
        with model.layers.batch():
            model.layers.set_visible_ids(state.visible)
        # The renderer, the canvas and the Scenario tab redraw the scenario on this event.
        model.view.changed.emit(frozenset({"scenario"}))


def install(window) -> ContentEditing:
    window.content_editing = ContentEditing(window)
    return window.content_editing
