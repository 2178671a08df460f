"""Every edit as a QUndoCommand: redo and undo swap whole tables (model/edits.py) and add
or take back what the edit brought with it (a new source, a bookmark)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QUndoCommand

from briefmap.model.briefing import Bookmark, LayerSpec, Source
from briefmap.model.features import FeatureTable


class GuardedCommand(QUndoCommand):
    """Qt calls redo and undo from C++: an exception escaping there takes the whole app down
    (the bindings crash while storing it). It goes to the crash report instead, and the
    window keeps running."""

    def redo(self) -> None:
        try:
            self._redo()
        except Exception:
            sys.excepthook(*sys.exc_info())

    def undo(self) -> None:
        try:
            self._undo()
        except Exception:
            sys.excepthook(*sys.exc_info())

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class TableCommand(GuardedCommand):
    """The editable layer goes from `before` to `after` (None: no layer yet), with the
    sources the edit added."""

    def __init__(self, editor, text: str, spec: LayerSpec, before: FeatureTable | None, after: FeatureTable,
                 new_sources: tuple[Source, ...] = (), select: str = ""):
        super().__init__(text)
        self.editor, self.spec, self.before, self.after = editor, spec, before, after
        self.new_sources = new_sources
        self.select = select

    def _redo(self) -> None:
        for s in self.new_sources:
            self.editor.briefing.sources[s.id] = s
        self.editor.swap(self.spec, self.after)
        self.editor.select(self.spec.id, self.select)
        self.editor.edited()

    def _undo(self) -> None:
        self.editor.swap(self.spec, self.before)
        for s in self.new_sources:
            self.editor.briefing.sources.pop(s.id, None)
        self.editor.select(self.spec.id, self.select if self.before is not None and self.select in self.before.ids
                           else "")
        self.editor.edited()


class BookmarkCommand(GuardedCommand):
    def __init__(self, editor, bookmark: Bookmark):
        super().__init__(f"Add bookmark “{bookmark.title}”")
        self.editor, self.bookmark = editor, bookmark

    def _redo(self) -> None:
        self.editor.briefing.bookmarks.append(self.bookmark)
        self.editor.bookmarks_changed()

    def _undo(self) -> None:
        self.editor.briefing.bookmarks[:] = [m for m in self.editor.briefing.bookmarks if m.id != self.bookmark.id]
        self.editor.bookmarks_changed()


class RestoreCommand(GuardedCommand):
    """Unsaved edits brought back from a recovery file, as one step the user can take back."""

    def __init__(self, editor, swaps: list[tuple[LayerSpec, FeatureTable | None, FeatureTable | None]],
                 sources: list[Source], bookmarks: list[Bookmark]):
        super().__init__("Restore unsaved edits")
        self.editor = editor
        self.swaps = swaps  # (layer, before, after) for each editable layer the file holds
        self.sources, self.bookmarks = sources, bookmarks

    def _redo(self) -> None:
        b = self.editor.briefing
        for s in self.sources:
            b.sources[s.id] = s
        b.bookmarks.extend(self.bookmarks)
        for spec, _before, after in self.swaps:
            if after is not None:
                self.editor.swap(spec, after)
        self.editor.bookmarks_changed()
        self.editor.edited()

    def _undo(self) -> None:
        b = self.editor.briefing
        ids = {m.id for m in self.bookmarks}
        b.bookmarks[:] = [m for m in b.bookmarks if m.id not in ids]
        for s in self.sources:
            b.sources.pop(s.id, None)
        for spec, before, after in self.swaps:
            if after is not None:
                self.editor.swap(spec, before)
        self.editor.bookmarks_changed()
        self.editor.edited()
