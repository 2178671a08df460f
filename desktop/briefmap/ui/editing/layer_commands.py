"""Undoable changes to the user's own layers: a new look (name, colour, marker, width,
label field) and keeping the layer in the briefing (its GeoPackage written into the
folder, its layer, style and source added; the catalog lists it on the next Save)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefmap.data.keep_layer import keep_user_layer
from briefmap.data.layers import read_layer
from briefmap.model.briefing import LayerSpec, Style
from briefmap.model.edits import replace_table
from briefmap.model.features import FeatureTable
from briefmap.model.layers import Layer
from briefmap.ui.editing.commands import GuardedCommand


def _swap_layer(layers, old_id: str, spec: LayerSpec, table: FeatureTable) -> None:
    """Put `spec` with `table` where `old_id` was shown, as visible and as opaque."""
    old = layers.get(old_id)
    visible, opacity = (old.visible, old.opacity) if old is not None else (True, 1.0)
    if old is not None:
        layers.remove(old_id)
    layers.insert(Layer(spec, table, visible=visible, opacity=opacity))


class LayerStyleCommand(GuardedCommand):
    def __init__(self, editor, before: tuple[LayerSpec, Style], after: tuple[LayerSpec, Style]):
        super().__init__(f"Style layer “{after[0].title}”")
        self.editor, self.before, self.after = editor, before, after

    def _apply(self, spec: LayerSpec, style: Style) -> None:
        layers = self.editor.model.layers
        layers.styles[style.id] = style
        layer = layers.get(spec.id)
        if layer is not None:
            replace_table(layers, spec, layer.table)  # drawn again with the new look
        self.editor.edited()

    def _redo(self) -> None:
        self._apply(*self.after)

    def _undo(self) -> None:
        self._apply(*self.before)


class KeepLayerCommand(GuardedCommand):
    """The user's layer `spec` becomes part of the briefing. Undo takes it back out of the
    briefing (and its file out of the folder) and shows the added layer again."""

    def __init__(self, editor, spec: LayerSpec, style: Style, table: FeatureTable, file_name: str):
        super().__init__(f"Keep layer “{spec.title}” in the briefing")
        self.editor, self.spec, self.style, self.table, self.file_name = editor, spec, style, table, file_name
        self.kept: LayerSpec | None = None
        self._before = None

    def _redo(self) -> None:
        b = self.editor.briefing
        self._before = (list(b.layers), list(b.scenarios), dict(b.sources), dict(b.styles))
        # Saving leaves out the window's throwaway layers ("user-…"): a kept layer is the briefing's own.
        wanted = dataclasses.replace(self.spec, id=self.spec.id.removeprefix("user-") or "layer")
        self.kept = keep_user_layer(b, wanted, self.style, self.table, self.file_name)
        layers = self.editor.model.layers
        layers.styles[self.style.id] = self.style
        _swap_layer(layers, self.spec.id, self.kept, read_layer(b, self.kept))
        self.editor.edited()

    def _undo(self) -> None:
        b = self.editor.briefing
        layers_, scenarios, sources, styles = self._before
        b.layers[:] = layers_
        b.scenarios = scenarios
        b.sources.clear()
        b.sources.update(sources)
        b.styles.clear()
        b.styles.update(styles)
        if self.kept is not None:
            (Path(b.root) / self.kept.file).unlink(missing_ok=True)
            _swap_layer(self.editor.model.layers, self.kept.id, self.spec, self.table)
        self.editor.edited()
