"""Saving what the editor changed: Save and Save As (the built-in briefing is read-only,
so Save asks for a new folder), the recovery file written every minute, the offer to
restore it after a crash, and the prompt before closing with unsaved edits. A mixin of
EditController: it reads the controller's stack, briefing and editable layers.

The briefing writer (tomlkit and the recovery file) is imported when first used, not while
the window starts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from briefmap.data.errors import BriefingError
from briefmap.model.edits import FeatureDraft, draft_problems, usage_fields
from briefmap.ui.editing.commands import RestoreCommand


class SavingMixin:
    def problems(self) -> list[str]:
        """Every edited feature's problems, named by layer, feature and field."""
        out = []
        for spec in self.specs.values():
            table = self.table_of(spec.id)
            fields = usage_fields(self.briefing) if spec.id == self.spec.id else ()
            for fid, props in zip(table.ids, table.properties, strict=True) if table else ():
                draft = FeatureDraft.from_properties(props, fields)
                for field_name, why in draft_problems(draft, self.briefing, set(self.briefing.sources)).items():
                    out.append(f"{spec.id}/{fid}, {field_name}: {why}")
        return out

    def summary(self) -> str:
        start = max(self.stack.cleanIndex(), 0)
        texts = [self.stack.text(i) for i in range(start, self.stack.index())]
        return "; ".join(texts) or "Saved without changes"

    def _to_save(self):
        from briefmap.data.edits_file import prepared

        b = self.win.briefing
        tables = {lid: t for lid in self.specs if (t := self.table_of(lid)) is not None and len(t)}
        specs = [s for s in self.specs.values() if s.id in tables]
        return prepared(b, specs), tables

    def save(self, ask_folder: bool = False, folder: Path | None = None) -> bool:
        from briefmap.data.edits_file import save
        from briefmap.data.recovery import recovery_path
        from briefmap.data.writer import ReadOnlyBriefing, check_writable

        problems = self.problems()
        if problems:
            self.win.show_problems("Cannot save: some edits are incomplete", problems)
            return False
        b, tables = self._to_save()
        old_root = Path(b.root)
        if folder is None:
            try:
                check_writable(old_root)
            except ReadOnlyBriefing as exc:
                self.win.statusBar().showMessage(str(exc), 10000)
                ask_folder = True
            if ask_folder:
                folder = self.ask_folder()
                if folder is None:
                    return False
        try:
            version = save(b, tables, self.summary(), folder)
        except (OSError, ReadOnlyBriefing) as exc:
            self.win.show_problems("Cannot save the briefing", [str(exc)])
            return False
        except BriefingError as exc:
            # Refused: nothing on disk changed and the edits stay, unsaved, in the window.
            self.win.show_problems("Cannot save: the briefing would not validate", [str(p) for p in exc.problems])
            return False
        self.briefing.root, self.briefing.version = b.root, version
        self.briefing.layers = b.layers
        self.briefing.scenarios = b.scenarios
        self.briefing.styles = dict(b.styles)
        for root in {old_root, Path(b.root)}:
            recovery_path(root, self.state_dir).unlink(missing_ok=True)
        self.stack.setClean()
        self.win.statusBar().showMessage(f"Saved {b.root} (version {version})", 10000)
        return True

    def ask_folder(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog  # set up when first asked, not at the start

        path, _ = QFileDialog.getSaveFileName(self.win, "Save the briefing as a new folder",
                                              str(Path.home() / f"{self.briefing.id}-copy"))
        return Path(path) if path else None

    def write_recovery(self) -> Path | None:
        if self.stack.isClean():
            return None
        from briefmap.data.edits_file import store_recovery

        b, tables = self._to_save()
        return store_recovery(b, tables, self.summary(), self.state_dir)

    def offer_recovery(self) -> bool:
        """After a crash: offer to bring back the edits this folder's recovery file holds."""
        from briefmap.data.edits_file import find_recovery
        from briefmap.data.recovery import RecoveryError

        try:
            found = find_recovery(self.briefing, list(self.specs.values()), self.state_dir)
        except (RecoveryError, KeyError, ValueError, OSError) as exc:
            self.win.statusBar().showMessage(f"A recovery file could not be read: {exc}", 15000)
            return False
        if found is None:
            return False
        when = found.recovery.saved_at.strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self.win, "Restore unsaved edits?",
            f"briefmap did not close normally. Edits to this briefing from {when} were not saved:\n\n"
            f"{found.recovery.summary}\n\nRestore them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            found.recovery.path.unlink(missing_ok=True)
            return False
        swaps = [(self.specs[lid], self.table_of(lid), t) for lid, t in found.tables.items()]
        self.stack.beginMacro("Restore unsaved edits")
        self.stack.push(RestoreCommand(self, swaps, found.sources, found.bookmarks))
        if hasattr(self.win, "content_editing"):  # timeline, bookmarks, panels, scenarios
            self.win.content_editing.restore(found.recovery)
        self.stack.endMacro()
        return True

    def may_close(self) -> bool:
        if self.stack.isClean():
            return True
        answer = QMessageBox.question(
            self.win, "Unsaved edits", "The briefing has edits that are not saved. Save them before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        from briefmap.data.recovery import recovery_path

        recovery_path(Path(self.briefing.root), self.state_dir).unlink(missing_ok=True)
        self.stack.setClean()
        return True
