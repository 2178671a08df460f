"""The map's side of label placement: turn the renderer's labels into requests for the
label engine (render/labeling.py) and put its answer on the artists. Callouts go first
(render/callouts.py); text is measured in points (render/text_metrics.py), so the
window, the sheet and every dpi agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.ops
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import Affine2D

from briefmap.model.edits import EDITS_LATER, EDITS_LAYER, EDITS_STYLE, NOTES_LAYER
from briefmap.render.callouts import place_notes
from briefmap.render.geometry import anchor_point, kind_of
from briefmap.render.give_way import GIVE_WAY_REACH_PT, may_give_way
from briefmap.render.label_anchors import (
    along,
    beside_line,
    cached_area_anchors,
    edge_anchor,
    line_boxes,
    over_and_under,
)
from briefmap.render.labeling import (
    CAPITAL,
    COUNTRY,
    NAMED,
    OTHER,
    SUBJECT,
    Box,
    LabelRequest,
    Layout,
    leader_start,
    place_labels,
)
from briefmap.render.text_metrics import text_size_points


@dataclass
class LabelReport:
    """What the last layout did: the placed boxes (display pixels) and what was dropped."""

    boxes: dict[tuple[str, int], Box] = field(default_factory=dict)
    dropped: list[tuple[str, int, str]] = field(default_factory=list)  # layer, index, text
    obstacles: list[Box] = field(default_factory=list)
    too_small: set[tuple[str, int]] = field(default_factory=set)  # countries whose part in view cannot hold their name
    short_reach: set[tuple[str, int]] = field(default_factory=set)  # places that may give way: short leaders only


def priority_class(spec, props) -> int:
    if spec.id == NOTES_LAYER:
        return CAPITAL  # a text note the user wrote is the map's own words: it is placed before place names
    if str(props.get("capital") or "").lower() in ("yes", "true", "1"):
        return CAPITAL
    if spec.base == "countries":
        return COUNTRY
    return OTHER if spec.base else NAMED


def arrow_lines(renderer) -> list:
    lines = []
    for la in renderer.layers.values():
        if not la.visible:
            continue
        for g in la.groups:
            if g.kind == "line" and g.style.arrow:
                for k, i in enumerate(g.indices):
                    if la.shown[i]:
                        segs = [s for s in g.items[k] if len(s) >= 2]
                        if segs:
                            lines.append(shapely.MultiLineString([np.asarray(s) for s in segs]))
    return lines


def _symbol_boxes(renderer, px: float) -> list[Box]:
    """Point symbols in view: labels keep off them."""
    ax = renderer.ax
    boxes = []
    for la in renderer.layers.values():
        if not la.visible:
            continue
        for g in la.groups:
            if g.kind != "point" or not g.style.markersize or la.thinned:
                continue  # (a thinned layer covers the map: labels could not keep off it)
            pts = [g.items[k] for k, i in enumerate(g.indices) if la.shown[i]]
            if not pts:
                continue
            # A multipoint feature's item holds several points.
            xy = ax.transData.transform(np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in pts]))
            xy = xy + np.array([g.style.marker_dx, g.style.marker_dy]) * px
            r = g.style.markersize / 2 * px
            boxes.extend((x - r, y - r, x + r, y + r) for x, y in xy)
    return boxes


def _set_leader(ann, on: bool, color, placement=None) -> None:
    """A thin line from the label's nearest side to its anchor, or none."""
    if not on:
        ann.arrowprops = None
        ann.arrow_patch = None
        return
    props = {"arrowstyle": "-", "color": color, "linewidth": 0.6, "shrinkA": 0.0, "shrinkB": 1.5}
    ann.arrowprops = dict(props)
    x0, y0, x1, y1 = placement.box
    sx, sy = leader_start(placement.anchor, placement.box)  # where the engine checked it runs
    ann._arrow_relpos = ((sx - x0) / max(x1 - x0, 1e-9), (sy - y0) / max(y1 - y0, 1e-9))
    ann.arrow_patch = FancyArrowPatch((0, 0), (1, 1), **props)


