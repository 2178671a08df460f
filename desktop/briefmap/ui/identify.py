"""What is known about a feature, and where it comes from: the identify popup."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from briefmap.data.layers import base_map_of, read_base
from briefmap.model.briefing import Briefing, LayerSpec
from briefmap.model.naming import label_for, policy_for
from briefmap.ui.briefing_text import human_date

CONFIDENCE_TEXT = {
    "confirmed": "confirmed by the source",
    "reported": "reported by the source, not independently confirmed",
    "approximate": "position or extent approximate",
    "unconfirmed": "unconfirmed — treat with caution",
}
SHOWN_FIRST = ("name", "label", "description", "source", "as_of", "confidence", "start", "end", "precision")
# Shown in the subtitle, or only of use to the program.
HIDDEN = {"id", "after_article", "schematic", "historical", "rank", "label"}
# Human labels for the properties of the built-in data; any other property is shown with
# its name spelled out ("first_pillar" -> "First pillar").
LABELS = {
    "iso_a3": "Country",
    "name_local": "Local name",
    "name_alt": "Also written",
    "name_hy": "Name in Armenian",
    "name_ru": "Name in Russian",
    "name_tr": "Name in Turkish",
    "name_fa": "Name in Persian",
    "name_hy_usage": "Armenian usage",
    "name_az_usage": "Azerbaijani usage",
    "name_hy_script": "In Armenian script",
    "name_az_script": "In Azerbaijani",
    "name_ka_script": "In Georgian script",
    "naming_note": "About the names",
    "role": "On this map",
    "left": "Country on one side",
    "right": "Country on the other side",
    "actor": "Actor",
    "relation": "Relationship",
    "troops": "Troops",
    "population": "Population",
    "geonameid": "GeoNames id",
    "lat": "Latitude",
    "lon": "Longitude",
    "capital": "Capital",
    "country": "Country",
    "section": "Delimitation section",
    "agreed": "Agreed",
    "first_pillar": "First border pillar",
    "protocol_signed": "Protocol signed",
    "handover": "Handed over",
    "transitional_until": "Transitional scheme until",
    "returned_to_azerbaijan": "Returned to Azerbaijan",
    "official_length_km": "Length (km, official)",
    "combined_length_km": "Length with its neighbour (km)",
    "drawn_length_km": "Length as drawn (km)",
    "length_note": "About the length",
    "position_note": "About the position",
    "date_note": "About the dates",
    "period": "Period",
    "people_article": "People displaced (the article)",
    "people_armenian_government_2023_09_30": "Arrivals counted by Armenia's government, 30 Sep 2023",
    "people_unhcr_2024_02_01": "Refugees counted by UNHCR, 1 Feb 2024",
    "position_source": "Source of the position",
    "end_source": "Source of the end date",
}
ROLES = {"focus": "a party to the talks", "neighbour": "a neighbouring power", "context": "context"}
DATE_KEYS = {"agreed", "first_pillar", "protocol_signed", "handover", "transitional_until"}


COUNTRY_KEYS = {"iso_a3", "country", "left", "right"}


_COUNTRY_NAMES: dict[str, dict[str, str]] = {}  # by base map file


def country_names(briefing: Briefing) -> dict[str, str]:
    """Country names by ISO code, from the briefing's base map (empty if it cannot be read)."""
    try:
        key = str(base_map_of(briefing))
        if key not in _COUNTRY_NAMES:
            table = read_base(briefing, "countries")
            _COUNTRY_NAMES[key] = {fid: str(p.get("name") or fid)
                                   for fid, p in zip(table.ids, table.properties, strict=True)}
        return _COUNTRY_NAMES[key]
    except Exception:  # the popup still works with codes
        return {}


def country(code: str, briefing: Briefing) -> str:
    name = country_names(briefing).get(code)
    return f"{name} ({code})" if name and name != code else code


def property_label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def property_value(briefing: Briefing, key: str, value: Any) -> str:
    """A property's value as a reader wants it: sources spelled out, dates in words,
    whole numbers without a decimal point."""
    if key.endswith("_source") and str(value) in briefing.sources:
        return briefing.sources[str(value)].citation()
    if key in DATE_KEYS:
        return human_date(str(value))
    if key in COUNTRY_KEYS:
        return country(str(value), briefing)
    if key == "role":
        return ROLES.get(str(value), str(value))
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if key not in ("geonameid",) else str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and key != "geonameid":
        return f"{value:,}"
    return str(value)


def feature_title(props: dict[str, Any], names: str, fid: str, briefing: Briefing) -> str:
    policies = briefing.naming
    title = label_for(props, policy_for(policies, names), "name", policies) or props.get("name")
    if title:
        return str(title)
    if props.get("left") and props.get("right"):
        names_ = country_names(briefing)
        return f"Border: {names_.get(props['left'], props['left'])} – {names_.get(props['right'], props['right'])}"
    return fid


def feature_html(briefing: Briefing, spec: LayerSpec, fid: str, props: dict[str, Any], names: str) -> str:
    """The feature's properties as HTML, the source spelled out."""
    e = html.escape
    mark = str(props.get("after_article", "") or "")
    later = (" · <b>after the article</b>" if spec.after_article or mark == "yes"
             else " · <b>ended after the article</b>" if mark == "end" else "")
    parts = [f"<h3 style='margin:0'>{e(feature_title(props, names, fid, briefing))}</h3>",
             f"<p style='color:#666;margin:2px 0 6px 0'>{e(spec.title)}"
             + (" · historical" if spec.historical else "") + (" · schematic" if spec.schematic else "")
             + later + "</p>"]
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
        rows.append(("As of", e(human_date(str(props["as_of"])))))
    conf = str(props.get("confidence", ""))
    if conf:
        rows.append(("Confidence", f"<b>{e(conf)}</b>: {e(CONFIDENCE_TEXT.get(conf, ''))}"))
    if props.get("start") or props.get("end"):
        precision = str(props.get("precision") or "day")
        start = human_date(str(props["start"]), precision) if props.get("start") else "…"
        end = human_date(str(props["end"]), precision) if props.get("end") else "today"
        span = f"{start} – {end}"
        if precision in ("month", "year"):
            span += f" (known to the {precision})"
        rows.append(("Dates", e(span)))
    for key, value in props.items():
        if key in SHOWN_FIRST or key in HIDDEN or value in ("", None):
            continue
        rows.append((e(property_label(key)), e(property_value(briefing, key, value))))
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
