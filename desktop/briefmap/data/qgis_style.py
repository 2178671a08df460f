"""A briefing layer's styles as a QGIS style (QML), so QGIS draws the layer as briefmap does.

Sizes stay in points (QGIS's "Point" unit), as in the catalog. Dash patterns are written
out in points because matplotlib scales them by the line width and QGIS does not. A
layer styled by a property becomes a categorized renderer on that property (the empty
category catches features without it); labels follow the layer's label field and the
naming policy "both usages". Text from the briefing goes through an XML writer, never
into markup by hand.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from briefmap.model.briefing import LayerSpec, Style

QGIS_VERSION = "3.22.0"
HALO_POINTS = 1.1  # briefmap's label halo: a 2.2 pt white stroke, half of it outside the glyphs
HALO_OPACITY = 0.85
MARKER_OUTLINE_POINTS = 0.6

# matplotlib dash patterns in multiples of the line width (render/map_layers.py LINESTYLES).
DASHES = {"dashed": (5.0, 2.5), "dotted": (1.0, 1.8), "dashdot": (6.0, 2.0, 1.5, 2.0)}
PEN_STYLES = {"solid": "solid", "dashed": "dash", "dotted": "dot", "dashdot": "dash dot"}
# matplotlib marker -> (QGIS simple marker, angle in degrees clockwise)
MARKERS = {"o": ("circle", 0), "s": ("square", 0), "^": ("triangle", 0), "v": ("triangle", 180),
           "<": ("triangle", 270), ">": ("triangle", 90), "D": ("diamond", 0), "d": ("diamond", 0),
           "*": ("star", 0), "P": ("cross_fill", 0), "X": ("cross_fill", 45), "h": ("hexagon", 0),
           "p": ("pentagon", 0)}
# matplotlib hatch characters -> the angles of their lines (QGIS: degrees, counter-clockwise)
HATCH_ANGLES = {"/": (45,), "\\": (135,), "|": (90,), "-": (0,), "+": (0, 90), "x": (45, 135), "X": (45, 135)}
HATCH_DENSITY = 6  # matplotlib: lines per character per 72 points


def _rgba(color: str, alpha: float = 1.0) -> str:
    """'#rrggbb[aa]' or 'none' as QGIS's 'r,g,b,a'."""
    if color == "none":
        return "0,0,0,0"
    h = color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
    return f"{r},{g},{b},{round(a * alpha * 255)}"


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _options(parent: ET.Element, props: dict[str, str]) -> None:
    box = ET.SubElement(parent, "Option", type="Map")
    for key, value in props.items():
        ET.SubElement(box, "Option", type="QString", name=key, value=value)


def _symbol(parent: ET.Element, kind: str, name: str) -> ET.Element:
    return ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")


