"""The briefing's argument panels: Markdown rendered by Qt, with links into the map.

Markdown is rendered without raw HTML; the document loads only images inside the briefing
folder (ui/safe_text.py), and a web link opens in the browser only after the user confirms.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import QComboBox, QTextBrowser, QVBoxLayout, QWidget

from briefmap.model.briefing import Briefing
from briefmap.model.panel_text import window_text
from briefmap.ui.briefing_text import style_citations
from briefmap.ui.safe_text import ConfinedDocument, ask

MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


MAX_TABLE_ROWS = 500


def limit_tables(text: str) -> str:
    """Qt lays out a Markdown table in time that grows faster than its rows; a panel is
    read by people, so a table is cut at MAX_TABLE_ROWS rows with a note."""
    out: list[str] = []
    run = 0
    for line in text.splitlines(keepends=True):
        run = run + 1 if line.lstrip().startswith("|") else 0
        if run == MAX_TABLE_ROWS + 1:
            out.append(f"\n*(table cut at {MAX_TABLE_ROWS} rows)*\n\n")
        if run <= MAX_TABLE_ROWS:
            out.append(line)
    return "".join(out)


class SafeBrowser(QTextBrowser):
    """A QTextBrowser whose document loads only images inside `root` (none when None)."""

    def __init__(self, parent=None, root: Path | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setDocument(ConfinedDocument(root, self))

    def loadResource(self, kind: int, name: QUrl):
        return self.document().loadResource(kind, name)

    def set_markdown(self, text: str) -> None:
        doc = self.document()
        doc.setMarkdown(limit_tables(text), MARKDOWN)
        self.setDocument(doc)

    def set_panel_markdown(self, text: str) -> None:
        """A panel's text as the window shows it: window-only words (`[…]{.window}`) without
        their marks (the handout and the deck leave them out)."""
        self.set_markdown(window_text(text))

    def link_positions(self, href: str) -> list[int]:
        """Where in the document a link with this target starts."""
        out = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid() and frag.charFormat().anchorHref() == href:
                    out.append(frag.position())
                it += 1
            block = block.next()
        return out


def confirm_and_open(parent: QWidget, url: QUrl) -> bool:
    if url.scheme() not in ("http", "https", "mailto"):
        return False
    if ask(parent, "Open link", f"Open this address in your web browser?\n\n{url.toString()}"):
        QDesktopServices.openUrl(url)
        return True
    return False


EMPTY_PANEL = "*This panel has no text yet. To write it: Edit → Briefing content → Edit panel text…*"


class PanelView(QWidget):
    """A panel chooser and the chosen panel's text."""

    featureLinkClicked = Signal(str)  # "layer/id"
    eventLinkClicked = Signal(str)
    sourceLinkClicked = Signal(str)  # a citation: "source:ID"
    panelChanged = Signal(str)

    def __init__(self, briefing: Briefing, parent=None):
        super().__init__(parent)
        self.briefing = briefing
        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName("Panel")
        for p in briefing.panels:
            self.chooser.addItem(p.title, p.id)
        self.browser = SafeBrowser(self, briefing.root)
        self.browser.setAccessibleName("Panel text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.chooser)
        layout.addWidget(self.browser)
        self.chooser.currentIndexChanged.connect(self._on_choose)
        self.browser.anchorClicked.connect(self._on_link)
        if briefing.panels:
            self._on_choose(0)

    @property
    def current(self) -> str:
        return self.chooser.currentData() or ""

    def show_panel(self, panel_id: str) -> None:
        i = self.chooser.findData(panel_id)
        if i >= 0 and i != self.chooser.currentIndex():
            self.chooser.setCurrentIndex(i)

    def _on_choose(self, i: int) -> None:
        panel = self.briefing.panels[i]
        # A new briefing's panel is empty: say where its words are written instead of a blank page
        # (our own words; a placeholder would show only its first line).
        self.browser.set_panel_markdown(panel.text if panel.text.strip() else EMPTY_PANEL)
        style_citations(self.browser.document())
        self.panelChanged.emit(panel.id)

    def _on_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        target = url.toString()[len(scheme) + 1:]
        if scheme == "feature":
            self.featureLinkClicked.emit(target)
        elif scheme == "panel":
            self.show_panel(target)
        elif scheme == "event":
            self.eventLinkClicked.emit(target)
        elif scheme == "source":
            self.sourceLinkClicked.emit(target)
        else:
            confirm_and_open(self, url)

    def reveal(self, ref: str) -> bool:
        """Show the first panel whose text links to feature `ref`, scrolled to the link."""
        href = f"feature:{ref}"
        order = [self.current] + [p.id for p in self.briefing.panels if p.id != self.current]
        for pid in order:
            panel = next(p for p in self.briefing.panels if p.id == pid)
            if f"({href})" not in panel.text:
                continue
            self.show_panel(pid)
            positions = self.browser.link_positions(href)
            if positions:
                cursor = QTextCursor(self.browser.document())
                cursor.setPosition(positions[0])
                cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
            return True
        return False
