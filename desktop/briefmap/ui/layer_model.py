"""The layer list as a Qt item model: groups, and under each its layers, top of the
drawing order first (as in QGIS).

Like napari's QtLayerListModel it owns no state: the check state of a layer is read from
and written to `layer.visible`, a group's is derived from its layers, and every change of
the list (from the tree, a scenario, a link, the command line's view) comes back through
the list's events.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from briefmap.model.briefing import Briefing, LayerSpec
from briefmap.model.layers import LayerList
from briefmap.ui import safe_text

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ID = 0  # internalId of a group row; a layer row's is its group's row + 1

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


def layer_tooltip(briefing: Briefing, spec: LayerSpec) -> str:
    """Plain text: what the layer is, what it is marked as, where it comes from."""
    flags = [w for w, on in (("historical", spec.historical), ("schematic", spec.schematic),
                             ("after the article", spec.after_article)) if on]
    lines = [spec.title + (f" ({', '.join(flags)})" if flags else "")]
    if spec.description:
        lines.append(spec.description)
    srcs = ", ".join(briefing.sources[s].title for s in spec.sources if s in briefing.sources)
    if srcs:
        lines += ["", f"Sources: {srcs}"]
    lines += ["", "Alt-click: show only this layer (Alt-click again restores). V: toggle."]
    return "\n".join(lines)


class LayerListModel(QAbstractItemModel):
    def __init__(self, briefing: Briefing, layers: LayerList, parent: QObject | None = None):
        super().__init__(parent)
        self.briefing = briefing
        self.layers = layers
        self._groups = layers.groups()
        layers.changed.connect(self._on_changed)
        for emitter in (layers.inserted, layers.removed):
            emitter.connect(lambda _layer: self._reset())
        layers.moved.connect(lambda _a, _b: self._reset())

    # ------------------------------------------------------------------ structure
    def _reset(self) -> None:
        self.beginResetModel()
        self._groups = self.layers.groups()
        self.endResetModel()

    def index(self, row: int, column: int = 0, parent: Index = ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, GROUP_ID) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != GROUP_ID:
            return QModelIndex()
        if row >= len(self.layers.in_group(self._groups[parent.row()])):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == GROUP_ID:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, GROUP_ID)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == GROUP_ID:
            return len(self.layers.in_group(self._groups[parent.row()]))
        return 0

    def columnCount(self, _parent: Index = ROOT) -> int:
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    # ------------------------------------------------------------------ lookup
    def layer_id(self, index: Index) -> str:
        """The layer of a row, or '' for a group row."""
        if not index.isValid() or index.internalId() == GROUP_ID:
            return ""
        return self.layers.in_group(self._groups[index.internalId() - 1])[index.row()].id

    def group_layers(self, index: Index) -> list[str]:
        if not index.isValid():
            return []
        if index.internalId() == GROUP_ID:
            return [la.id for la in self.layers.in_group(self._groups[index.row()])]
        return [self.layer_id(index)]

    def index_of(self, layer_id: str) -> QModelIndex:
        group = self.layers[layer_id].spec.group
        g = self._groups.index(group)
        row = [la.id for la in self.layers.in_group(group)].index(layer_id)
        return self.index(row, 0, self.index(g))

    def group_index(self, group: str) -> QModelIndex:
        return self.index(self._groups.index(group))

    # ------------------------------------------------------------------ data
    def _check_state(self, index: Index) -> Qt.CheckState:
        states = {self.layers[lid].visible for lid in self.group_layers(index)}
        if states == {True}:
            return Qt.CheckState.Checked
        if states == {False} or not states:
            return Qt.CheckState.Unchecked
        return Qt.CheckState.PartiallyChecked

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        lid = self.layer_id(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.layers[lid].spec.title if lid else self._groups[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            return self._check_state(index)
        if role == Qt.ItemDataRole.ToolTipRole and lid:
            return safe_text.tooltip(layer_tooltip(self.briefing, self.layers[lid].spec))
        if role == LAYER_ROLE:
            return lid
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        on = Qt.CheckState(value) != Qt.CheckState.Unchecked
        with self.layers.batch():
            for lid in self.group_layers(index):
                self.layers[lid].visible = on
        return True

    def _on_changed(self, ids: tuple[str, ...], fields: frozenset[str]) -> None:
        if "visible" not in fields:
            return
        roles = [Qt.ItemDataRole.CheckStateRole]
        for lid in ids:
            if lid in self.layers:
                index = self.index_of(lid)
                self.dataChanged.emit(index, index, roles)
                group = index.parent()
                self.dataChanged.emit(group, group, roles)
