"""Preflight: what a sheet would lose before it is printed — labels dropped, overlaps,
text too small at print size, features and text cut by the frame."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from briefmap.render.labeling import overlaps

MIN_PRINT_PT = 6.0


@dataclass(frozen=True)
class Finding:
    kind: str  # "dropped", "overlap", "small text", "cut"
    text: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


def check(briefing, tables, state, opts, with_left_out: bool = False):
    """Build the sheet as the export would and list what a reader would miss (and, with
    `with_left_out`, also what it leaves out by rule: a pair of lists)."""
    import matplotlib

    from briefmap.render.export import sheet_rc
    from briefmap.render.sheet import SheetReport, build_sheet

    report = SheetReport()
    with matplotlib.rc_context(sheet_rc()):
        fig, _renderer = build_sheet(briefing, tables, state, opts, report)
    found = findings(fig, report)
    return (found, left_out(report)) if with_left_out else found


def findings(fig, report) -> list[Finding]:
    """What a built sheet loses (the layout is in points: any dpi gives the same list)."""
    from briefmap.render.label_layout import priority_class
    from briefmap.render.labeling import OTHER

    out: list[Finding] = []
    for n, r in enumerate(report.renderers):
        where = "map" if n == 0 else "detail inset"
        lr = r.label_report
        if lr is None:
            continue
        accepted = {(lid, index) for lid, index, _text, _why in _left_out(r, report)}
        for lid, index, text in lr.dropped:
            la = r.layers[lid]
            if priority_class(la.spec, la.table.properties[index]) > OTHER and (lid, index) not in accepted:
                out.append(Finding("dropped", f"{' '.join(text.split())!r} ({lid}) has no room on the {where}"))
        boxes = list(lr.boxes.values())
        keys = list(lr.boxes)
        for i, j in overlaps(boxes):
            out.append(Finding("overlap", f"labels {keys[i][0]}/{keys[i][1]} and {keys[j][0]}/{keys[j][1]}"))
        for key, box in lr.boxes.items():
            if any(i == 0 for i, _j in overlaps([box, *lr.obstacles])):
                out.append(Finding("overlap", f"label {key[0]}/{key[1]} lies on map furniture or a symbol"))
        for la in r.layers.values():
            if not la.visible:
                continue
            for lab in la.labels:
                if lab.artist.get_visible() and lab.fontsize < MIN_PRINT_PT:
                    out.append(Finding("small text", f"{lab.artist.get_text()!r} is {lab.fontsize:g} pt"))
        # A detail inset magnifies part of what the map shows whole: only a symbol it cuts counts.
        out.extend(f for f in _cut(r, where) if n == 0 or f.text.startswith("the symbol"))
    for t in fig.texts:
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_PRINT_PT - 1e-6:
            out.append(Finding("small text", f"{t.get_text()[:40]!r} is {t.get_fontsize():.1f} pt"))
    out.extend(Finding("cut", f"{item} does not fit on the sheet") for item in report.overflow.items)
    return out


def left_out(report) -> list[Finding]:
    """Labels the sheet leaves out by a cartographic rule, each with its reason: not
    findings (`--strict` passes), but listed so a reader can judge them."""
    out = []
    for n, r in enumerate(report.renderers):
        where = "map" if n == 0 else "detail inset"
        for _lid, _index, text, why in _left_out(r, report):
            out.append(Finding("left out", f"{' '.join(text.split())!r} on the {where}: {why}"))
    return out


# A neighbouring country showing less than this share of the map (outside furniture) is a sliver.
SLIVER = 0.01
# A symbol this near a named place (in metres on the ground) marks that place: an embassy in its town.
SAME_PLACE_M = 1000.0


def _left_out(renderer, report) -> list[tuple[str, int, str, str]]:
    """Dropped labels a cartographer accepts: (layer, index, text, reason). Never a
    capital, a country, a feature the scenario emphasises or an off-map actor (those are
    not dropped here at all: they stay findings)."""
    from briefmap.render.geometry import kind_of
    from briefmap.render.label_layout import priority_class
    from briefmap.render.labeling import COUNTRY
    from briefmap.render.legend import _signature, legend_items

    lr = renderer.label_report
    if lr is None or not lr.dropped:
        return []
    x0, y0, x1, y1 = renderer.extent()
    frame = shapely.box(x0, y0, x1, y1)
    scenario = renderer.model.scenario
    subjects = {renderer.find(ref) for ref in (scenario.highlight if scenario else ())} - {None}
    # The places named on the map (features with a rank).
    named = []
    for (lid, index) in lr.boxes:
        la = renderer.layers[lid]
        geom = la.table.geometries[index]
        if kind_of(geom) == "point" and isinstance(la.table.properties[index].get("rank"), int | float):
            named.append((geom, _text_of(la, index)))
    # What a symbol looks like, whatever else its legend entry draws (a point and its line).
    explained = {_signature(item.style, ())[1:]: item.label for item in legend_items(renderer)}
    out = []
    for lid, index, text in lr.dropped:
        la = renderer.layers[lid]
        props = la.table.properties[index]
        geom = la.table.geometries[index]
        if (lid, index) in subjects or priority_class(la.spec, props) > COUNTRY:
            continue
        if priority_class(la.spec, props) == COUNTRY:
            shown = _free_share(renderer, geom, frame)
            if str(props.get("iso_a3", "")) not in report.focus and shown < SLIVER:
                out.append((lid, index, text, f"a neighbour of which only a sliver shows ({shown:.1%} of the map, "
                                              "outside its insets and legend)"))
            continue
        if geom is None or not frame.contains(geom):
            continue  # an off-map actor is named at the edge or it is a finding
        if kind_of(geom) == "point" and props.get("rank") is None:  # a symbol at a place, not a place
            style = renderer.style_for(la.spec, la.table, index)
            near = [name for place, name in named if place.distance(geom) <= SAME_PLACE_M]
            if near and _signature(style, ())[1:] in explained:
                out.append((lid, index, text, f"its symbol stands at {near[0]!r}, named on the map, and the legend "
                                              "says what it is"))
                continue
        elif kind_of(geom) == "line":
            entry = explained.get(_signature(renderer.style_for(la.spec, la.table, index), ())[1:])
            if entry:
                out.append((lid, index, text, f"the legend names this line ({entry!r})"))
                continue
        rank = props.get("rank")
        scale = renderer.metres_per_inch() / 0.0254
        rule = next(((r, d) for r, d in sorted(report.give_way, reverse=True)
                     if isinstance(rank, int | float) and rank >= r and scale >= d), None)
        if rule is not None:
            at = f"at 1:{scale:,.0f}" if rule[1] else "on any sheet"
            out.append((lid, index, text, f"a place of rank {rank:g}, which may give way {at} where the map is "
                                          "crowded ([sheet] give_way)"))
    return out


def _free_share(renderer, geom, frame) -> float:
    """The share of the map a feature covers outside the map's furniture (insets, legend)."""
    import numpy as np

    dpi = renderer.ax.figure.dpi
    to_map = renderer.ax.transData.inverted().transform
    free = frame
    for bx0, by0, bx1, by1 in renderer.furniture_inches:
        (mx0, my0), (mx1, my1) = to_map(np.array([[bx0 * dpi, by0 * dpi], [bx1 * dpi, by1 * dpi]], dtype=float))
        free = free.difference(shapely.box(mx0, my0, mx1, my1))
    return shapely.intersection(geom, free).area / frame.area


