"""What is known about a feature, and where it comes from: the identify popup."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from briefmap.model.briefing import Briefing, LayerSpec
from briefmap.model.naming import label_for, policy_for

CONFIDENCE_TEXT = {
    "confirmed": "confirmed by the source",
    "reported": "reported by the source, not independently confirmed",
    "approximate": "position or extent approximate",
    "unconfirmed": "unconfirmed — treat with caution",
}
SHOWN_FIRST = ("name", "label", "description", "source", "as_of", "confidence", "start", "end", "precision")
HIDDEN = {"id"}


def feature_html(briefing: Briefing, spec: LayerSpec, fid: str, props: dict[str, Any], names: str) -> str:
    """The feature's properties as HTML, the source spelled out."""
    e = html.escape
    title = label_for(props, policy_for(briefing.naming, names), "name", briefing.naming) or props.get("name") or fid
    parts = [f"<h3 style='margin:0'>{e(str(title))}</h3>",
             f"<p style='color:#666;margin:2px 0 6px 0'>{e(spec.title)}"
             + (" · historical" if spec.historical else "") + (" · schematic" if spec.schematic else "")
             + (" · <b>after the article</b>" if spec.after_article or props.get("after_article") == "yes" else "")
             + "</p>"]
    if props.get("description"):
        parts.append(f"<p>{e(str(props['description']))}</p>")
    rows = []
    src = briefing.sources.get(str(props.get("source", "")))
    if src:
        cite = e(src.citation())
        if src.url:
            cite += f"<br><span style='color:#666'>{e(src.url)}</span>"
        rows.append(("Source", cite))
    if props.get("as_of"):
        rows.append(("As of", e(str(props["as_of"]))))
    conf = str(props.get("confidence", ""))
    if conf:
        rows.append(("Confidence", f"<b>{e(conf)}</b>: {e(CONFIDENCE_TEXT.get(conf, ''))}"))
    if props.get("start") or props.get("end"):
        span = f"{props.get('start') or '…'} – {props.get('end') or 'today'}"
        if props.get("precision") in ("month", "year"):
            span += f" (known to the {props['precision']})"
        rows.append(("Dates", e(span)))
    for key, value in props.items():
        if key in SHOWN_FIRST or key in HIDDEN or value in ("", None):
            continue
        rows.append((key.replace("_", " ").capitalize(), e(str(value))))
    parts.append("<table cellspacing='0' cellpadding='2'>"
                 + "".join(f"<tr><td valign='top' style='color:#555;padding-right:8px'>{k}</td><td>{v}</td></tr>"
                           for k, v in rows)
                 + "</table>")
    return "".join(parts)


class IdentifyPopup(QFrame):
    """A small window next to the click, closed by clicking elsewhere or Esc."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setOpenExternalLinks(False)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setMinimumWidth(340)
        self.label.setMaximumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)

    def show_html(self, text: str, at: QPoint) -> None:
        self.label.setText(text)
        self.adjustSize()
        self.move(at + QPoint(12, 12))
        self.show()
