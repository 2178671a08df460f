"""Help → User guide (F1) and Help → Keyboard shortcuts: a short guide written here, shown
as Markdown (no HTML, nothing read from files), and every shortcut the window has."""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from briefmap.ui.panels import SafeBrowser

GUIDE = """\
# briefmap: a short guide

## What the map shows
The map shows one briefing: its layers (left), the analysis it summarises (right) and
the scenario chosen in the toolbar. A scenario switches on its layers, emphasises the
features it speaks of with a **soft yellow glow** and adds callouts with a line to the
feature they speak of. The **As of** date hides what did not exist yet.

## Symbols
The legend on the map lists every symbol in view, drawn exactly as the map draws it.
Click its title to fold it; drag it anywhere. *Schematic* layers show a relationship or a
route, not a surveyed line. Boundaries are de facto and imply no endorsement.

## Confidence
Every feature says how sure its position and facts are:

- **confirmed**: checked against an official or first-hand source;
- **reported**: reported by a credible outlet, not independently confirmed;
- **approximate**: the thing is known, its exact position is not;
- **unconfirmed**: shown for context; treat with care.

Click a feature to see its source, its date and its confidence.

## Exporting a sheet
*Export* (Ctrl+E) writes a PNG, SVG or PDF sheet: title, map, legend, scale bar, north
arrow, locator inset, key points and credits. Choose a preset or a size; type your own
title, subtitle or note. The **Preflight** list says what the sheet would lose (labels
without room, text under 6 pt, anything cut by the frame). SVG and PDF keep their text
as text. **Edit → Copy map** (Ctrl+C on the map) puts the sheet on the clipboard;
**File → Print** (Ctrl+P) prints it. On the command line: `briefmap export --help`.
"""


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every action of the window that has one."""
    from PySide6.QtGui import QAction

    rows = {}
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        name = action.text().replace("&", "").rstrip("…").strip()
        if keys and name:
            rows.setdefault(", ".join(keys), name)
    fixed = {"Wheel": "Zoom at the pointer", "Drag": "Pan the map", "Arrow keys": "Pan the map",
             "Alt+click a layer": "Show only that layer (again: restore)", "V": "Toggle the selected layers"}
    rows.update({k: v for k, v in fixed.items() if k not in rows})
    return sorted(rows.items(), key=lambda kv: kv[1].lower())


def shortcuts_markdown(window) -> str:
    def cell(text: str) -> str:
        # Action names can come from a briefing (its bookmarks): every punctuation mark is
        # escaped, so nothing in them is read as Markdown or HTML.
        return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)

    lines = ["# Keyboard shortcuts", "", "| Keys | Action |", "|---|---|"]
    lines += [f"| {cell(k)} | {cell(v)} |" for k, v in shortcut_rows(window)]
    return "\n".join(lines) + "\n"


class HelpDialog(QDialog):
    def __init__(self, markdown: str, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        # The same resource policy as the panels: a help page loads nothing from disk.
        self.browser = SafeBrowser(self, root=None)
        self.browser.set_markdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 560)
