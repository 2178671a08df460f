"""The Layers dock: the layer tree and the selected layer's opacity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from briefmap.model.map_model import MapModel
from briefmap.ui.layer_tree import LayerTree


class LayersPanel:
    def __init__(self, model: MapModel, window):
        self.model = model
        self.tree = LayerTree(model.briefing, model.layers, window)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setEnabled(False)
        self.opacity.setAccessibleName("Layer opacity")
        self.opacity.setToolTip("Opacity of the selected layer")
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        row.addWidget(QLabel("Opacity"))
        row.addWidget(self.opacity)
        lay.addLayout(row)
        self.dock = QDockWidget("Layers", window)
        self.dock.setObjectName("layers-dock")
        self.dock.setWidget(box)
        self.tree.currentLayerChanged.connect(self._show_opacity)
        self.opacity.valueChanged.connect(self._set_opacity)
        model.layers.changed.connect(self._on_changed)

    def _show_opacity(self, lid: str) -> None:
        self.opacity.setEnabled(bool(lid))
        if lid:
            self.opacity.blockSignals(True)
            self.opacity.setValue(round(self.model.layers[lid].opacity * 100))
            self.opacity.blockSignals(False)

    def _set_opacity(self, value: int) -> None:
        lid = self.tree.current_layer()
        if lid:
            self.model.layers[lid].opacity = value / 100.0

    def _on_changed(self, ids: tuple[str, ...], fields: frozenset[str]) -> None:
        lid = self.tree.current_layer()
        if "opacity" in fields and lid in ids:
            self._show_opacity(lid)
