"""File → Export… and File → Restore view from exported PNG…"""

from __future__ import annotations

from pathlib import Path

from briefmap.model.map_model import MapModel
from briefmap.model.view import check_view


class ExportController:
    def __init__(self, model: MapModel, window, export_dir: str):
        self.model = model
        self.window = window
        self.export_dir = export_dir

    def show_export(self) -> None:
        from briefmap.ui.export_dialog import ExportDialog

        w = self.window
        dlg = ExportDialog(w.briefing, w.tables, w.current_state(), self.export_dir, w)
        if dlg.exec():
            self.export_dir = dlg.folder
            w.statusBar().showMessage(dlg.result_message, 10000)

    def ask_and_restore(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # set up when first used, not at the start

        path, _ = QFileDialog.getOpenFileName(self.window, "Restore view from an exported PNG",
                                              self.export_dir or str(Path.home()), "PNG images (*.png)")
        if path:
            self.restore(Path(path))

    def restore(self, path: Path) -> bool:
        """Show the view stored in a PNG that briefmap exported (layers, scenario, date,
        names, extent), after the same checks the command line makes."""
        from briefmap.render.export import read_view

        w = self.window
        try:
            view = read_view(path)
        except ValueError as exc:
            w.show_problems("Cannot restore the view", [str(exc)])
            return False
        # A layer the user added in another session is not here: it is left out, with a note.
        missing = [lid for lid in view.visible if lid not in self.model.layers]
        view = view.with_(visible=tuple(lid for lid in view.visible if lid in self.model.layers))
        problems = check_view(w.briefing, view)
        if problems:
            w.show_problems("Cannot restore the view", [f"{path.name}: {p}" for p in problems])
            return False
        self.model.apply(view)
        w.fit(view)
        if view.panel:
            w.panels.show_panel(view.panel)
        note = f" ({len(missing)} layer(s) not on this map left out: {', '.join(missing)})" if missing else ""
        w.statusBar().showMessage(f"Restored the view of {path.name}{note}", 8000)
        return True
