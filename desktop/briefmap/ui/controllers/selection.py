"""Selecting and identifying features: a click on the map, a link in a panel, an event.

The selection lives in the view store (`selected`); the renderer draws its outline and the
canvas composites it. A click is hit-tested once, by the canvas; this controller gets the
whole list and shows it in the identify popup.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint

from briefmap.model.map_model import MapModel
from briefmap.ui.identify import IdentifyPopup, feature_html


class SelectionController:
    def __init__(self, model: MapModel, window):
        self.model = model
        self.window = window
        self.canvas = window.canvas
        self.popup = IdentifyPopup(window)
        self.canvas.featureClicked.connect(self._on_clicked)
        self.canvas.emptyClicked.connect(lambda: self.select(None))
        self.canvas.hovered.connect(self._on_hover)

    def _status(self, text: str, ms: int) -> None:
        self.window.statusBar().showMessage(text, ms)

    def select(self, ref: str | None, fly: bool = True) -> bool:
        """Select 'layer/id': show its layer (and drop a date that hides it), fly to it."""
        m = self.model
        if not ref:
            m.view.update(selected="")
            return True
        r = self.canvas.map_renderer
        found = r.find(ref)
        if not found:
            self._status(f"No feature {ref} in this briefing", 5000)
            return False
        layer, index = found
        m.layers[layer].visible = True
        if m.view.date is not None and not m.layers[layer].table.shown_on(m.view.date)[index]:
            m.view.update(date=None)
        m.view.update(selected=ref)
        if fly:
            self.fly_to(layer, index)
        name = m.layers[layer].table.properties[index].get("name") or ref
        self._status(f"Selected: {name}", 8000)
        return True

    def fly_to(self, layer: str, index: int) -> None:
        x0, y0, x1, y1 = self.model.layers[layer].table.geometries[index].bounds
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        # Frame the feature with room around it; a point or a short section gets a
        # neighbourhood of about 150 km (a few towns and the nearest border, about
        # 1:600,000 on a laptop screen) so the reader sees where it is.
        w = max(x1 - x0, y1 - y0, 85_000.0) * 1.8
        self.canvas.set_extent((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2))

    def ref(self, layer: str, index: int) -> str:
        return f"{layer}/{self.model.layers[layer].table.ids[index]}"

    def _on_clicked(self, hits: list[tuple[str, int]], where: QPoint) -> None:
        r = self.canvas.map_renderer
        self.select(self.ref(*hits[0]), fly=False)
        # Everything under the click, top first (a town, a base and a consulate can share
        # a spot): the user sees all of it, as in a GIS identify tool. The backdrop area
        # is listed only when nothing else is there.
        shown = [h for h in hits if not r.is_backdrop(h[0])] or hits[:1]
        parts = []
        for lid, i in shown[:6]:
            la = self.model.layers[lid]
            parts.append(feature_html(self.model.briefing, la.spec, la.table.ids[i], la.table.properties[i],
                                      self.model.view.names))
        panels = self.window.panels
        if any(panels.reveal(self.ref(*h)) for h in shown):
            self.window.tabs.setCurrentWidget(panels)
        self.popup.show_html("<hr>".join(parts), where)

    def _on_hover(self, ref: str) -> None:
        found = self.canvas.map_renderer.find(ref) if ref else None
        if found:
            props = self.model.layers[found[0]].table.properties[found[1]]
            self._status(str(props.get("name") or ref), 3000)
