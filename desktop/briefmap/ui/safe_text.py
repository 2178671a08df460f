"""One text policy for every Qt widget that shows a briefing's or a user's text.

Qt treats text as rich text when it looks like HTML, and a rich-text document loads the
images it names: overriding QTextBrowser.loadResource is not enough, because Qt's document
then reads the file itself and, failing that, calls QImage.load on the name (so
`![](/dev/zero)` allocates until the process aborts). Here:

- `ConfinedDocument` answers every resource request itself and always with a value, so
  Qt never falls back to its own loaders: an image inside the briefing folder (the same
  confinement as the catalog's files, size- and pixel-capped), else a small placeholder.
- message boxes and labels that show data are plain text; tooltips are escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QImageReader, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from briefmap.data.errors import BriefingError
from briefmap.data.panel_images import MAX_IMAGE_PIXELS, resolve_panel_image

MAX_TOOLTIP_CHARS = 2000
MAX_MESSAGE_CHARS = 6000
# MB any one image may take when decoded: a header that lies about its size stops here.
QImageReader.setAllocationLimit(256)


def placeholder() -> QImage:
    """What a refused image shows: a small grey square (never a null image, which would
    make Qt try to load the name itself)."""
    image = QImage(12, 12, QImage.Format.Format_ARGB32)
    image.fill(QColor("#c8c8c8"))
    return image


class ConfinedDocument(QTextDocument):
    """A text document that loads nothing but images inside `root` (None: nothing at all)."""

    def __init__(self, root: Path | None = None, parent=None):
        super().__init__(parent)
        self.root = Path(root) if root else None
        self.refused: list[str] = []

    def loadResource(self, kind: int, url: QUrl):
        if int(kind) != int(QTextDocument.ResourceType.ImageResource.value):
            return QByteArray()
        image = self._image(url)
        # Cache the answer: Qt asks again on every layout and paint.
        self.addResource(int(kind), url, image)
        return image

    def _image(self, url: QUrl) -> QImage:
        target = url.toString()
        if self.root is None or not url.isRelative() or url.host():
            self.refused.append(target)
            return placeholder()
        try:
            path = resolve_panel_image(self.root, url.path())
        except BriefingError:
            self.refused.append(target)
            return placeholder()
        reader = QImageReader(str(path))
        size = reader.size()
        if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
            self.refused.append(target)
            return placeholder()
        image = reader.read()
        if image.isNull():
            self.refused.append(target)
            return placeholder()
        return image


def tooltip(text: str) -> str:
    """Data shown in a tooltip: escaped and forced to rich text, so markup in the data is shown
    as characters, never interpreted."""
    text = text if len(text) <= MAX_TOOLTIP_CHARS else text[:MAX_TOOLTIP_CHARS] + "…"
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "…"


def message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A message box that shows `text` as plain text."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(_clip(text))
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Warning, title, text).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Information, title, text).exec()


def critical(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Critical, title, text).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    box = message(parent, QMessageBox.Icon.Question, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label
