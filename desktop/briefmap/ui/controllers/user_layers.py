"""The user's own layers: File → Add layer…, drag-and-drop, removal. A file is read in a
worker thread (ui/user_layers.py); the layer joins the model's layer list, and the tree,
the renderer and the canvas follow the list's events."""

from __future__ import annotations

from pathlib import Path

import shapely

from briefmap.model.layers import Layer
from briefmap.model.map_model import MapModel
from briefmap.ui import safe_text


class UserLayersController:
    def __init__(self, model: MapModel, window):
        self.model = model
        self.window = window
        self.loads: list = []

    def _status(self, text: str, ms: int) -> None:
        self.window.statusBar().showMessage(text, ms)

    def ask_and_add(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # set up when first used, not at the start

        from briefmap.ui.user_layers import FILTER

        path, _ = QFileDialog.getOpenFileName(self.window, "Add layer", str(Path.home()), FILTER)
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path, interactive: bool = True):
        """Read a file in a worker thread; the layer joins the map when it is ready."""
        from briefmap.data.layers import map_crs
        from briefmap.ui.user_layers import LayerLoad

        load = LayerLoad(path, map_crs(self.model.briefing), self.window)
        self.loads.append(load)
        dialog = None
        if interactive:
            from PySide6.QtWidgets import QProgressDialog

            dialog = QProgressDialog(f"Reading {path.name}…", "Cancel", 0, 1000, self.window)
            dialog.setWindowTitle("Add layer")
            dialog.setMinimumDuration(400)
            dialog.canceled.connect(load.cancel)
            load.progress.connect(lambda f, m: (dialog.setValue(int(f * 1000)), dialog.setLabelText(m)))

        def finished(layer, error: str) -> None:
            if dialog is not None:
                dialog.reset()
            self.loads.remove(load)
            if layer is None:
                if error:
                    self._status(error, 15000)
                    if interactive:
                        safe_text.warn(self.window, "Cannot add the layer", error)
                else:
                    self._status(f"Adding {path.name} was cancelled", 8000)
                return
            self.add_imported(layer, interactive)

        load.finished.connect(finished)
        load.start()
        return load

    def add_imported(self, layer, interactive: bool = True) -> str:
        from briefmap.ui.user_layers import spec_and_style

        layers = self.model.layers
        spec, style = spec_and_style(layer, set(layers.ids), layers.top_order() + 1)
        layers.styles[style.id] = style
        layers.insert(Layer(spec, layer.table, visible=True))
        x0, y0, x1, y1 = layer.bounds or shapely.total_bounds(layer.table.geometries)
        pad = max(x1 - x0, y1 - y0, 20_000) * 0.15
        self.window.canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        note = f"Added {layer.title}: {len(layer.table):,} features"
        if layer.warnings:
            note += " — " + " ".join(layer.warnings)
            if interactive:
                safe_text.inform(self.window, "Layer added, with notes", "\n\n".join(layer.warnings))
        self._status(note, 15000)
        return spec.id

    def remove(self, lid: str) -> None:
        if lid.startswith("user-") and lid in self.model.layers:
            self.model.layers.remove(lid)

    def remove_current(self) -> None:
        lid = self.window.tree.current_layer()
        if lid.startswith("user-"):
            self.remove(lid)
        else:
            self._status("Only layers you added can be removed", 5000)

    # ------------------------------------------------------------------ look, and keeping
    def is_users(self, lid: str) -> bool:
        layer = self.model.layers.get(lid)
        return layer is not None and (lid.startswith("user-") or bool(layer.spec.user_file))

    def style_current(self) -> None:
        lid = self.window.tree.current_layer()
        if not self.is_users(lid):
            self._status("Choose one of the layers you added (File → Add layer…) in the layer list first", 8000)
            return
        self.style_layer(lid)

    def exec_dialog(self, dialog) -> bool:
        """Show the style dialog; tests replace this to fill it in as a user would."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def style_layer(self, lid: str) -> bool:
        """The style dialog for one of the user's layers; its changes, and keeping the layer,
        are one step on the undo stack."""
        from briefmap.data.writer import ReadOnlyBriefing, check_writable
        from briefmap.ui.editing.layer_commands import KeepLayerCommand, LayerStyleCommand
        from briefmap.ui.layer_style_dialog import LayerStyleDialog

        layer = self.model.layers[lid]
        style = self.model.layers.styles[layer.spec.style]
        fields = sorted({k for p in layer.table.properties[:1000] for k in p})
        kept = bool(layer.spec.file)
        note = "Already kept in the briefing." if kept else ""
        if not kept:
            try:
                check_writable(Path(self.window.editor.briefing.root))
            except ReadOnlyBriefing:
                note = "This briefing is read-only: save it as a copy first (File → Save as…), then keep the layer."
        dialog = LayerStyleDialog(layer.spec, style, fields, self.window, can_keep=not note, keep_note=note)
        if not self.exec_dialog(dialog):
            return False
        spec, new_style = dialog.result_spec_style()
        stack = self.window.editor.stack
        keep = dialog.keep.isChecked() and dialog.keep.isEnabled()
        if (spec, new_style) == (layer.spec, style) and not keep:
            return False
        stack.beginMacro(f"Style{' and keep' if keep else ''} layer “{spec.title}”")
        if (spec, new_style) != (layer.spec, style):
            stack.push(LayerStyleCommand(self.window.editor, (layer.spec, style), (spec, new_style)))
        if keep:
            stack.push(KeepLayerCommand(self.window.editor, spec, new_style, layer.table,
                                        Path(spec.user_file).name or f"{spec.title}.gpkg"))
        stack.endMacro()
        return True

    def drag_enter(self, event) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def drop(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.add_file(Path(url.toLocalFile()))
        event.acceptProposedAction()
