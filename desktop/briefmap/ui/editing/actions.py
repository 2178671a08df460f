"""The editor's menu entries and tool buttons: Undo/Redo, Edit mode and its drawing tools
(Point, Line, Area, Text note), Delete, the bookmark from this view, the edit history,
Save and Save As. Built once for an EditController."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QUndoView

TOOLS = (  # (tool, menu text, shortcut, what the status bar says while it is chosen)
    ("point", "&Point", "P", "click the map to add a point; drag a point to move it"),
    ("line", "&Line", "L", "click to add vertices; double-click or Enter finishes, Esc cancels, "
                           "Backspace takes back the last vertex"),
    ("polygon", "&Area", "A", "click to add the outline's vertices; double-click or Enter closes it, "
                              "Esc cancels"),
    ("note", "&Text note", "T", "click where the note goes, then type its text"),
)


def _menus(win) -> dict:
    return {m.title().replace("&", ""): m for m in (a.menu() for a in win.menuBar().actions()) if m is not None}


def build_actions(ed) -> None:
    win = ed.win
    menus = _menus(win)
    edit = menus.get("Edit") or win.menuBar().addMenu("&Edit")
    first = edit.actions()[0] if edit.actions() else None

    def put(menu, a, before=None) -> None:
        if a is None:
            menu.insertSeparator(before) if before else menu.addSeparator()
        else:
            menu.insertAction(before, a) if before else menu.addAction(a)

    ed.undo_action = ed.stack.createUndoAction(win, "Undo")
    ed.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    ed.redo_action = ed.stack.createRedoAction(win, "Redo")
    # Ctrl+Shift+Z first, then the platform's own (Ctrl+Y...), each once: a key listed twice
    # is an ambiguous shortcut and does nothing.
    keys = [QKeySequence("Ctrl+Shift+Z")]
    keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in keys]
    ed.redo_action.setShortcuts(keys)
    ed.mode_action = QAction("Edit &mode", win, checkable=True)
    ed.mode_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
    ed.mode_action.setToolTip("Edit mode: draw points, lines, areas and text notes on the map; drag to move or "
                              "reshape; Delete removes; double-click edits")
    ed.mode_action.toggled.connect(ed.mode_toggled)
    ed.tool_group = QActionGroup(win)
    ed.tool_actions = {}
    tools_menu = QMenu("Drawing &tool", win)
    for tool, text, key, _hint in TOOLS:
        a = QAction(text, win, checkable=True)
        a.setData(tool)
        a.setShortcut(QKeySequence(key))
        # Single-letter keys only while the map has the focus (they are letters elsewhere).
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.setToolTip(f"{text.replace('&', '')}: {_hint}")
        a.setEnabled(False)
        ed.tool_group.addAction(a)
        ed.tool_actions[tool] = a
        win.canvas.addAction(a)
    ed.tool_actions["point"].setChecked(True)
    ed.tool_group.triggered.connect(lambda a: ed.set_tool(a.data()))
    ed.delete_action = QAction("&Delete feature", win)
    ed.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
    ed.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    ed.delete_action.triggered.connect(lambda: ed.delete(ed.current, ed.current_layer))
    win.canvas.addAction(ed.delete_action)
    ed.bookmark_action = QAction("Add &bookmark from this view…", win)
    ed.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
    ed.bookmark_action.triggered.connect(lambda: ed.add_bookmark())
    for a in ed.tool_actions.values():
        tools_menu.addAction(a)
    for a in (ed.undo_action, ed.redo_action, None, ed.mode_action, tools_menu.menuAction(), ed.delete_action,
              ed.bookmark_action, None):
        put(edit, a, first)
    ed.history = QUndoView(ed.stack)
    ed.history.setEmptyLabel("Opened")
    ed.history_dock = QDockWidget("Edit history", win)
    ed.history_dock.setObjectName("history-dock")
    ed.history_dock.setWidget(ed.history)
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, ed.history_dock)
    ed.history_dock.hide()
    put(edit, ed.history_dock.toggleViewAction(), first)
    file = menus.get("File")
    ed.save_action = QAction("&Save", win)
    ed.save_action.setShortcut(QKeySequence.StandardKey.Save)
    ed.save_action.triggered.connect(lambda: ed.save())
    ed.save_as_action = QAction("Save &as…", win)
    ed.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
    ed.save_as_action.triggered.connect(lambda: ed.save(ask_folder=True))
    ed.style_layer_action = QAction("St&yle or keep selected layer…", win)
    ed.style_layer_action.setToolTip("Colour, marker, line width, label field and name of a layer you added; "
                                     "keep it in the briefing")
    ed.style_layer_action.triggered.connect(lambda: win.user_layers.style_current())
    if file is not None:
        anchor = next((a for a in file.actions() if a.isSeparator()), None)
        for a in (ed.save_action, ed.save_as_action):
            put(file, a, anchor)
        actions = file.actions()
        remove = getattr(win, "remove_layer_action", None)
        after = actions[actions.index(remove) + 1] if remove in actions and actions.index(remove) + 1 < len(actions) \
            else None
        put(file, ed.style_layer_action, after)
    # Edit mode and the drawing tools get a row of their own: at the end of the briefing toolbar
    # they fell into its overflow menu on a 1600 px screen, out of sight. The row is always there
    # (greyed tools say drawing exists), so turning Edit mode on does not shift the map.
    win.addToolBarBreak()
    ed.draw_toolbar = win.addToolBar("Drawing tools")
    ed.draw_toolbar.setObjectName("drawing-toolbar")
    ed.draw_toolbar.setMovable(False)
    ed.draw_toolbar.addAction(ed.mode_action)
    ed.draw_toolbar.addSeparator()
    for a in ed.tool_actions.values():
        ed.draw_toolbar.addAction(a)