def _text_of(la, index: int) -> str:
    return next((lab.artist.get_text() for lab in la.labels if lab.index == index), "")


def _cut(renderer, where: str) -> list[Finding]:
    """Features a reader is pointed at that the frame cuts: the scenario's emphasised
    features, the labelled features of the briefing's own layers that are mostly in view
    (a little more room would show them whole; the base map, and a line that merely
    passes through, run past any frame by design) and every point symbol the frame cuts."""
    import numpy as np

    from briefmap.render.geometry import kind_of

    x0, y0, x1, y1 = renderer.extent()
    frame = shapely.box(x0, y0, x1, y1)
    ax = renderer.ax
    bb = ax.get_window_extent()
    px = ax.figure.dpi / 72.0
    labelled = set(renderer.label_report.boxes) if renderer.label_report else set()
    scenario = next((s for s in renderer.briefing.scenarios if s.id == renderer.scenario), None)
    emphasised = {renderer.find(ref) for ref in (scenario.highlight if scenario else ())} - {None}
    out = []
    for lid, la in renderer.layers.items():
        if not la.visible:
            continue
        for i, geom in enumerate(la.table.geometries):
            if not la.shown[i] or geom is None or geom.is_empty or not geom.intersects(frame):
                continue
            name = f"{lid}/{la.table.ids[i]}"
            if kind_of(geom) == "point":
                style = renderer.style_for(la.spec, la.table, i)
                r = style.markersize / 2 * px
                xy = ax.transData.transform(np.asarray(shapely.get_coordinates(geom), dtype=float))
                xy = xy + np.array([style.marker_dx, style.marker_dy]) * px
                inside = (xy[:, 0] - r >= bb.x0) & (xy[:, 0] + r <= bb.x1) & (xy[:, 1] - r >= bb.y0) \
                    & (xy[:, 1] + r <= bb.y1)
                if r > 0 and not inside.all():
                    out.append(Finding("cut", f"the symbol of {name} is cut by the frame of the {where}"))
            elif frame.contains(geom):
                continue
            elif (lid, i) in emphasised or ((lid, i) in labelled and not la.spec.base and _mostly_in(geom, frame)):
                out.append(Finding("cut", f"{name} runs past the frame of the {where}"))
    return out


def _mostly_in(geom, frame) -> bool:
    """At least half of the feature (by area, or by length for a line) is in view."""
    inside = shapely.intersection(geom, frame)
    if geom.area > 0:
        return inside.area >= 0.5 * geom.area
    return geom.length > 0 and inside.length >= 0.5 * geom.length
