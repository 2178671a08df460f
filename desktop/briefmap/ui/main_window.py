"""The main window: map in the centre, layers on the left, the argument on the right.

It assembles: one MapModel (the only state), the canvas and the controllers that each
own their widgets and subscribe to the model (ui/controllers/). It never decides what to
redraw; see desktop/ARCHITECTURE.md.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabWidget

from briefmap.data.projection import bounds_to_map
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.layers import LayerList
from briefmap.model.map_model import MapModel
from briefmap.model.view import ViewState, scenario_state, view_bounds
from briefmap.ui import safe_text, sheet_actions
from briefmap.ui import settings as store
from briefmap.ui.briefing_text import reveal_source, scroll_to_top, sources_markdown
from briefmap.ui.canvas import MapCanvas
from briefmap.ui.controllers.export import ExportController
from briefmap.ui.controllers.layers import LayersPanel
from briefmap.ui.controllers.scenario import ScenarioController
from briefmap.ui.controllers.selection import SelectionController
from briefmap.ui.controllers.timeline import TimelineController
from briefmap.ui.controllers.user_layers import UserLayersController
from briefmap.ui.panels import PanelView, SafeBrowser, confirm_and_open
from briefmap.ui.window_actions import build_menus, build_toolbar


class MainWindow(QMainWindow):
    openBriefingRequested = Signal(str)

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], settings: QSettings,
                 state: ViewState | None = None, restore: bool = True):
        super().__init__()
        self._briefing = briefing
        self.settings = settings
        self.setWindowTitle(f"{briefing.title} — briefmap")
        self.setObjectName("briefmap-main")
        self.resize(1600, 1000)
        remembered = store.load(settings, briefing) if restore else store.Remembered()
        self.notices = list(remembered.problems)
        self.recent = remembered.recent
        if state is None:
            state = scenario_state(briefing, remembered.scenario or None)
            if remembered.visible is not None:
                state = state.with_(visible=remembered.visible)
            state = state.with_(date=remembered.date, names=remembered.names or state.names)
        # The user's layers join the model's layer list, never the loaded briefing.
        self.model = MapModel(briefing, LayerList.from_briefing(briefing, tables))
        self.model.apply(state)

        self.canvas = MapCanvas(self.model, self)
        self.setCentralWidget(self.canvas)
        self.layers_panel = LayersPanel(self.model, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layers_panel.dock)
        self.scenario = ScenarioController(self.model, self, self.fit)
        self.timeline = TimelineController(self.model, self)
        self._build_right_dock()
        self.selection = SelectionController(self.model, self)
        self.user_layers = UserLayersController(self.model, self)
        self.exporter = ExportController(self.model, self, remembered.export_dir)
        build_toolbar(self)
        build_menus(self)
        self.sheet_actions = sheet_actions.install(self)  # Edit → Copy map, File → Print, Help
        from briefmap.ui import find_dialog, measure

        for tool in (find_dialog, measure):
            tool.install(self)
        self._build_status()
        from briefmap.ui.editing.controller import EditController

        self.editor = EditController(self)  # Edit mode, undo, Save, recovery
        from briefmap.ui.editing import content

        content.install(self)  # timeline events, bookmarks, panel texts, scenarios
        self.tree.removeRequested.connect(self.user_layers.remove)
        self.panels.featureLinkClicked.connect(self.select_feature)
        self.panels.eventLinkClicked.connect(self.go_to_event)
        self.panels.panelChanged.connect(lambda pid: self.model.view.update(panel=pid))
        self.panels.sourceLinkClicked.connect(self.show_source)
        self.sources.anchorClicked.connect(lambda url: confirm_and_open(self, url))
        self.timeline.events.itemActivated.connect(lambda item: self.go_to_event(item.data(Qt.ItemDataRole.UserRole)))
        self.timeline.events.itemClicked.connect(lambda item: self.go_to_event(item.data(Qt.ItemDataRole.UserRole)))
        self.model.view.changed.connect(self._on_view)
        self.setAcceptDrops(True)

        if restore and remembered.geometry is not None:
            self.restoreGeometry(remembered.geometry)
        if restore and remembered.window_state is not None:
            self.restoreState(remembered.window_state)
            # A layout saved before the drawing toolbar had its own row would put it beside the
            # briefing toolbar, where both overflow: the row comes back.
            if not self.toolBarBreak(self.editor.draw_toolbar):
                self.insertToolBarBreak(self.editor.draw_toolbar)
        self.fit(state)
        if self.notices:
            self.statusBar().showMessage("Settings: " + "; ".join(self.notices), 15000)

    # ------------------------------------------------------------------ building
    def _build_right_dock(self) -> None:
        self.panels = PanelView(self.briefing, self)
        if self.model.view.panel:
            self.panels.show_panel(self.model.view.panel)
        self.sources = SafeBrowser(self)
        self.sources.setAccessibleName("Sources")
        self.sources.set_markdown(sources_markdown(self.briefing))
        scroll_to_top(self.sources)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panels, "Briefing")
        self.tabs.addTab(self.scenario.text, "Scenario")
        self.tabs.addTab(self.timeline.page, "Timeline")
        self.tabs.addTab(self.sources, "Sources")
        self.panel_dock = QDockWidget("Briefing", self)
        self.panel_dock.setObjectName("panels-dock")
        self.panel_dock.setWidget(self.tabs)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel_dock)
        self.resizeDocks([self.layer_dock, self.panel_dock], [300, 430], Qt.Orientation.Horizontal)

    def _build_status(self) -> None:
        self.coords = QLabel("")
        self.coords.setMinimumWidth(200)
        self.scale_label = QLabel("")
        self.scale_label.setMinimumWidth(120)
        self.coords.setFont(QFont("DejaVu Sans Mono"))
        self.statusBar().addPermanentWidget(self.coords)
        self.statusBar().addPermanentWidget(self.scale_label)
        self.canvas.cursorMoved.connect(self._on_cursor)
        self.canvas.viewChanged.connect(
            lambda: self.scale_label.setText(f"1:{self.canvas.scale_denominator():,.0f}"))

    def _on_cursor(self, lon: float, lat: float) -> None:
        self.coords.setText(f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'}  {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}")

    def _on_view(self, fields: frozenset[str]) -> None:
        if "panel" in fields and self.model.view.panel:
            self.panels.show_panel(self.model.view.panel)

    # ------------------------------------------------------------------ the model, seen from outside
    @property
    def state(self) -> ViewState:
        return self.model.state()

    @property
    def briefing(self) -> Briefing:
        """The briefing as the window shows it: with the user's layers, in the current order."""
        return dataclasses.replace(self._briefing, layers=self.model.layers.specs, styles=self.model.layers.styles)

    @property
    def tables(self) -> dict[str, FeatureTable]:
        return self.model.layers.tables

    @property
    def selected(self) -> str | None:
        return self.model.view.selected or None

    def current_state(self) -> ViewState:
        """The view as an export or a PNG stores it: the model's state, the extent on screen."""
        return self.model.state(extent=self.canvas.map_renderer.extent())

    def apply_state(self, state: ViewState, fit: bool = False) -> None:
        self.model.apply(state)
        if fit:
            self.fit(state)

    def fit(self, state: ViewState) -> None:
        """Frame a view: its own extent, else its scenario's bookmark, else the default one."""
        self.canvas.set_extent(state.extent or bounds_to_map(view_bounds(self.briefing, state), self.briefing.crs))

    # ------------------------------------------------------------------ actions
    def go_to_bookmark(self, bookmark_id: str) -> None:
        self.canvas.set_extent(bounds_to_map(self.briefing.bookmark(bookmark_id).bounds, self.briefing.crs))

    def reset_view(self) -> None:
        self.fit(self.state.with_(extent=None))

    def go_to_event(self, event_id: str) -> None:
        e = next((e for e in self.briefing.events if e.id == event_id), None)
        if e is None:
            return
        self.tabs.setCurrentWidget(self.timeline.page)
        self.model.view.update(date=e.date)
        if e.features:
            self.select_feature(e.features[0], fly=True)

    def show_source(self, source_id: str) -> bool:
        """Open the Sources tab at a cited source."""
        self.tabs.setCurrentWidget(self.sources)
        return reveal_source(self.sources, source_id)

    def select_feature(self, ref: str | None, fly: bool = True) -> bool:
        return self.selection.select(ref, fly)

    def restore_view(self, path: Path) -> bool:
        return self.exporter.restore(path)

    def show_export(self) -> None:
        self.exporter.show_export()

    def add_layer_file(self, path: Path, interactive: bool = True):
        return self.user_layers.add_file(path, interactive)

    def add_imported_layer(self, layer, interactive: bool = True) -> str:
        return self.user_layers.add_imported(layer, interactive)

    def remove_user_layer(self, lid: str) -> None:
        self.user_layers.remove(lid)

    def move_layer(self, lid: str, step: int) -> bool:
        return self.model.layers.move(lid, step)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            # Before Qt paints the window: the map settles a new view (and moves its legend)
            # now, so that one paint draws both.
            self.canvas.before_frame()
        return super().event(event)

    def show_about(self) -> None:
        from briefmap.ui.about import AboutDialog

        AboutDialog(self.briefing, self).exec()

    def open_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # set up when first used, not at the start

        path = QFileDialog.getExistingDirectory(self, "Open briefing folder", str(Path.home()))
        if path:
            self.openBriefingRequested.emit(path)

    def remember_recent(self, path: str) -> None:
        self.recent = [path] + [p for p in self.recent if p != path]
        self.fill_recent()

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.openBriefingRequested.emit(p))
        self.recent_menu.setEnabled(bool(self.recent))

    def show_problems(self, title: str, problems: list[str]) -> None:
        safe_text.warn(self, title, "\n".join(problems[:30]) + ("\n…" if len(problems) > 30 else ""))

    def dragEnterEvent(self, event) -> None:
        self.user_layers.drag_enter(event)

    def dropEvent(self, event) -> None:
        self.user_layers.drop(event)

    def closeEvent(self, event) -> None:
        s = self.state
        store.save(self.settings, self.briefing, geometry=self.saveGeometry(), window_state=self.saveState(),
                   visible=s.visible, scenario=s.scenario, date=s.date, names=s.names,
                   export_dir=self.exporter.export_dir, recent=self.recent)
        self.selection.popup.hide()
        super().closeEvent(event)

    # ------------------------------------------------------------------ widgets other code reaches for
    tree = property(lambda self: self.layers_panel.tree)
    opacity = property(lambda self: self.layers_panel.opacity)
    layer_dock = property(lambda self: self.layers_panel.dock)
    scenario_box = property(lambda self: self.scenario.box)
    names_box = property(lambda self: self.scenario.names_box)
    scenario_text = property(lambda self: self.scenario.text)
    timeline_on = property(lambda self: self.timeline.check)
    slider = property(lambda self: self.timeline.slider)
    date_label = property(lambda self: self.timeline.label)
    events = property(lambda self: self.timeline.events)
    popup = property(lambda self: self.selection.popup)
    loads = property(lambda self: self.user_layers.loads)

    @property
    def export_dir(self) -> str:
        return self.exporter.export_dir

    @export_dir.setter
    def export_dir(self, value: str) -> None:
        self.exporter.export_dir = value