@dataclass
class LayoutScene:
    """What a layout reads, taken from the renderer on the UI thread: plain data, the
    labels' texts and fonts, and frozen transforms. The plan is worked out from it alone,
    so the window can work it out on another thread while the user goes on (the artists
    are only touched again when the plan is put on them, by `apply_layout`)."""

    px: float
    frame: Box
    extent: tuple[float, float, float, float]
    to_px: Affine2D
    from_px: Affine2D
    furniture: list[Box]
    notes: list[Box]  # taken by the scenario's callouts (placed first)
    symbols: list[Box]
    arrows: list
    # Each visible layer and its labels with their text and font (weight, style), read now.
    layers: list[tuple[object, list[tuple[object, str, str, str]]]]
    point_styles: dict[tuple[str, int], object]
    first: tuple[str, ...] = ()
    subjects: frozenset[tuple[str, int]] = frozenset()  # what the scenario emphasises (layer id, index)
    furniture_lines: tuple = ()  # thin furniture lines over the map (LineStrings in pixels)
    yielding: frozenset = frozenset()  # (layer id, index) left out by rule where crowded
    # Lines drawn in the editor, named beside the line: (layer id, index) -> line width in points.
    editor_lines: dict[tuple[str, int], float] = field(default_factory=dict)
    give_way: tuple = ()  # the sheet's [sheet] give_way rules, (rank, scale): none in the window


@dataclass
class LayoutPlan:
    """The labels to show and where: what `apply_layout` puts on the artists."""

    refs: list[tuple[str, object]]  # (layer id, Label) by request key
    texts: list[tuple[object, str]]  # (Label, text): a detail's subject set on two lines
    result: Layout
    off_map: set[int]
    obstacles: list[Box]
    from_px: Affine2D
    yielded: list[tuple[str, int, str]] = field(default_factory=list)  # left out by rule, or too small
    too_small: set[tuple[str, int]] = field(default_factory=set)  # countries whose part in view cannot hold their name
    short_reach: set[tuple[str, int]] = field(default_factory=set)  # places that may give way: short leaders only


def scene_of(renderer, furniture_px: list[Box]) -> LayoutScene:
    """Read what the layout needs from the renderer (the callouts are placed here, first)."""
    ax = renderer.ax
    px = ax.figure.dpi / 72.0
    fb = ax.get_window_extent()
    frame: Box = (fb.x0, fb.y0, fb.x1, fb.y1)
    # The same matrices matplotlib applies, frozen: the view may change while a plan is made.
    to_px = Affine2D(ax.transData.get_affine().get_matrix())
    from_px = Affine2D(ax.transData.inverted().get_affine().get_matrix())
    symbols = _symbol_boxes(renderer, px)
    notes = place_notes(renderer, frame, list(furniture_px) + symbols, px, furniture_px)
    skip = getattr(renderer, "label_skip", ())  # labelled elsewhere (a detail inset)
    layers, point_styles, editor_lines = [], {}, {}
    for la in renderer.layers.values():
        if not la.visible or la.spec.id in skip:
            continue
        labels = []
        for lab in la.labels:
            if not la.shown[lab.index]:
                continue
            ann = lab.artist
            labels.append((lab, ann.get_text(), str(ann.get_fontweight()), str(ann.get_fontstyle())))
            kind = kind_of(la.table.geometries[lab.index])
            if kind == "point":
                point_styles[(la.spec.id, lab.index)] = renderer.style_for(la.spec, la.table, lab.index)
            elif kind == "line" and _drawn_in_editor(renderer, la, lab.index):
                editor_lines[(la.spec.id, lab.index)] = renderer.style_for(la.spec, la.table, lab.index).linewidth
        layers.append((la, labels))
    dpi = ax.figure.dpi  # furniture lines come in sheet inches
    drawn = tuple(shapely.LineString([(a[0] * dpi, a[1] * dpi), (b[0] * dpi, b[1] * dpi)])
                  for a, b in getattr(renderer, "furniture_lines", ()))
    return LayoutScene(px, frame, renderer.extent(), to_px, from_px, list(furniture_px), notes, symbols,
                       arrow_lines(renderer), layers, point_styles, tuple(getattr(renderer, "label_first", ())),
                       frozenset(renderer.subjects()), drawn,
                       frozenset(getattr(renderer, "label_yield", {})), editor_lines,
                       tuple(getattr(renderer, "label_give_way", ())))


def layout(renderer, furniture_px: list[Box]) -> LabelReport:
    """Place every visible label of `renderer` (the whole map, from scratch)."""
    return apply_layout(renderer, plan_layout(scene_of(renderer, furniture_px)))


