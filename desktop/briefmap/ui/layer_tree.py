"""The layer tree: a view of LayerListModel with the gestures of a GIS layer panel.

Ticking a box sets `layer.visible` through the model; Alt-click shows only that layer
(again restores), V toggles the selected layers, Ctrl+Up/Down moves a layer in the
drawing order, Delete asks to remove a layer the user added.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from briefmap.model.briefing import Briefing
from briefmap.model.layers import LayerList
from briefmap.ui.layer_model import LAYER_ROLE, LayerListModel

__all__ = ["LAYER_ROLE", "LayerTree"]


class LayerTree(QTreeView):
    currentLayerChanged = Signal(str)
    removeRequested = Signal(str)

    def __init__(self, briefing: Briefing, layers: LayerList, parent=None):
        super().__init__(parent)
        self.layers = layers
        self.model_ = LayerListModel(briefing, layers, self)
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAccessibleName("Layers")
        self.setUniformRowHeights(True)
        self._before_solo: tuple[str, ...] | None = None
        # The current layer by id: a reset (a move, an added layer) keeps it current. Rows
        # cannot be used, as the list has already changed when the model resets.
        self._current_id = ""
        self._resetting = False
        self.model_.modelAboutToBeReset.connect(lambda: setattr(self, "_resetting", True))
        self.model_.modelReset.connect(self._after_reset)
        self.selectionModel().currentChanged.connect(self._on_current)
        self.expandAll()

    def index_of(self, layer_id: str) -> QModelIndex:
        return self.model_.index_of(layer_id)

    def group_index(self, group: str) -> QModelIndex:
        return self.model_.group_index(group)

    def check_state(self, index: QModelIndex) -> Qt.CheckState:
        return Qt.CheckState(self.model_.data(index, Qt.ItemDataRole.CheckStateRole))

    def set_checked(self, index: QModelIndex, on: bool) -> None:
        """What a click on the box does."""
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.model_.setData(index, state, Qt.ItemDataRole.CheckStateRole)

    def current_layer(self) -> str:
        index = self.currentIndex()
        return self.model_.layer_id(index) if index.isValid() else ""

    def select_layer(self, layer_id: str) -> None:
        self.setCurrentIndex(self.index_of(layer_id))

    def _after_reset(self) -> None:
        self._resetting = False
        self.expandAll()
        if self._current_id in self.layers:
            self.select_layer(self._current_id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._resetting:
            return
        self._current_id = self.model_.layer_id(current) if current.isValid() else ""
        self.currentLayerChanged.emit(self._current_id)

    # ------------------------------------------------------------------ solo and toggle
    def solo(self, layer_id: str) -> None:
        """Show only this layer; the same again restores the set from before."""
        if self._before_solo is not None and self.layers.visible_ids == (layer_id,):
            visible, self._before_solo = self._before_solo, None
        else:
            self._before_solo = self.layers.visible_ids
            visible = (layer_id,)
        self.layers.set_visible_ids(visible)

    def toggle_selected(self) -> None:
        self._before_solo = None
        with self.layers.batch():
            for index in self.selectionModel().selectedIndexes():
                lid = self.model_.layer_id(index)
                if lid:
                    self.layers[lid].visible = not self.layers[lid].visible

    def mousePressEvent(self, event) -> None:
        # A press on the rows (the viewport) comes here; handled here rather than by a filter
        # on the viewport, as asking for the viewport first costs the window's start ~9 ms
        # (PySide6 sets up every widget class then, to find the viewport's Python type).
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            lid = self.model_.layer_id(self.indexAt(event.position().toPoint()))
            if lid:
                self.solo(lid)
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        lid = self.current_layer()
        if event.key() == Qt.Key.Key_V and not event.modifiers():
            self.toggle_selected()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            if lid:
                self.layers.move(lid, 1 if event.key() == Qt.Key.Key_Up else -1)
            return
        if event.key() == Qt.Key.Key_Delete and lid.startswith("user-"):
            self.removeRequested.emit(lid)
            return
        super().keyPressEvent(event)
