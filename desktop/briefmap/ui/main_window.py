"""The main window: map in the centre, layers on the left, the argument on the right."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSlider,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefmap.data.projection import bounds_to_map
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.naming import NAMING_POLICIES
from briefmap.model.view import ViewState, scenario_state
from briefmap.render.sheet import default_extent
from briefmap.ui import safe_text, sheet_actions
from briefmap.ui import settings as store
from briefmap.ui.briefing_text import event_line, reveal_source, scroll_to_top, sources_markdown
from briefmap.ui.canvas import MapCanvas
from briefmap.ui.identify import IdentifyPopup, feature_html
from briefmap.ui.layer_tree import LayerTree
from briefmap.ui.panels import PanelView, SafeBrowser, confirm_and_open


class MainWindow(QMainWindow):
    stateChanged = Signal(object)
    openBriefingRequested = Signal(str)

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], settings: QSettings,
                 state: ViewState | None = None, restore: bool = True):
        super().__init__()
        # The window's own copies: the user's layers join these, never the loaded briefing.
        self.briefing = dataclasses.replace(briefing, layers=list(briefing.layers), styles=dict(briefing.styles))
        self.tables = dict(tables)
        briefing = self.briefing
        tables = self.tables
        self.loads: list = []
        self._applied = False
        self.settings = settings
        self.selected: str | None = None
        self.setWindowTitle(f"{briefing.title} — briefmap")
        self.setObjectName("briefmap-main")
        self.resize(1600, 1000)

        remembered = store.load(settings, briefing) if restore else store.Remembered()
        self.notices = list(remembered.problems)
        self.export_dir = remembered.export_dir
        self.recent = remembered.recent
        if state is None:
            state = scenario_state(briefing, remembered.scenario or None)
            if remembered.visible is not None:
                state = state.with_(visible=remembered.visible)
            state = state.with_(date=remembered.date, names=remembered.names or "both")
        self.state = state

        self.canvas = MapCanvas(briefing, tables, self)
        self.setCentralWidget(self.canvas)
        self.popup = IdentifyPopup(self)
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self.sheet_actions = sheet_actions.install(self)  # Edit → Copy map, File → Print, Help
        from briefmap.ui import find_dialog, measure, new_briefing_dialog

        for tool in (new_briefing_dialog, find_dialog, measure):
            tool.install(self)
        self._build_status()
        self._connect()

        if restore and remembered.geometry is not None:
            self.restoreGeometry(remembered.geometry)
        if restore and remembered.window_state is not None:
            self.restoreState(remembered.window_state)
        initial, self.state = self.state, self.state.with_(visible=())  # nothing is shown before the first apply
        self.apply_state(initial, fit=True)
        if self.notices:
            self.statusBar().showMessage("Settings: " + "; ".join(self.notices), 15000)

    # ------------------------------------------------------------------ building
    def _build_docks(self) -> None:
        b = self.briefing
        self.tree = LayerTree(b, self)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setEnabled(False)
        self.opacity.setAccessibleName("Layer opacity")
        self.opacity.setToolTip("Opacity of the selected layer")
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tree)
        row = QHBoxLayout()
        row.addWidget(QLabel("Opacity"))
        row.addWidget(self.opacity)
        lay.addLayout(row)
        self.layer_dock = QDockWidget("Layers", self)
        self.layer_dock.setObjectName("layers-dock")
        self.layer_dock.setWidget(left)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layer_dock)

        self.panels = PanelView(b, self)
        self.scenario_text = SafeBrowser(self)
        self.scenario_text.setAccessibleName("Scenario")
        self.events = QListWidget(self)
        self.events.setAccessibleName("Timeline events")
        self.events.setWordWrap(True)
        for e in b.events:
            item = QListWidgetItem(event_line(e))
            src = b.sources.get(e.source)
            item.setToolTip(safe_text.tooltip(f"{e.text}\n\nSource: {src.citation() if src else e.source}"))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.events.addItem(item)
        self.sources = SafeBrowser(self)
        self.sources.setAccessibleName("Sources")
        self.sources.set_markdown(sources_markdown(b))
        scroll_to_top(self.sources)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panels, "Briefing")
        self.tabs.addTab(self.scenario_text, "Scenario")
        self.tabs.addTab(self.events, "Timeline")
        self.tabs.addTab(self.sources, "Sources")
        self.panel_dock = QDockWidget("Briefing", self)
        self.panel_dock.setObjectName("panels-dock")
        self.panel_dock.setWidget(self.tabs)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel_dock)
        self.resizeDocks([self.layer_dock, self.panel_dock], [300, 430], Qt.Orientation.Horizontal)

    def _build_toolbar(self) -> None:
        b = self.briefing
        tb = self.addToolBar("Briefing")
        tb.setObjectName("briefing-toolbar")
        tb.setMovable(False)
        tb.addWidget(QLabel(" Scenario "))
        self.scenario_box = QComboBox()
        self.scenario_box.setAccessibleName("Scenario")
        for s in b.scenarios:
            self.scenario_box.addItem(s.title, s.id)
        tb.addWidget(self.scenario_box)
        tb.addSeparator()
        self.timeline_on = QCheckBox("As of")
        self.timeline_on.setToolTip("Filter dated features by an as-of date")
        tb.addWidget(self.timeline_on)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("As-of date")
        self.slider.setRange(0, (b.date_max - b.date_min).days)
        self.slider.setMinimumWidth(260)
        self.slider.setPageStep(30)
        self.slider.setEnabled(False)
        tb.addWidget(self.slider)
        self.date_label = QLabel(" all dates ")
        self.date_label.setMinimumWidth(96)
        tb.addWidget(self.date_label)
        tb.addSeparator()
        tb.addWidget(QLabel(" Names "))
        self.names_box = QComboBox()
        self.names_box.setAccessibleName("Naming policy")
        for key, title in NAMING_POLICIES.items():
            self.names_box.addItem(title, key)
        tb.addWidget(self.names_box)
        tb.addSeparator()
        self.bookmark_button = QToolButton()
        self.bookmark_button.setText("Bookmarks")
        self.bookmark_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tb.addWidget(self.bookmark_button)
        self.reset_action = QAction("Reset view", self)
        self.reset_action.setShortcut(QKeySequence("Ctrl+0"))
        tb.addAction(self.reset_action)
        self.export_action = QAction("Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        tb.addAction(self.export_action)
        self.toolbar = tb

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file = mb.addMenu("&File")
        self.open_action = file.addAction("&Open briefing…")
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.recent_menu = file.addMenu("Recent briefings")
        self._fill_recent()
        self.restore_action = file.addAction("Restore view from exported PNG…")
        self.restore_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        file.addSeparator()
        self.add_layer_action = file.addAction("&Add layer…")
        self.add_layer_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.remove_layer_action = file.addAction("&Remove selected layer")
        self.remove_layer_action.setShortcut(QKeySequence("Ctrl+Shift+Del"))
        file.addSeparator()
        file.addAction(self.export_action)
        from briefmap.ui.pack_dialog import add_pack_action

        add_pack_action(self, file)
        file.addSeparator()
        self.quit_action = file.addAction("&Quit")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        view = mb.addMenu("&View")
        view.addAction(self.layer_dock.toggleViewAction())
        view.addAction(self.panel_dock.toggleViewAction())
        self.legend_action = view.addAction("Legend on the map")
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.legend_action.setShortcut(QKeySequence("Ctrl+L"))
        view.addSeparator()
        bookmarks = view.addMenu("&Bookmarks")
        group = QActionGroup(self)
        self.bookmark_actions: dict[str, QAction] = {}
        for i, bm in enumerate(self.briefing.bookmarks):
            a = bookmarks.addAction(bm.title)
            a.setData(bm.id)
            if i < 9:
                a.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            group.addAction(a)
            self.bookmark_actions[bm.id] = a
        self.bookmark_button.setMenu(bookmarks)
        view.addAction(self.reset_action)
        zoom_in = view.addAction("Zoom in")
        zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        zoom_in.triggered.connect(lambda: self.canvas.zoom(1.25))
        zoom_out = view.addAction("Zoom out")
        zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        zoom_out.triggered.connect(lambda: self.canvas.zoom(1 / 1.25))
        view.addSeparator()
        self.fullscreen_action = view.addAction("Full screen")
        self.fullscreen_action.setShortcut(QKeySequence.StandardKey.FullScreen)
        self.fullscreen_action.setCheckable(True)
        helpm = mb.addMenu("&Help")
        self.about_action = helpm.addAction("&About briefmap")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.openBriefingRequested.emit(p))
        self.recent_menu.setEnabled(bool(self.recent))

    def _build_status(self) -> None:
        self.coords = QLabel("")
        self.coords.setMinimumWidth(200)
        self.scale_label = QLabel("")
        self.scale_label.setMinimumWidth(120)
        mono = QFont("DejaVu Sans Mono")
        self.coords.setFont(mono)
        self.statusBar().addPermanentWidget(self.coords)
        self.statusBar().addPermanentWidget(self.scale_label)

    def _connect(self) -> None:
        self.tree.visibilityChanged.connect(self._on_tree_visibility)
        self.tree.currentLayerChanged.connect(self._on_current_layer)
        self.opacity.valueChanged.connect(self._on_opacity)
        self.scenario_box.currentIndexChanged.connect(self._on_scenario)
        self.names_box.currentIndexChanged.connect(self._on_names)
        self.timeline_on.toggled.connect(self._on_timeline_toggled)
        self.slider.valueChanged.connect(self._on_slider)
        self.events.itemActivated.connect(self._on_event_item)
        self.events.itemClicked.connect(self._on_event_item)
        self.panels.featureLinkClicked.connect(self.select_feature)
        self.panels.eventLinkClicked.connect(self.go_to_event)
        self.panels.sourceLinkClicked.connect(self.show_source)
        self.sources.anchorClicked.connect(lambda url: confirm_and_open(self, url))
        self.canvas.featureClicked.connect(self._on_feature_clicked)
        self.canvas.emptyClicked.connect(lambda: self.select_feature(None))
        self.canvas.cursorMoved.connect(self._on_cursor)
        self.canvas.viewChanged.connect(self._on_view_changed)
        self.canvas.hovered.connect(self._on_hover)
        for bid, action in self.bookmark_actions.items():
            action.triggered.connect(lambda _=False, bid=bid: self.go_to_bookmark(bid))
        self.reset_action.triggered.connect(self.reset_view)
        self.legend_action.toggled.connect(self._on_legend_toggled)
        self.fullscreen_action.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        self.quit_action.triggered.connect(self.close)
        self.open_action.triggered.connect(self._on_open)
        self.about_action.triggered.connect(self.show_about)
        self.export_action.triggered.connect(self.show_export)
        self.add_layer_action.triggered.connect(self._on_add_layer)
        self.restore_action.triggered.connect(self._on_restore_view)
        self.remove_layer_action.triggered.connect(self._on_remove_layer)
        self.tree.removeRequested.connect(self.remove_user_layer)
        self.tree.moveRequested.connect(self.move_layer)
        self.setAcceptDrops(True)

    # ------------------------------------------------------------------ state
    def apply_state(self, state: ViewState, fit: bool = False) -> None:
        """Show `state` everywhere: map, tree, toolbar, panels. Only properties change:
        a toggle re-composites cached layers; names, dates and scenarios lay labels out
        again; nothing re-reads a file or rebuilds geometry."""
        old, self.state = self.state, state
        first = not self._applied
        self._applied = True
        r = self.canvas.map_renderer
        r.apply(state)
        if self.selected and self.selected.split("/", 1)[0] not in state.visible:
            self.selected = None
            r.select(None)
            self.canvas.selection_changed()
        if first or fit:
            self.canvas.invalidate(None)
            self.canvas.refresh_legend()
        elif (old.names, old.date, old.scenario) != (state.names, state.date, state.scenario):
            # Labels are sprites placed at paint time: only the layers whose own drawing
            # changed are rendered again (dated layers for a date, the glowing ones for a
            # scenario); the labels are laid out afresh.
            changed: set[str] = set()
            if old.date != state.date:
                changed |= {lid for lid, t in self.tables.items() if t.dated}
            if old.scenario != state.scenario:
                for sid in (old.scenario, state.scenario):
                    scenario = next((s for s in self.briefing.scenarios if s.id == sid), None)
                    changed |= {ref.split("/", 1)[0] for ref in (scenario.highlight if scenario else ())}
            self.canvas.relayout(sorted(changed))
        else:
            for lid in state.visible:
                if lid not in old.visible:
                    self.canvas.layer_shown(lid)
            self.canvas.refresh_legend()
            self.canvas.update()
        self.tree.set_visible(set(state.visible))
        for widget, value in ((self.scenario_box, state.scenario), (self.names_box, state.names)):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(0, widget.findData(value)))
            widget.blockSignals(False)
        self.timeline_on.blockSignals(True)
        self.slider.blockSignals(True)
        self.timeline_on.setChecked(state.date is not None)
        self.slider.setEnabled(state.date is not None)
        if state.date is not None:
            self.slider.setValue((state.date - self.briefing.date_min).days)
            self.date_label.setText(f" {state.date.isoformat()} ")
        else:
            self.date_label.setText(" all dates ")
        self.timeline_on.blockSignals(False)
        self.slider.blockSignals(False)
        self._mark_events(state.date)
        scenario = self.briefing.scenario(state.scenario)
        self.scenario_text.set_markdown(
            f"# {scenario.title}\n\n{scenario.summary}\n\n"
            + "".join(f"- {p}\n" for p in scenario.key_points)
            + f"\n*From the article's argument; see the panel “{self._panel_title(scenario.panel)}”.*")
        if fit:
            self.canvas.set_extent(state.extent or default_extent(self.briefing, state))
        self.stateChanged.emit(state)

    def _panel_title(self, pid: str) -> str:
        return next((p.title for p in self.briefing.panels if p.id == pid), pid)

    def current_state(self) -> ViewState:
        return self.state.with_(extent=self.canvas.map_renderer.extent(), panel=self.panels.current)

    def _on_tree_visibility(self, visible: set[str]) -> None:
        ordered = tuple(lid for lid in self.briefing.layer_ids if lid in visible)
        self.apply_state(self.state.with_(visible=ordered))

    def _on_current_layer(self, lid: str) -> None:
        self.opacity.setEnabled(bool(lid))
        if lid:
            self.opacity.blockSignals(True)
            self.opacity.setValue(round(self.state.opacity.get(lid, 1.0) * 100))
            self.opacity.blockSignals(False)

    def _on_opacity(self, value: int) -> None:
        index = self.tree.currentIndex()
        lid = index.data(Qt.ItemDataRole.UserRole + 1) if index.isValid() else ""
        if not lid:
            return
        opacity = dict(self.state.opacity)
        opacity[lid] = value / 100.0
        self.state = self.state.with_(opacity=opacity)
        self.canvas.map_renderer.set_layer_opacity(lid, value / 100.0)  # the canvas paints it so
        self.canvas.refresh_legend()
        self.canvas.update()

    def _on_scenario(self, _i: int) -> None:
        sid = self.scenario_box.currentData()
        new = scenario_state(self.briefing, sid).with_(names=self.state.names, date=self.state.date,
                                                       opacity=self.state.opacity)
        self.panels.show_panel(new.panel)
        self.apply_state(new, fit=True)

    def _on_names(self, _i: int) -> None:
        self.apply_state(self.state.with_(names=self.names_box.currentData()))

    def _on_timeline_toggled(self, on: bool) -> None:
        date = self.briefing.date_min + dt.timedelta(days=self.slider.value()) if on else None
        if on and self.slider.value() == 0:
            date = min(self.briefing.article_as_of, self.briefing.date_max)
        self.apply_state(self.state.with_(date=date))

    def _on_slider(self, value: int) -> None:
        self.apply_state(self.state.with_(date=self.briefing.date_min + dt.timedelta(days=value)))

    def _mark_events(self, date: dt.date | None) -> None:
        """Bold the events within 60 days of the chosen date; grey the ones after it."""
        nearest = None
        for i, e in enumerate(self.briefing.events):
            item = self.events.item(i)
            f = item.font()
            near = date is not None and abs((e.date - date).days) <= 60
            f.setBold(near)
            item.setFont(f)
            item.setForeground(Qt.GlobalColor.gray if date is not None and e.date > date else Qt.GlobalColor.black)
            if date is not None and e.date <= date:
                nearest = i
        if nearest is not None:
            self.events.scrollToItem(self.events.item(nearest))

    def _on_event_item(self, item: QListWidgetItem) -> None:
        self.go_to_event(item.data(Qt.ItemDataRole.UserRole))

    def go_to_event(self, event_id: str) -> None:
        e = next((e for e in self.briefing.events if e.id == event_id), None)
        if e is None:
            return
        self.tabs.setCurrentWidget(self.events)
        self.apply_state(self.state.with_(date=e.date))
        if e.features:
            self.select_feature(e.features[0], fly=True)

    def show_source(self, source_id: str) -> bool:
        """Open the Sources tab at a cited source."""
        self.tabs.setCurrentWidget(self.sources)
        return reveal_source(self.sources, source_id)

    def _on_legend_toggled(self, on: bool) -> None:
        self.canvas.show_legend = on
        self.canvas.refresh_legend()

    def go_to_bookmark(self, bookmark_id: str) -> None:
        self.canvas.set_extent(bounds_to_map(self.briefing.bookmark(bookmark_id).bounds, self.briefing.crs))

    def reset_view(self) -> None:
        self.canvas.set_extent(default_extent(self.briefing, self.state.with_(extent=None)))

    # ------------------------------------------------------------------ features
    def select_feature(self, ref: str | None, fly: bool = True) -> bool:
        """Select 'layer/id': show its layer, fly to it, highlight it."""
        r = self.canvas.map_renderer
        if ref:
            found = r.find(ref)
            if not found:
                self.statusBar().showMessage(f"No feature {ref} in this briefing", 5000)
                return False
            layer, index = found
            if layer not in self.state.visible:
                ordered = tuple(lid for lid in self.briefing.layer_ids if lid in {*self.state.visible, layer})
                self.apply_state(self.state.with_(visible=ordered))
            if not r.layers[layer].shown[index] and self.state.date is not None:
                self.apply_state(self.state.with_(date=None))
            self.selected = ref
            r.select(ref)
            self.canvas.selection_changed()
            if fly:
                self._fly_to(layer, index)
            la = r.layers[layer]
            name = la.table.properties[index].get("name") or ref
            self.statusBar().showMessage(f"Selected: {name}", 8000)
            return True
        self.selected = None
        r.select(None)
        self.canvas.selection_changed()
        return True

    def _fly_to(self, layer: str, index: int) -> None:
        geom = self.canvas.map_renderer.layers[layer].table.geometries[index]
        x0, y0, x1, y1 = geom.bounds
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        # Frame the feature with room around it; a point or a short section gets a
        # neighbourhood of about 150 km (a few towns and the nearest border, about
        # 1:600,000 on a laptop screen) so the reader sees where it is.
        w = max(x1 - x0, y1 - y0, 85_000.0) * 1.8
        self.canvas.set_extent((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2))

    def _on_feature_clicked(self, layer: str, index: int, where: QPoint) -> None:
        r = self.canvas.map_renderer
        la = r.layers[layer]
        ref = f"{layer}/{la.table.ids[index]}"
        self.select_feature(ref, fly=False)
        # Everything under the click, top first (a town, a base and a consulate can share
        # a spot): the user sees all of it, as in a GIS identify tool.
        x, y = self.canvas.last_click
        hits = r.hits(x, y, self.canvas.tolerance()) or [(layer, index)]
        parts = []
        for lid, i in hits[:6]:
            lay = r.layers[lid]
            parts.append(feature_html(self.briefing, lay.spec, lay.table.ids[i], lay.table.properties[i],
                                      self.state.names))
        revealed = any(self.panels.reveal(f"{lid}/{r.layers[lid].table.ids[i]}") for lid, i in hits)
        if revealed:
            self.tabs.setCurrentWidget(self.panels)
        self.popup.show_html("<hr>".join(parts), where)

    def _on_hover(self, ref: str) -> None:
        if ref:
            found = self.canvas.map_renderer.find(ref)
            if found:
                props = self.canvas.map_renderer.layers[found[0]].table.properties[found[1]]
                self.statusBar().showMessage(str(props.get("name") or ref), 3000)

    def _on_cursor(self, lon: float, lat: float) -> None:
        ns = "N" if lat >= 0 else "S"
        ew = "E" if lon >= 0 else "W"
        self.coords.setText(f"{abs(lat):.4f}°{ns}  {abs(lon):.4f}°{ew}")

    def _on_view_changed(self) -> None:
        self.scale_label.setText(f"1:{self.canvas.scale_denominator():,.0f}")

    def _on_restore_view(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore view from an exported PNG", self.export_dir or str(Path.home()),
                                              "PNG images (*.png)")
        if path:
            self.restore_view(Path(path))

    def restore_view(self, path: Path) -> bool:
        """Show the view stored in a PNG that briefmap exported (layers, scenario, date,
        names, extent)."""
        from briefmap.render.export import read_view

        try:
            view = read_view(path)
        except ValueError as exc:
            self.show_problems("Cannot restore the view", [str(exc)])
            return False
        if view.briefing_id != self.briefing.id:
            self.show_problems("Cannot restore the view",
                               [f"{path.name} was made with the briefing {view.briefing_id!r}; open that briefing first."])
            return False
        known = set(self.briefing.layer_ids)
        scenarios = {s.id for s in self.briefing.scenarios}
        if view.scenario not in scenarios:
            self.show_problems("Cannot restore the view", [f"{path.name}: unknown scenario {view.scenario!r}"])
            return False
        view = view.with_(visible=tuple(v for v in view.visible if v in known))
        self.scenario_box.blockSignals(True)
        self.apply_state(view, fit=True)
        self.scenario_box.blockSignals(False)
        if view.panel:
            self.panels.show_panel(view.panel)
        self.statusBar().showMessage(f"Restored the view of {path.name}", 8000)
        return True

    # ------------------------------------------------------------------ the user's layers
    def _on_add_layer(self) -> None:
        from briefmap.ui.user_layers import FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Add layer", str(Path.home()), FILTER)
        if path:
            self.add_layer_file(Path(path))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.add_layer_file(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def add_layer_file(self, path: Path, interactive: bool = True):
        """Read a file in a worker thread; the layer joins the map when it is ready."""
        from PySide6.QtWidgets import QProgressDialog

        from briefmap.data.layers import map_crs
        from briefmap.ui.user_layers import LayerLoad

        load = LayerLoad(path, map_crs(self.briefing), self)
        self.loads.append(load)
        dialog = None
        if interactive:
            dialog = QProgressDialog(f"Reading {path.name}…", "Cancel", 0, 1000, self)
            dialog.setWindowTitle("Add layer")
            dialog.setMinimumDuration(400)
            dialog.canceled.connect(load.cancel)
            load.progress.connect(lambda f, m: (dialog.setValue(int(f * 1000)), dialog.setLabelText(m)))

        def finished(layer, error: str) -> None:
            if dialog is not None:
                dialog.reset()
            self.loads.remove(load)
            if layer is None:
                if error:
                    self.statusBar().showMessage(error, 15000)
                    if interactive:
                        safe_text.warn(self, "Cannot add the layer", error)
                else:
                    self.statusBar().showMessage(f"Adding {path.name} was cancelled", 8000)
                return
            self.add_imported_layer(layer, interactive)

        load.finished.connect(finished)
        load.start()
        return load

    def add_imported_layer(self, layer, interactive: bool = True) -> str:
        from briefmap.ui.user_layers import spec_and_style

        top = max(s.order for s in self.briefing.layers) + 1
        spec, style = spec_and_style(layer, set(self.briefing.layer_ids), top)
        self.briefing.layers.append(spec)
        self.briefing.styles[style.id] = style
        self.tables[spec.id] = layer.table
        r = self.canvas.map_renderer
        r.add_layer(spec, layer.table, style)
        self.tree.add_layer(spec)
        visible = (*self.state.visible, spec.id)
        self.apply_state(self.state.with_(visible=visible))
        x0, y0, x1, y1 = self._bounds_of(spec.id)
        pad = max(x1 - x0, y1 - y0, 20_000) * 0.15
        self.canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        note = f"Added {layer.title}: {len(layer.table):,} features"
        if layer.warnings:
            note += " — " + " ".join(layer.warnings)
            if interactive:
                safe_text.inform(self, "Layer added, with notes", "\n\n".join(layer.warnings))
        self.statusBar().showMessage(note, 15000)
        return spec.id

    def _bounds_of(self, lid: str) -> tuple[float, float, float, float]:
        import shapely

        return tuple(shapely.total_bounds(self.tables[lid].geometries))

    def _on_remove_layer(self) -> None:
        index = self.tree.currentIndex()
        lid = index.data(Qt.ItemDataRole.UserRole + 1) if index.isValid() else ""
        if lid and lid.startswith("user-"):
            self.remove_user_layer(lid)
        else:
            self.statusBar().showMessage("Only layers you added can be removed", 5000)

    def move_layer(self, lid: str, step: int) -> bool:
        """Draw a layer above (+1) or below (-1) its neighbour in the layer list."""
        other = self.tree.neighbour(lid, step)
        if not other:
            return False
        self.canvas.map_renderer.swap_order(lid, other)
        orders = {s.id: s.order for s in (self.briefing.layer(lid), self.briefing.layer(other))}
        self.briefing.layers = sorted(
            (dataclasses.replace(s, order=orders[other] if s.id == lid else orders[lid]) if s.id in orders else s
             for s in self.briefing.layers), key=lambda s: s.order)
        self.tree.move(lid, step)
        self.canvas.update()
        return True

    def remove_user_layer(self, lid: str) -> None:
        if not lid.startswith("user-"):
            return
        self.canvas.map_renderer.remove_layer(lid)
        self.tree.remove_layer(lid)
        self.briefing.layers = [s for s in self.briefing.layers if s.id != lid]
        self.tables.pop(lid, None)
        if self.selected and self.selected.startswith(lid + "/"):
            self.selected = None
        self.apply_state(self.state.with_(visible=tuple(v for v in self.state.visible if v != lid)))

    # ------------------------------------------------------------------ dialogs
    def show_about(self) -> None:
        from briefmap.ui.about import AboutDialog

        AboutDialog(self.briefing, self).exec()

    def show_export(self) -> None:
        from briefmap.ui.export_dialog import ExportDialog

        dlg = ExportDialog(self.briefing, self.tables, self.current_state(), self.export_dir, self)
        if dlg.exec():
            self.export_dir = dlg.folder
            self.statusBar().showMessage(dlg.result_message, 10000)

    def _on_open(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open briefing folder", str(Path.home()))
        if path:
            self.openBriefingRequested.emit(path)

    def remember_recent(self, path: str) -> None:
        self.recent = [path] + [p for p in self.recent if p != path]
        self._fill_recent()

    def show_problems(self, title: str, problems: list[str]) -> None:
        safe_text.warn(self, title, "\n".join(problems[:30]) + ("\n…" if len(problems) > 30 else ""))

    def closeEvent(self, event) -> None:
        store.save(self.settings, self.briefing, geometry=self.saveGeometry(), window_state=self.saveState(),
                   visible=self.state.visible, scenario=self.state.scenario, date=self.state.date,
                   names=self.state.names, export_dir=self.export_dir, recent=self.recent)
        self.popup.hide()
        super().closeEvent(event)