def plan_layout(scene: LayoutScene) -> LayoutPlan:
    """Where each label goes, from the scene alone (touches no artist: any thread)."""
    px, frame = scene.px, scene.frame
    x0, y0, x1, y1 = scene.extent
    frame_geom = shapely.box(x0, y0, x1, y1)
    to_px, from_px = scene.to_px.transform, scene.from_px.transform
    metres_per_px = (x1 - x0) / max(frame[2] - frame[0], 1.0)
    furniture_px = scene.furniture

    obstacles: list[Box] = list(furniture_px)
    obstacles.extend(scene.notes)
    # Areas are named in the part of the map not covered by furniture.
    free_geom = frame_geom
    for bx0, by0, bx1, by1 in furniture_px:
        (mx0, my0), (mx1, my1) = from_px(np.array([[bx0, by0], [bx1, by1]], dtype=float))
        free_geom = free_geom.difference(shapely.box(mx0, my0, mx1, my1))
    free_key = shapely.to_wkb(free_geom)
    obstacles.extend(scene.symbols)
    arrows = scene.arrows
    arcs = line_boxes(arrows, to_px, frame, 4 * px)
    # Thin furniture lines over the map (a detail inset's connector), in pixels.
    arcs += line_boxes(scene.furniture_lines, lambda xy: xy, frame, 4 * px)

    requests: list[LabelRequest] = []
    refs: list[tuple] = []
    texts: list[tuple[object, str]] = []
    off_map: set[int] = set()
    at_edge: set[int] = set()  # named where their arrow enters (which may be under the scale bar)
    yielding = scene.yielding  # left out by rule where crowded (render/sheet/detail_names.py)
    yielded: list[tuple[str, int, str]] = []
    too_small: set[tuple[str, int]] = set()
    first = scene.first  # a detail inset's subject: named first
    scale = metres_per_px * px * 72 / 0.0254  # metres per pixel × pixels per inch, per metre
    short_reach: set[tuple[str, int]] = set()
    subjects = scene.subjects
    for la, labels in scene.layers:
        for lab, text, weight, fstyle in labels:
            if not text:
                continue
            if (la.spec.id, lab.index) in yielding:
                yielded.append((la.spec.id, lab.index, text))
                continue
            w, h = text_size_points(text, lab.fontsize, weight, fstyle)
            w, h = w * px, h * px
            if la.spec.id in first and " / " in text and w > 0.3 * (frame[2] - frame[0]):
                # A detail's subject with both names: one name a line, narrow enough to fit.
                text = text.replace(" / ", " /\n", 1)
                texts.append((lab, text))
                w, h = text_size_points(text, lab.fontsize, weight, fstyle)
                w, h = w * px, h * px
            geom = la.table.geometries[lab.index]
            kind = kind_of(geom)
            props = la.table.properties[lab.index]
            gap = 0.0
            leader_ok = True
            own_line: tuple[Box, ...] = ()
            if kind == "polygon" or (kind == "mixed" and geom.area > 0):
                anchors = cached_area_anchors(geom, free_geom, free_key, min_area=(w * h * 1.5) * metres_per_px ** 2)
                if anchors and props.get("label_x") not in (None, ""):
                    # A base map made by `briefmap new` carries Natural Earth's label point: tried first.
                    stored = (float(props["label_x"]), float(props["label_y"]))
                    if shapely.contains_xy(free_geom, *stored) and shapely.contains_xy(geom, *stored):
                        anchors = [stored, *anchors]
                leader_ok = False
            else:
                ax_, ay_ = lab.xy if kind == "point" else anchor_point(geom)
                if kind == "point":
                    style = scene.point_styles[(la.spec.id, lab.index)]
                    gap = (style.markersize / 2 + 2.5) * px if style.markersize else 2.5 * px
                if shapely.contains_xy(frame_geom, ax_, ay_):
                    anchors = [(ax_, ay_)]
                    if kind == "line":
                        anchors += along(geom, frame_geom)
                elif kind == "line" and geom.intersects(frame_geom):
                    # A line whose middle is off the map is named on the part in view.
                    seen = shapely.intersection(geom, frame_geom)
                    anchors = [anchor_point(seen), *along(seen, frame_geom)] if seen.length > 0 else []
                else:
                    anchors = edge_anchor((ax_, ay_), arrows, frame_geom, metres_per_px * 4)
                    at_edge.add(len(refs))
                    if not la.spec.schematic:  # an actor's name at the edge is the point; a town's is a bonus
                        off_map.add(len(refs))
            if not anchors:
                if la.spec.base == "countries" and geom.intersects(frame_geom):
                    # A country in view with too little room for its name: reported (a
                    # sliver by rule, a focus country as a finding), never silently unnamed.
                    yielded.append((la.spec.id, lab.index, text))
                    too_small.add((la.spec.id, lab.index))
                continue
            line_width = scene.editor_lines.get((la.spec.id, lab.index)) if kind == "line" else None
            if line_width is not None:
                gap, own_line = beside_line(line_width, geom, frame_geom, to_px, frame, px)
            shift = (0.0, 0.0)
            if kind == "point" and shapely.contains_xy(frame_geom, *anchors[0]):
                st = scene.point_styles[(la.spec.id, lab.index)]
                shift = (st.marker_dx * px, st.marker_dy * px)  # beside the symbol where it is drawn
            anchors_px = tuple((float(q[0]) + shift[0], float(q[1]) + shift[1])
                               for q in to_px(np.array(anchors, dtype=float)))
            pri, rank = priority_class(la.spec, props), lab.priority
            if pri < CAPITAL and (la.spec.id, lab.index) in subjects:
                pri = CAPITAL  # what the scenario points at is named with the capitals, before all else
            elif pri < COUNTRY and len(refs) in off_map:
                pri = COUNTRY  # an off-map actor's arrow would otherwise point at nothing
            if la.spec.id in first:  # in the order the briefing lists them: sections, then villages
                pri, rank = SUBJECT, rank + 1e6 * (len(first) - first.index(la.spec.id))
            if kind == "point" and len(refs) not in at_edge and any(
                    b[0] <= anchors_px[0][0] <= b[2] and b[1] <= anchors_px[0][1] <= b[3] for b in furniture_px):
                anchors_px = ()  # its symbol is hidden under an inset or the legend: no name pointing there
            over_under = over_and_under(anchors_px, own_line, w) if own_line else ()
            reach = None
            if (pri < COUNTRY and len(refs) not in at_edge and la.spec.id not in first
                    and may_give_way(props, scale, scene.give_way)):
                # A minor place at a small scale goes rather than being named from far away.
                reach = GIVE_WAY_REACH_PT * px
                short_reach.add((la.spec.id, lab.index))
            requests.append(LabelRequest(len(refs), anchors_px, w, h, pri, rank, gap, leader_ok,
                                         own_line=own_line, over_under=over_under, reach=reach))
            refs.append((la.spec.id, lab))

    # No leader line crosses furniture, a callout or another feature's symbol.
    marks = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in scene.symbols]
    result = place_labels(requests, frame, obstacles, margin=0.75 * px, soft=arcs, no_cross=obstacles,
                          marks=marks, cluster=12 * px)
    return LayoutPlan(refs, texts, result, off_map, obstacles, scene.from_px, yielded, too_small, short_reach)