def _layer(symbol: ET.Element, cls: str, props: dict[str, str]) -> ET.Element:
    el = ET.SubElement(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    _options(el, props)
    return el


def _line(style: Style, color: str, width: float) -> dict[str, str]:
    """A line's colour, width and dashes (written out in points)."""
    dashes = DASHES.get(style.linestyle)
    props = {"line_color": color, "line_width": _num(width), "line_width_unit": "Point",
             "line_style": "solid" if width > 0 and color != "0,0,0,0" else "no",
             "capstyle": "round", "joinstyle": "round"}
    if dashes:
        props.update(use_custom_dash="1", customdash=";".join(_num(d * max(width, 0.1)) for d in dashes),
                     customdash_unit="Point")
    return props


def _outline(style: Style, color: str, width: float) -> dict[str, str]:
    """An area's edge: QGIS's simple fill has no custom dashes, only Qt's pen styles."""
    drawn = width > 0 and color != "0,0,0,0"
    return {"outline_color": color, "outline_width": _num(width), "outline_width_unit": "Point",
            "outline_style": PEN_STYLES.get(style.linestyle, "solid") if drawn else "no", "joinstyle": "round"}


def _marker_props(style: Style, size: float, fill: str) -> dict[str, str]:
    name, angle = MARKERS.get(style.marker, ("circle", 0))
    outline = MARKER_OUTLINE_POINTS if size else 0.0
    return {"name": name, "angle": str(angle), "size": _num(size), "size_unit": "Point", "color": fill,
            "outline_color": _rgba(style.markeredgecolor), "outline_width": _num(outline),
            "outline_width_unit": "Point", "outline_style": "solid" if outline else "no",
            "scale_method": "diameter", "joinstyle": "miter",
            "offset": f"{_num(style.marker_dx)},{_num(-style.marker_dy)}", "offset_unit": "Point"}


def _arrowhead(layer: ET.Element, style: Style) -> None:
    # FancyArrowPatch "-|>" with mutation_scale lw*4+6: a head 0.4 of that long and wide.
    size = 0.4 * (style.linewidth * 4 + 6)
    head = _symbol(layer, "marker", "@0@1")
    _layer(head, "SimpleMarker", {"name": "filled_arrowhead", "size": _num(size), "size_unit": "Point",
                                  "color": _rgba(style.color, style.alpha), "outline_style": "no",
                                  "outline_width": "0", "angle": "0"})


def symbol_element(parent: ET.Element, style: Style, kind: str, name: str) -> ET.Element:
    """The QGIS symbol (fill, line or marker) for features of one geometry kind."""
    if kind == "polygon":
        sym = _symbol(parent, "fill", name)
        fill = _rgba(style.facecolor, style.alpha)
        props = {"color": fill, "style": "no" if style.facecolor == "none" else "solid"}
        props.update(_outline(style, _rgba(style.edgecolor), style.linewidth))
        _layer(sym, "SimpleFill", props)
        _hatch(sym, style)
        return sym
    if kind == "line":
        sym = _symbol(parent, "line", name)
        _layer(sym, "SimpleLine", _line(style, _rgba(style.color, style.alpha), style.linewidth))
        if style.arrow:
            _arrowhead(_layer(sym, "MarkerLine", {"placement": "lastvertex", "rotate": "1"}), style)
        return sym
    sym = _symbol(parent, "marker", name)
    _layer(sym, "SimpleMarker", _marker_props(style, style.markersize, _rgba(style.color, style.alpha)))
    return sym


def _hatch(sym: ET.Element, style: Style) -> None:
    chars = [c for c in style.hatch if c in HATCH_ANGLES]
    if not chars or style.edgecolor == "none":
        return
    for angle in sorted({a for c in set(chars) for a in HATCH_ANGLES[c]}):
        count = sum(1 for c in chars if angle in HATCH_ANGLES[c])
        spacing = 72 / (count * HATCH_DENSITY)
        if angle % 90:
            # matplotlib's diagonals cross the axis every 2/N of the 72 pt cell (lines run
            # from (s, -s) to (1 + s, 1 - s)); QGIS measures across the lines.
            spacing = 2 * spacing / 2 ** 0.5
        pattern = _layer(sym, "LinePatternFill", {"lineangle": str(angle), "distance": _num(spacing),
                                                  "distance_unit": "Point"})
        line = _symbol(pattern, "line", "@0@1")
        _layer(line, "SimpleLine", {"line_color": _rgba(style.edgecolor), "line_width": "0.5",
                                    "line_width_unit": "Point", "line_style": "solid"})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def label_expression(spec: LayerSpec, columns: list[str]) -> str:
    """What briefmap writes on the map under the naming policy 'both usages'
    (model/naming.py label_for): 'Armenian usage / Azerbaijani usage' where a feature has
    both and they differ, else the layer's label field."""
    plain = f"coalesce({_quoted(spec.label)}, '')" if spec.label in columns else "''"
    if "name_hy_usage" not in columns or "name_az_usage" not in columns:
        return plain
    hy, az = _quoted("name_hy_usage"), _quoted("name_az_usage")
    return (f"CASE WHEN coalesce({hy}, '') <> '' AND coalesce({az}, '') <> '' THEN "
            f"CASE WHEN {hy} = {az} THEN {hy} ELSE {hy} || ' / ' || {az} END ELSE {plain} END")


def _label_settings(parent: ET.Element, style: Style, kind: str, expression: str) -> None:
    settings = ET.SubElement(parent, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", {
        "fieldName": expression, "isExpression": "1", "fontFamily": "DejaVu Sans",
        "fontSize": _num(style.fontsize), "fontSizeUnit": "Point",
        "fontWeight": "75" if style.fontweight == "bold" else "50",
        "fontItalic": "1" if style.fontstyle == "italic" else "0",
        "textColor": _rgba(style.textcolor), "textOpacity": "1", "allowHtml": "0",
        "multilineHeight": "1", "capitalization": "0"})
    ET.SubElement(text, "text-buffer", {
        "bufferDraw": "1" if style.halo else "0", "bufferSize": _num(HALO_POINTS), "bufferSizeUnits": "Point",
        "bufferColor": "255,255,255,255", "bufferOpacity": _num(HALO_OPACITY), "bufferNoFill": "1",
        "bufferJoinStyle": "128"})
    # briefmap writes a point's label to its right, clear of the marker, centred
    # vertically; a line's at its middle and an area's inside it, both horizontal.
    if kind == "point":
        gap = style.markersize / 2 + 2.5 if style.markersize else 0.0
        placement = {"placement": "1", "quadOffset": "5" if gap else "4", "xOffset": _num(gap),
                     "yOffset": "0", "offsetUnits": "Point"}
    elif kind == "line":
        placement = {"placement": "4"}
    else:
        placement = {"placement": "1", "centroidInside": "1", "centroidWhole": "0"}
    # Bigger type wins a collision in briefmap (render: fontsize first); QGIS ranks 0-10.
    placement["priority"] = str(max(1, min(10, round(style.fontsize))))
    ET.SubElement(settings, "placement", placement)
    ET.SubElement(settings, "rendering", {"drawLabels": "1", "obstacle": "1", "displayAll": "0",
                                          "labelPerPart": "0", "upsidedownLabels": "0"})


