"""The layer tree: groups and layers with check boxes, bound both ways to visibility.

Like napari's Qt layer model, the Qt model owns no state of its own: it mirrors a set of
visible layer ids and reports the user's changes as a new set.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from briefmap.model.briefing import Briefing

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1


class LayerTree(QTreeView):
    """Emits `visibilityChanged(set)` when the user checks, unchecks, solos or toggles."""

    visibilityChanged = Signal(object)
    currentLayerChanged = Signal(str)
    removeRequested = Signal(str)
    moveRequested = Signal(str, int)  # layer id, +1 up (drawn later) or -1 down

    def __init__(self, briefing: Briefing, parent=None):
        super().__init__(parent)
        self.briefing = briefing
        self.model_ = QStandardItemModel(self)
        self.model_.setHorizontalHeaderLabels(["Layers"])
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAccessibleName("Layers")
        self.setUniformRowHeights(True)
        self._items: dict[str, QStandardItem] = {}
        self._groups: dict[str, QStandardItem] = {}
        self._updating = False
        self._before_solo: set[str] | None = None
        self._build()
        self.model_.itemChanged.connect(self._on_item_changed)
        self.selectionModel().currentChanged.connect(self._on_current)
        self.viewport().installEventFilter(self)

    def _build(self) -> None:
        # Top of the list draws on top of the map, as in QGIS.
        for spec in sorted(self.briefing.layers, key=lambda s: -s.order):
            self._add_item(spec)
        self.expandAll()

    def _group(self, name: str, first: bool = False) -> QStandardItem:
        group = self._groups.get(name)
        if group is None:
            group = QStandardItem(name)
            group.setCheckable(True)
            group.setAutoTristate(False)
            group.setEditable(False)
            group.setData("", LAYER_ROLE)
            root = self.model_.invisibleRootItem()
            if first:
                root.insertRow(0, group)
            else:
                root.appendRow(group)
            self._groups[name] = group
        return group

    def add_layer(self, spec) -> None:
        """A layer added while the app runs (the user's own): on top, in its group."""
        self._updating = True
        try:
            item = self._add_item(spec, first=True)
            item.setCheckState(Qt.CheckState.Checked)
        finally:
            self._updating = False
        self.expandAll()

    def remove_layer(self, layer_id: str) -> None:
        item = self._items.pop(layer_id)
        group = item.parent()
        group.removeRow(item.row())
        if group.rowCount() == 0:
            self.model_.invisibleRootItem().removeRow(group.row())
            self._groups = {k: v for k, v in self._groups.items() if v is not group}

    def neighbour(self, layer_id: str, step: int) -> str:
        """The layer above (step +1) or below (-1) in the same group, or ''."""
        item = self._items[layer_id]
        row = item.row() - step  # the list shows the top of the drawing order first
        group = item.parent()
        if 0 <= row < group.rowCount():
            return group.child(row).data(LAYER_ROLE)
        return ""

    def move(self, layer_id: str, step: int) -> None:
        """Move a layer's row one place up or down in its group, keeping it selected."""
        item = self._items[layer_id]
        group = item.parent()
        row = item.row()
        target = row - step
        if not 0 <= target < group.rowCount():
            return
        taken = group.takeRow(row)
        group.insertRow(target, taken)
        self.setCurrentIndex(self.model_.indexFromItem(self._items[layer_id]))

    def _add_item(self, spec, first: bool = False) -> QStandardItem:
        group = self._group(spec.group, first=first)
        title = spec.title
        item = QStandardItem(title)
        item.setCheckable(True)
        item.setEditable(False)
        item.setData(spec.id, LAYER_ROLE)
        srcs = ", ".join(self.briefing.sources[s].title for s in spec.sources if s in self.briefing.sources)
        flags = [w for w, on in (("historical", spec.historical), ("schematic", spec.schematic),
                                 ("after the article", spec.after_article)) if on]
        tip = f"<b>{html.escape(spec.title)}</b>"
        if flags:
            tip += f" <i>({html.escape(', '.join(flags))})</i>"
        tip += f"<br>{html.escape(spec.description)}"
        if srcs:
            tip += f"<br><br><b>Sources:</b> {html.escape(srcs)}"
        tip += "<br><br><i>Alt-click: show only this layer (Alt-click again restores). V: toggle.</i>"
        item.setToolTip(tip)
        if first:
            group.insertRow(0, item)
        else:
            group.appendRow(item)
        self._items[spec.id] = item
        return item

    # ------------------------------------------------------------------ model ↔ state
    def set_visible(self, visible: set[str]) -> None:
        """Mirror a visibility set without emitting a change."""
        self._updating = True
        try:
            for lid, item in self._items.items():
                item.setCheckState(Qt.CheckState.Checked if lid in visible else Qt.CheckState.Unchecked)
            for group in self._groups.values():
                states = {group.child(r).checkState() for r in range(group.rowCount())}
                if states == {Qt.CheckState.Checked}:
                    group.setCheckState(Qt.CheckState.Checked)
                elif states == {Qt.CheckState.Unchecked}:
                    group.setCheckState(Qt.CheckState.Unchecked)
                else:
                    group.setCheckState(Qt.CheckState.PartiallyChecked)
        finally:
            self._updating = False

    def visible(self) -> set[str]:
        return {lid for lid, item in self._items.items() if item.checkState() == Qt.CheckState.Checked}

    def item_for(self, layer_id: str) -> QStandardItem:
        return self._items[layer_id]

    def group_item(self, group: str) -> QStandardItem:
        return self._groups[group]

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._updating:
            return
        lid = item.data(LAYER_ROLE)
        visible = self.visible()
        if not lid:  # a group: apply to all its layers
            on = item.checkState() != Qt.CheckState.Unchecked
            for r in range(item.rowCount()):
                child_id = item.child(r).data(LAYER_ROLE)
                (visible.add if on else visible.discard)(child_id)
        self._before_solo = None
        self.set_visible(visible)
        self.visibilityChanged.emit(visible)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        lid = current.data(LAYER_ROLE) if current.isValid() else ""
        self.currentLayerChanged.emit(lid or "")

    # ------------------------------------------------------------------ solo and toggle
    def solo(self, layer_id: str) -> None:
        """Show only this layer; the same again restores the set from before."""
        if self._before_solo is not None and self.visible() == {layer_id}:
            visible, self._before_solo = self._before_solo, None
        else:
            self._before_solo = self.visible()
            visible = {layer_id}
        self.set_visible(visible)
        self.visibilityChanged.emit(visible)

    def toggle_selected(self) -> None:
        visible = self.visible()
        for index in self.selectionModel().selectedIndexes():
            lid = index.data(LAYER_ROLE)
            if lid:
                visible ^= {lid}
        self._before_solo = None
        self.set_visible(visible)
        self.visibilityChanged.emit(visible)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.viewport() and event.type() == QEvent.Type.MouseButtonPress \
                and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            index = self.indexAt(event.position().toPoint())
            lid = index.data(LAYER_ROLE) if index.isValid() else ""
            if lid:
                self.solo(lid)
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_V and not event.modifiers():
            self.toggle_selected()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            lid = self.currentIndex().data(LAYER_ROLE) if self.currentIndex().isValid() else ""
            if lid:
                self.moveRequested.emit(lid, 1 if event.key() == Qt.Key.Key_Up else -1)
            return
        if event.key() == Qt.Key.Key_Delete:
            lid = self.currentIndex().data(LAYER_ROLE) if self.currentIndex().isValid() else ""
            if lid and str(lid).startswith("user-"):
                self.removeRequested.emit(lid)
                return
        super().keyPressEvent(event)
