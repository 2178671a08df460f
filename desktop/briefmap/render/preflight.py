"""Preflight: what a sheet would lose before it is printed — labels dropped, overlaps,
text too small at print size, features and text cut by the frame."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from briefmap.render.give_way import accepted_drops
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
        accepted = {(lid, index) for lid, index, _text, _why in accepted_drops(r, report)}
        for lid, index, text in lr.dropped:
            la = r.layers[lid]
            if priority_class(la.spec, la.table.properties[index]) > OTHER and (lid, index) not in accepted:
                out.append(Finding("dropped", f"{' '.join(text.split())!r} ({lid}) has no room on the {where}"))
        for note in getattr(r, "dropped_notes", ()) if n == 0 else ():
            out.append(Finding("dropped", f"callout {note!r} has no room on the {where}, even at {MIN_PRINT_PT:g} pt"))
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
        for _lid, _index, text, why in accepted_drops(r, report):
            out.append(Finding("left out", f"{' '.join(text.split())!r} on the {where}: {why}"))
    out.extend(Finding("left out", line) for line in report.furniture_left_out)
    for words in report.words_left_out:
        short = " ".join(words.split())
        short = short if len(short) <= 60 else short[:59] + "…"
        out.append(Finding("left out", f"{short!r} (the sheet's words): a sheet this small keeps its room "
                                       "for the map and its legend"))
    return out


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
    emphasised = renderer.subjects()
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


# A feature this much in view whose rest the frame cuts off reads as clipped; one that is
# less in view reads as passing through (a close-up shows the end of an arrow from elsewhere).
MOSTLY_IN = 0.8


def _mostly_in(geom, frame) -> bool:
    """At least MOSTLY_IN of the feature (by area, or by length for a line) is in view."""
    inside = shapely.intersection(geom, frame)
    if geom.area > 0:
        return inside.area >= MOSTLY_IN * geom.area
    return geom.length > 0 and inside.length >= MOSTLY_IN * geom.length