def apply_layout(renderer, plan: LayoutPlan) -> LabelReport:
    """Put a plan on the label artists (on the thread that draws them)."""
    for la in renderer.layers.values():
        for lab in la.labels:
            lab.artist.set_visible(False)
    for lab, text in plan.texts:
        lab.artist.set_text(text)
    px = renderer.ax.figure.dpi / 72.0
    report = LabelReport(obstacles=plan.obstacles, dropped=list(plan.yielded), too_small=set(plan.too_small),
                         short_reach=set(plan.short_reach))
    for key, (lid, lab) in enumerate(plan.refs):
        ann = lab.artist
        p = plan.result.placed.get(key)
        if p is None:
            if key not in plan.off_map:  # a town off the map, not named at its edge, loses nothing on it
                report.dropped.append((lid, lab.index, ann.get_text()))
            continue
        anchor = plan.from_px.transform(np.array([p.anchor]))[0]
        ann.xy = (float(anchor[0]), float(anchor[1]))
        # Rounded: the same placement gives the same offset, so the window reuses its image.
        ann.xyann = (round((p.center[0] - p.anchor[0]) / px, 2), round((p.center[1] - p.anchor[1]) / px, 2))
        ann.set_ha("center")
        ann.set_va("center")
        _set_leader(ann, p.leader, ann.get_color(), p)
        ann.set_visible(True)
        report.boxes[(lid, lab.index)] = p.box
    return report


def _drawn_in_editor(renderer, la, index: int) -> bool:
    """A line the user drew in the editor (the briefing's own lines keep their placement
    for now: named beside the line, they crowd small sheets' details; see the report)."""
    return la.spec.id == EDITS_LAYER or renderer.style_for(la.spec, la.table, index).id in (EDITS_STYLE, EDITS_LATER)
