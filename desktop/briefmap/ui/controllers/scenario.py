"""The scenario and naming-policy choosers, and the Scenario tab's text."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from briefmap.model.map_model import MapModel
from briefmap.model.view import scenario_state
from briefmap.ui.panels import SafeBrowser


def scenario_markdown(briefing, scenario) -> str:
    panel = next((p.title for p in briefing.panels if p.id == scenario.panel), scenario.panel)
    return (f"# {scenario.title}\n\n{scenario.summary}\n\n" + "".join(f"- {p}\n" for p in scenario.key_points)
            + f"\n*From the article's argument; see the panel “{panel}”.*")


class ScenarioController:
    """Choosing a scenario shows its layers and its view; `fit` is called with the new
    state so the window can frame it."""

    def __init__(self, model: MapModel, window, fit):
        self.model = model
        self.fit = fit
        b = model.briefing
        self.box = QComboBox()
        self.box.setAccessibleName("Scenario")
        for s in b.scenarios:
            self.box.addItem(s.title, s.id)
        self.names_box = QComboBox()
        self.names_box.setAccessibleName("Naming policy")
        for policy in b.naming:
            self.names_box.addItem(policy.title, policy.id)
        self.text = SafeBrowser(window)
        self.text.setAccessibleName("Scenario")
        self.box.currentIndexChanged.connect(self._on_scenario)
        self.names_box.currentIndexChanged.connect(
            lambda _i: model.view.update(names=self.names_box.currentData()))
        model.view.changed.connect(self._on_view)
        self._on_view(frozenset({"scenario", "names"}))

    def _on_scenario(self, _i: int) -> None:
        self.choose(self.box.currentData())

    def choose(self, scenario_id: str) -> None:
        m = self.model
        new = scenario_state(m.briefing, scenario_id).with_(names=m.view.names, date=m.view.date,
                                                            opacity=m.state().opacity)
        m.apply(new)
        self.fit(new)

    def _on_view(self, fields: frozenset[str]) -> None:
        view = self.model.view
        for key, box, value in (("scenario", self.box, view.scenario), ("names", self.names_box, view.names)):
            if key in fields:
                box.blockSignals(True)
                box.setCurrentIndex(max(0, box.findData(value)))
                box.blockSignals(False)
        scenario = self.model.scenario
        if "scenario" in fields and scenario is not None:
            self.text.set_markdown(scenario_markdown(self.model.briefing, scenario))
