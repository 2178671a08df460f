"""The lists the content editors pick features, events and panels from: one row per
choice ("label  (target)"), narrowed by a filter box as the user types."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from briefmap.model.briefing_edits import LinkChoice

ROLE = Qt.ItemDataRole.UserRole


def choice_item(choice: LinkChoice, data=None) -> QListWidgetItem:
    """A row for `choice`, carrying `data` (the choice's target unless said otherwise)."""
    item = QListWidgetItem(f"{choice.label}  ({choice.target})")
    item.setData(ROLE, choice.target if data is None else data)
    return item


def filter_rows(rows: QListWidget, text: str) -> None:
    """Hide the rows that do not contain `text` (any case); all show for an empty filter."""
    needle = text.strip().lower()
    for i in range(rows.count()):
        item = rows.item(i)
        item.setHidden(bool(needle) and needle not in item.text().lower())
