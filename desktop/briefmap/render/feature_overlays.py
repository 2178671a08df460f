"""What the map shows of single features over its layers: the scenario's glow, its
callouts, the selection and the hover outline, and finding a feature by its reference.

Mixed into MapRenderer (render/map_layers.py), which has `layers`, `overlays`, `model`,
`briefing` and `style_for`; the artists themselves are render/overlays.py's.
"""

from __future__ import annotations


class FeatureOverlays:
    def set_highlights(self, refs) -> None:
        found = []
        for ref in refs:
            hit = self.find(ref)
            if hit:
                la = self.layers[hit[0]]
                found.append((hit[0], la.table.geometries[hit[1]], la.spec.order * 10 - 0.5, la.visible,
                              self.style_for(la.spec, la.table, hit[1])))
        self.overlays.set_highlights(found)

    def subjects(self) -> set[tuple[str, int]]:
        """What the scenario emphasises (its glow), as (layer id, index): named before
        towns, weighed most where an inset may stand, never excused by preflight."""
        scenario = self.model.scenario
        return {hit for hit in map(self.find, scenario.highlight if scenario else ()) if hit is not None}

    def set_notes(self, annotations) -> None:
        """Replace the scenario's callouts (a detail map shows none)."""
        self.overlays.set_notes(annotations, self.briefing.crs)

    def select(self, ref: str | None) -> tuple[str, int] | None:
        """Select one feature ('layer/id'), or clear the selection with None."""
        found = self.find(ref) if ref else None
        self.model.view.update(selected=ref if found else "")
        return found

    def hover(self, ref: str | None) -> list:
        """A light outline for the feature under the pointer (replacing the last one)."""
        found = self.find(ref) if ref else None
        self.overlays.set_hover(*self._geometry_and_style(found))
        return list(self.overlays.hover)

    @property
    def selection_artists(self) -> list:
        return list(self.overlays.selection)

    @property
    def hover_artists(self) -> list:
        return list(self.overlays.hover)

    @property
    def note_artists(self) -> list:
        return list(self.overlays.notes)

    @property
    def _notes(self) -> list:
        return self.overlays.notes

    @property
    def _highlights(self) -> list[tuple[str, object]]:
        """(layer id, glow artist) for the scenario's emphasised features."""
        return self.overlays.highlights

    def _geometry_and_style(self, found: tuple[str, int] | None) -> tuple[object, object]:
        """The feature's geometry and its symbol's style, for an outline drawn where the symbol is."""
        if not found:
            return None, None
        la = self.layers[found[0]]
        return la.table.geometries[found[1]], self.style_for(la.spec, la.table, found[1])

    def geometry(self, layer_id: str, index: int):
        return self.layers[layer_id].table.geometries[index]

    def find(self, ref: str) -> tuple[str, int] | None:
        layer, _, fid = ref.partition("/")
        la = self.layers.get(layer)
        if la is None or fid not in la.table.ids:
            return None
        return layer, la.table.index(fid)
