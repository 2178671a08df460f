"""The main window's toolbar and menus: actions wired to the controllers."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QToolButton


def build_toolbar(win) -> None:
    tb = win.addToolBar("Briefing")
    tb.setObjectName("briefing-toolbar")
    tb.setMovable(False)
    tb.addWidget(QLabel(" Scenario "))
    tb.addWidget(win.scenario.box)
    tb.addSeparator()
    tb.addWidget(win.timeline.check)
    tb.addWidget(win.timeline.slider)
    tb.addWidget(win.timeline.label)
    tb.addSeparator()
    tb.addWidget(QLabel(" Names "))
    tb.addWidget(win.scenario.names_box)
    tb.addSeparator()
    win.bookmark_button = QToolButton()
    win.bookmark_button.setText("Bookmarks")
    win.bookmark_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    tb.addWidget(win.bookmark_button)
    win.reset_action = QAction("Reset view", win)
    win.reset_action.setShortcut(QKeySequence("Ctrl+0"))
    win.reset_action.triggered.connect(win.reset_view)
    tb.addAction(win.reset_action)
    win.export_action = QAction("Export…", win)
    win.export_action.setShortcut(QKeySequence("Ctrl+E"))
    win.export_action.triggered.connect(win.show_export)
    tb.addAction(win.export_action)
    win.toolbar = tb


def _action(menu, text: str, shortcut, slot) -> QAction:
    a = menu.addAction(text)
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
    a.triggered.connect(slot)
    return a


def build_menus(win) -> None:
    mb = win.menuBar()
    file = mb.addMenu("&File")
    _new_briefing_action(win, file)
    win.open_action = _action(file, "&Open briefing…", "Ctrl+O", win.open_folder)
    win.recent_menu = file.addMenu("Recent briefings")
    win.fill_recent()
    win.restore_action = _action(file, "Restore view from exported PNG…", "Ctrl+Shift+O", win.exporter.ask_and_restore)
    file.addSeparator()
    win.add_layer_action = _action(file, "&Add layer…", "Ctrl+Shift+A", win.user_layers.ask_and_add)
    win.remove_layer_action = _action(file, "&Remove selected layer", "Ctrl+Shift+Del",
                                      win.user_layers.remove_current)
    file.addSeparator()
    file.addAction(win.export_action)
    _pack_action(win, file)
    file.addSeparator()
    win.quit_action = _action(file, "&Quit", "Ctrl+Q", win.close)

    view = mb.addMenu("&View")
    view.addAction(win.layer_dock.toggleViewAction())
    view.addAction(win.panel_dock.toggleViewAction())
    win.legend_action = view.addAction("Legend on the map")
    win.legend_action.setCheckable(True)
    win.legend_action.setChecked(True)
    win.legend_action.setShortcut(QKeySequence("Ctrl+L"))

    def legend(on: bool) -> None:
        win.canvas.show_legend = on
        win.canvas.refresh_legend()

    win.legend_action.toggled.connect(legend)
    view.addSeparator()
    bookmarks = view.addMenu("&Bookmarks")
    group = QActionGroup(win)
    win.bookmark_actions = {}
    for i, bm in enumerate(win.briefing.bookmarks):
        a = _action(bookmarks, bm.title, f"Ctrl+{i + 1}" if i < 9 else None,
                    lambda _=False, bid=bm.id: win.go_to_bookmark(bid))
        a.setData(bm.id)
        group.addAction(a)
        win.bookmark_actions[bm.id] = a
    win.bookmark_button.setMenu(bookmarks)
    view.addAction(win.reset_action)
    _action(view, "Zoom in", QKeySequence.StandardKey.ZoomIn, lambda: win.canvas.zoom(1.25))
    _action(view, "Zoom out", QKeySequence.StandardKey.ZoomOut, lambda: win.canvas.zoom(1 / 1.25))
    view.addSeparator()
    win.fullscreen_action = view.addAction("Full screen")
    win.fullscreen_action.setShortcut(QKeySequence.StandardKey.FullScreen)
    win.fullscreen_action.setCheckable(True)
    win.fullscreen_action.toggled.connect(lambda on: win.showFullScreen() if on else win.showNormal())
    helpm = mb.addMenu("&Help")
    win.about_action = _action(helpm, "&About briefmap", None, win.show_about)


# The dialogs' modules are imported when their command is first used: each sets up a
# dozen Qt widget classes the window's start does not need.


def _new_briefing_action(win, file) -> None:
    """File → New briefing… (Ctrl+N), first in the File menu; the new briefing opens."""

    def show() -> None:
        from briefmap.ui.new_briefing_dialog import NewBriefingDialog

        dlg = NewBriefingDialog(win)
        if dlg.exec() and dlg.created is not None:
            win.openBriefingRequested.emit(str(dlg.created))

    win.new_briefing_action = _action(file, "&New briefing…", QKeySequence.StandardKey.New, show)


def _pack_action(win, file) -> None:
    """File → Export briefing pack…, for a window with `briefing`, `current_state()` and an
    export folder."""

    def show() -> None:
        from briefmap.ui.pack_dialog import PackDialog

        # The window's export folder (kept by its export controller once it has one).
        exporter = getattr(win, "exporter", win)
        PackDialog(win.briefing, win.current_state(), getattr(exporter, "export_dir", "") or "", win).exec()

    win.pack_action = _action(file, "Export briefing &pack…", None, show)
