"""The as-of date: the toolbar's check box and slider, and the Timeline tab's events."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from briefmap.model.map_model import MapModel
from briefmap.ui import safe_text
from briefmap.ui.briefing_text import event_line


class TimelineController:
    def __init__(self, model: MapModel, window):
        self.model = model
        b = model.briefing
        self.check = QCheckBox("As of")
        self.check.setToolTip("Filter dated features by an as-of date")
        self.slider = QSlider()
        self.slider.setOrientation(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("As-of date")
        self.slider.setRange(0, (b.date_max - b.date_min).days)
        self.slider.setMinimumWidth(260)
        self.slider.setPageStep(30)
        self.slider.setEnabled(False)
        self.label = QLabel(" all dates ")
        self.label.setMinimumWidth(96)
        self.events = QListWidget(window)
        self.events.setAccessibleName("Timeline events")
        self.events.setWordWrap(True)
        # The Timeline tab: a row for tools (the editor's buttons) above the list.
        self.page = QWidget(window)
        self.tools = QHBoxLayout()
        lay = QVBoxLayout(self.page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.tools)
        lay.addWidget(self.events)
        self.fill()
        self.check.toggled.connect(self._on_toggled)
        self.slider.valueChanged.connect(
            lambda v: model.view.update(date=b.date_min + dt.timedelta(days=v)))
        model.view.changed.connect(self._on_view)
        self._on_view(frozenset({"date"}))

    def fill(self) -> None:
        """List the briefing's events (again, after an edit), marked for the chosen date."""
        b = self.model.briefing
        current = self.events.currentItem().data(Qt.ItemDataRole.UserRole) if self.events.currentItem() else None
        self.events.clear()
        for e in b.events:
            item = QListWidgetItem(event_line(e))
            src = b.sources.get(e.source)
            item.setToolTip(safe_text.tooltip(f"{e.text}\n\nSource: {src.citation() if src else e.source}"))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.events.addItem(item)
            if e.id == current:
                self.events.setCurrentItem(item)
        self._mark_events(self.model.view.date)

    def _on_toggled(self, on: bool) -> None:
        b = self.model.briefing
        date = b.date_min + dt.timedelta(days=self.slider.value()) if on else None
        if on and self.slider.value() == 0:
            date = min(b.article_as_of, b.date_max)
        self.model.view.update(date=date)

    def _on_view(self, fields: frozenset[str]) -> None:
        if "date" not in fields:
            return
        date = self.model.view.date
        self.check.blockSignals(True)
        self.slider.blockSignals(True)
        self.check.setChecked(date is not None)
        self.slider.setEnabled(date is not None)
        if date is not None:
            self.slider.setValue((date - self.model.briefing.date_min).days)
            self.label.setText(f" {date.isoformat()} ")
        else:
            self.label.setText(" all dates ")
        self.check.blockSignals(False)
        self.slider.blockSignals(False)
        self._mark_events(date)

    def _mark_events(self, date: dt.date | None) -> None:
        """Bold the events within 60 days of the chosen date; grey the ones after it."""
        nearest = None
        for i, e in enumerate(self.model.briefing.events):
            item = self.events.item(i)
            f = item.font()
            f.setBold(date is not None and abs((e.date - date).days) <= 60)
            item.setFont(f)
            item.setForeground(Qt.GlobalColor.gray if date is not None and e.date > date else Qt.GlobalColor.black)
            if date is not None and e.date <= date:
                nearest = i
        if nearest is not None:
            self.events.scrollToItem(self.events.item(nearest))
