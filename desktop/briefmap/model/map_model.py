"""The map's whole state in one place: the layer list and the view store, for one briefing.

The window and the export both make one; the renderer, the canvas and the docks
subscribe to its two stores. A frozen `ViewState` goes in (`apply`) and comes out
(`state`) where a view is saved to a PNG, the settings or the command line.
"""

from __future__ import annotations

from briefmap.model.briefing import Briefing, Scenario
from briefmap.model.features import FeatureTable
from briefmap.model.layers import LayerList
from briefmap.model.view import ViewState, ViewStore


class MapModel:
    def __init__(self, briefing: Briefing, layers: LayerList, view: ViewStore | None = None):
        self.briefing = briefing
        self.layers = layers
        self.view = view or ViewStore(names=briefing.naming[0].id if briefing.naming else "both")
        # A selection cannot stay on a layer the user hid.
        self.layers.changed.connect(self._drop_hidden_selection)
        self.layers.removed.connect(lambda layer: self._drop_hidden_selection((layer.id,), frozenset({"visible"})))

    @classmethod
    def from_briefing(cls, briefing: Briefing, tables: dict[str, FeatureTable],
                      state: ViewState | None = None) -> MapModel:
        model = cls(briefing, LayerList.from_briefing(briefing, tables))
        if state is not None:
            model.apply(state)
        return model

    def apply(self, state: ViewState) -> None:
        """Show `state`: layers first (one change event), then the view's fields."""
        with self.layers.batch():
            self.layers.set_visible_ids(state.visible)
            self.layers.set_opacities(state.opacity)
        self.view.update(scenario=state.scenario, date=state.date, names=state.names,
                         panel=state.panel or self.view.panel)

    def state(self, extent: tuple[float, float, float, float] | None = None) -> ViewState:
        v = self.view
        return ViewState(
            briefing_id=self.briefing.id,
            briefing_version=self.briefing.version,
            visible=self.layers.visible_ids,
            scenario=v.scenario,
            date=v.date,
            names=v.names,
            extent=extent,
            opacity={la.id: la.opacity for la in self.layers if la.opacity < 1.0},
            panel=v.panel,
        )

    @property
    def scenario(self) -> Scenario | None:
        return next((s for s in self.briefing.scenarios if s.id == self.view.scenario), None)

    def _drop_hidden_selection(self, ids: tuple[str, ...], fields: frozenset[str]) -> None:
        sel = self.view.selected
        if "visible" in fields and sel and sel.split("/", 1)[0] in ids:
            layer = self.layers.get(sel.split("/", 1)[0])
            if layer is None or not layer.visible:
                self.view.update(selected="")