def _rule_key(spec: LayerSpec, kind: str, n: int) -> str:
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefmap:{spec.id}:{kind}:{n}")) + "}"


def _filter(field: str, value: str) -> str:
    if value == "":
        return f"coalesce({_quoted(field)}, '') = ''"
    return f"{_quoted(field)} = {_literal(value)}"


def _labeling(root: ET.Element, spec: LayerSpec, kind: str, styles: list[tuple[str | None, Style]],
              columns: list[str]) -> None:
    expression = label_expression(spec, columns)
    if len({s.id for _v, s in styles}) == 1 or not spec.style_by:
        lab = ET.SubElement(root, "labeling", type="simple")
        _label_settings(lab, styles[0][1], kind, expression)
        return
    lab = ET.SubElement(root, "labeling", type="rule-based")
    rules = ET.SubElement(lab, "rules", key=_rule_key(spec, kind, 0))
    for n, (value, style) in enumerate(styles, start=1):
        rule = ET.SubElement(rules, "rule", key=_rule_key(spec, kind, n), description=value or "(empty)",
                             filter=_filter(spec.style_by.field, value or ""))
        _label_settings(rule, style, kind, expression)


def _temporal(root: ET.Element, columns: list[str]) -> None:
    """Dated features follow QGIS's temporal controller as they follow briefmap's As-of
    date: shown from `start` (included) until `end` (excluded); a missing date is open."""
    if "start" not in columns and "end" not in columns:
        return
    # mode 2: start and end from fields; limitMode 0: include the beginning, exclude the end
    ET.SubElement(root, "temporal", {"enabled": "1", "mode": "2", "limitMode": "0", "accumulate": "0",
                                     "startField": "start" if "start" in columns else "",
                                     "endField": "end" if "end" in columns else "",
                                     "durationField": "", "durationUnit": "min", "fixedDuration": "0",
                                     "startExpression": "", "endExpression": ""})


def layer_qml(spec: LayerSpec, styles: dict[str, Style], kind: str, columns: list[str]) -> str:
    """The QML of one exported table: features of one geometry kind ('point', 'line',
    'polygon') of the layer `spec`, whose table has `columns`."""
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Labeling|Temporal",
                               "labelsEnabled": "1" if spec.label else "0"})
    if spec.style_by:
        field = spec.style_by.field
        pairs = list(spec.style_by.styles.items())
        if "" not in spec.style_by.styles:
            pairs.append(("", spec.style))  # features the rule does not name draw in the layer's style
        entries: list[tuple[str | None, Style]] = [(value, styles[sid]) for value, sid in pairs]
        renderer = ET.SubElement(root, "renderer-v2", {"type": "categorizedSymbol", "attr": field,
                                                       "forceraster": "0", "symbollevels": "0",
                                                       "enableorderby": "0"})
        cats = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        for n, (value, style) in enumerate(entries):
            ET.SubElement(cats, "category", value=value or "", symbol=str(n),
                          label=style.legend or value or spec.title, render="true")
            symbol_element(symbols, style, kind, str(n))
    else:
        entries = [(None, styles[spec.style])]
        renderer = ET.SubElement(root, "renderer-v2", {"type": "singleSymbol", "forceraster": "0",
                                                       "symbollevels": "0", "enableorderby": "0"})
        symbols = ET.SubElement(renderer, "symbols")
        symbol_element(symbols, entries[0][1], kind, "0")
    if spec.label:
        _labeling(root, spec, kind, entries, columns)
    _temporal(root, columns)
    ET.indent(root, space=" ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"
