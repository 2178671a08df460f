"""Label placement: which labels a map shows and where, worked out from the view alone.

Pure and deterministic (no Qt, no matplotlib, no memory of earlier layouts): the same
requests, obstacles and frame always give the same placements, whatever was shown or
toggled before. Everything is in display units (pixels, y up).

Labels are placed in order of priority (capitals, then countries, then the places a
briefing names, then the rest). Each label tries candidate positions around each of its
anchors: first beside the anchor (a point's label to the right, left, above, below,
then the corners; an area's or line's label centred, then nudged), then the same
positions further out, which earn a leader line back to the anchor. A candidate is
taken when it lies inside the frame and overlaps neither map furniture (legend, scale
bar, north arrow, inset, callouts, symbols) nor a label placed before it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Priority classes: a label of a higher class is placed first and wins any conflict.
# SUBJECT: what a detail inset magnifies (its own labels come before the villages around).
SUBJECT, CAPITAL, COUNTRY, NAMED, OTHER = 4, 3, 2, 1, 0

# Candidate directions for a point's label, in order of preference (Imhof): right,
# left, above, below, then the four corners.
_POINT_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
# An area's or line's label: centred, then nudged by half its height or width.
_CENTRED_NUDGES = ((0, 0), (0, 1), (0, -1), (1, 0), (-1, 0))
# Further out, in label heights: these positions are reached with a leader line, kept
# short so the label still reads as belonging to its anchor.
_LEADER_RINGS = (1.2, 2.4)
# A detail inset's subject may reach further: it must be named, and its frame is small.
_SUBJECT_RINGS = (1.2, 2.4, 3.6)
# Two names on one line keep this much apart (in label heights), or they read as one name
# ("Goris Stepanakert").
WORD_GAP = 0.6

@dataclass(frozen=True)
class LabelRequest:
    key: int
    anchors: tuple[tuple[float, float], ...]  # where the label may stand, best first
    width: float
    height: float
    priority_class: int
    priority: float = 0.0  # within its class, higher first
    gap: float = 0.0  # distance from a point anchor to its label; 0 = centred on the anchor
    leader_ok: bool = True  # may move away from the anchor with a leader line
    target: tuple[float, float] | None = None  # a leader is always drawn to here (a callout's)
    # Boxes along the feature's own line: its name stands beside the line, never across it.
    own_line: tuple[Box, ...] = ()
    # (x, highest point, lowest point) of a bent line within the name's width around x: the
    # name may stand at x over or under all of it (after the places beside its anchors).
    over_under: tuple[tuple[float, tuple[float, float], tuple[float, float]], ...] = ()
    # The longest leader the label may have (a place that may give way at this scale is
    # left out rather than named from far away); None: as far as the rings reach.
    reach: float | None = None


@dataclass(frozen=True)
class Placement:
    key: int
    anchor: tuple[float, float]
    center: tuple[float, float]
    box: Box
    leader: bool


@dataclass(frozen=True)
class Layout:
    placed: dict[int, Placement]
    dropped: tuple[int, ...]


def _candidates(req: LabelRequest):
    """(anchor, centre, leader, across) for every position the label may take, best first;
    `across`: on its own line, a line's last resort when no place beside it is free."""
    w, h = req.width, req.height
    for ax, ay in req.anchors:
        if req.gap > 0:
            for dx, dy in _POINT_DIRECTIONS:
                # A point's corner label may touch its symbol's row; a line's keeps its gap from the line.
                lift = req.gap if dx == 0 or req.own_line else 0
                yield (ax, ay), (ax + dx * (req.gap + w / 2), ay + dy * (h / 2 + lift)), False, False
        else:
            for nx, ny in _CENTRED_NUDGES:
                yield (ax, ay), (ax + nx * w / 2, ay + ny * h * 0.55), False, False
    for x, top, bottom in req.over_under:
        yield top, (x, top[1] + req.gap + h / 2), False, False
        yield bottom, (x, bottom[1] - req.gap - h / 2), False, False
    if not req.leader_ok:
        return
    for ring in _SUBJECT_RINGS if req.priority_class >= SUBJECT else _LEADER_RINGS:
        for ax, ay in req.anchors:
            d = req.gap + ring * h
            for dx, dy in _POINT_DIRECTIONS:
                yield (ax, ay), (ax + dx * (d + w / 2), ay + dy * (d + h / 2)), True, False
    # A crowded line's name: over or under all of the line, a little further out on a leader.
    for ring in _SUBJECT_RINGS:
        for x, top, bottom in req.over_under:
            yield top, (x, top[1] + req.gap + ring * h + h / 2), True, False
            yield bottom, (x, bottom[1] - req.gap - ring * h - h / 2), True, False
    # A name with no free place beside its line (a crowded small sheet) is written on the
    # line, as before, rather than lost.
    if req.own_line:
        for ax, ay in req.anchors:
            for nx, ny in _CENTRED_NUDGES:
                yield (ax, ay), (ax + nx * w / 2, ay + ny * h * 0.55), False, True


def _hits(boxes: np.ndarray, box: Box) -> bool:
    if not len(boxes):
        return False
    x0, y0, x1, y1 = box  # (the array's own any(): numpy's module-level one costs as much again)
    return bool(((boxes[:, 0] < x1) & (x0 < boxes[:, 2]) & (boxes[:, 1] < y1) & (y0 < boxes[:, 3])).any())


def leader_start(anchor: tuple[float, float], box: Box) -> tuple[float, float]:
    """Where a leader leaves a label's box: the side (or corner) facing its anchor."""
    (ax, ay), (x0, y0, x1, y1) = anchor, box
    return (x0 if x0 > ax else x1 if x1 < ax else (x0 + x1) / 2,
            y0 if y0 > ay else y1 if y1 < ay else (y0 + y1) / 2)


def segment_hits_boxes(boxes: np.ndarray, p, q) -> bool:
    """Whether the segment p–q passes through the inside of any box (Liang–Barsky)."""
    if not len(boxes):
        return False
    (px, py), (qx, qy) = p, q
    t0 = np.zeros(len(boxes))
    t1 = np.ones(len(boxes))
    ok = np.ones(len(boxes), dtype=bool)
    for d, start, lo, hi in ((qx - px, px, boxes[:, 0], boxes[:, 2]), (qy - py, py, boxes[:, 1], boxes[:, 3])):
        if d == 0:
            ok &= (lo < start) & (start < hi)
            continue
        a, b = (lo - start) / d, (hi - start) / d
        t0 = np.maximum(t0, np.minimum(a, b))
        t1 = np.minimum(t1, np.maximum(a, b))
    return bool(np.any(ok & (t0 < t1)))


def _boxes_on_segments(segs: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For each of `boxes` (rows), whether any of `segs` (n × 4) passes through its inside:
    segment_hits_boxes for each segment against each box, all at once (same arithmetic)."""
    if not len(segs) or not len(boxes):
        return np.zeros(len(boxes), dtype=bool)
    t0 = np.zeros((len(boxes), len(segs)))
    t1 = np.ones((len(boxes), len(segs)))
    ok = np.ones((len(boxes), len(segs)), dtype=bool)
    for start, end, lo, hi in ((segs[:, 0], segs[:, 2], boxes[:, 0:1], boxes[:, 2:3]),
                               (segs[:, 1], segs[:, 3], boxes[:, 1:2], boxes[:, 3:4])):
        d = end - start
        flat = d == 0
        ok &= ~flat | ((lo < start) & (start < hi))
        step = np.where(flat, 1.0, d)
        a, b = (lo - start) / step, (hi - start) / step
        t0 = np.where(flat, t0, np.maximum(t0, np.minimum(a, b)))
        t1 = np.where(flat, t1, np.minimum(t1, np.maximum(a, b)))
    return (ok & (t0 < t1)).any(axis=1)


def _segments_cross(segs: np.ndarray, p, q) -> bool:
    """Whether p–q properly crosses any of `segs` (n × 4: x0, y0, x1, y1)."""
    if not len(segs):
        return False
    a, b = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    c, d = segs[:, :2], segs[:, 2:]

    def orient(u, v, w):
        return (v[..., 0] - u[..., 0]) * (w[..., 1] - u[..., 1]) - (v[..., 1] - u[..., 1]) * (w[..., 0] - u[..., 0])

    return bool(np.any((orient(a, b, c) * orient(a, b, d) < 0) & (orient(c, d, a) * orient(c, d, b) < 0)))


def _leader(req: LabelRequest, anchor, box: Box, leader: bool):
    """The leader segment a candidate would draw, or None."""
    if req.target is not None:
        return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), req.target
    return (leader_start(anchor, box), anchor) if leader else None


def _walls_apart(walls: np.ndarray, end) -> np.ndarray:
    """The walls a leader ending at `end` must not cross: all but those `end` lies under
    (an off-map actor's arrow may enter the map beneath the scale bar)."""
    if not len(walls):
        return walls
    x, y = end
    under = (walls[:, 0] <= x) & (x <= walls[:, 2]) & (walls[:, 1] <= y) & (y <= walls[:, 3])
    return walls[~under]


def place_labels(requests: list[LabelRequest], frame: Box, obstacles: list[Box] = (),
                 margin: float = 1.0, soft: list[Box] = (), no_cross: list[Box] = (),
                 marks: list[tuple[float, float]] = (), cluster: float = 0.0) -> Layout:
    """Place as many labels as fit, most important first; the rest are dropped. `soft`
    obstacles (thin lines a label had better not sit on) are avoided when there is a
    place free of them, and crossed when there is none. A leader line crosses neither
    `no_cross` (map furniture: an inset, the legend), another label nor another leader.
    A point's label beside it (no leader) is nearer to it than to any other of `marks`
    (point symbols) further than `cluster` from it.

    A detail's subject labels must all be shown: when one is dropped, the layout is done
    again with the dropped ones placed first (a few rounds, the same every time)."""
    order = sorted(requests, key=lambda r: (-r.priority_class, -r.priority, r.key))
    def score(layout: Layout) -> tuple[int, int]:
        return sum(1 for r in order if r.key in layout.dropped and r.priority_class >= SUBJECT), len(layout.dropped)

    marks_arr = np.array(list(marks), dtype=float).reshape(-1, 2)
    last = best = _place(order, frame, obstacles, margin, soft, no_cross, marks_arr, cluster)
    for _round in range(6):
        missed = [r for r in order if r.key in last.dropped and r.priority_class >= SUBJECT]
        if not missed:
            break
        order = missed + [r for r in order if r not in missed]
        last = _place(order, frame, obstacles, margin, soft, no_cross, marks_arr, cluster)
        if score(last) < score(best):
            best = last
    return best


def _nearer_to_another(marks: np.ndarray, anchor, box: Box, cluster: float, reach: float | None = None) -> bool:
    """Whether another point symbol is nearer the label than its own anchor is (the label
    would read as that symbol's name), or, for a label on a leader, nearer than `reach`.
    Symbols within `cluster` of the anchor mark the same place (an event beside its
    town) and do not count."""
    if not len(marks):
        return False
    x0, y0, x1, y1 = box

    def dist(px, py):
        return np.hypot(np.maximum(np.maximum(x0 - px, 0), px - x1), np.maximum(np.maximum(y0 - py, 0), py - y1))

    own = float(dist(np.array(anchor[0]), np.array(anchor[1]))) if reach is None else reach
    away = np.hypot(marks[:, 0] - anchor[0], marks[:, 1] - anchor[1]) > cluster
    return bool(np.any(away & (dist(marks[:, 0], marks[:, 1]) < own)))



def _any_hit(boxes: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """For each candidate box (rows of `cand`), whether it overlaps any of `boxes`."""
    if not len(boxes) or not len(cand):
        return np.zeros(len(cand), dtype=bool)
    c = cand[:, None, :]
    return ((boxes[:, 0] < c[..., 2]) & (c[..., 0] < boxes[:, 2])
            & (boxes[:, 1] < c[..., 3]) & (c[..., 1] < boxes[:, 3])).any(axis=1)


def _box_tests(cands, hw: float, hh: float, req: LabelRequest, frame: Box, taken: np.ndarray,
               own_line: np.ndarray, labels: np.ndarray, soft: np.ndarray,
               leaders: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every candidate: whether it is inside the frame and clear of what is taken, its
    own line (unless written across it), the labels beside it and the leaders placed; and
    whether it sits on a soft obstacle."""
    if not cands:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    centres = np.array([c[1] for c in cands], dtype=float)
    across = np.array([c[3] for c in cands], dtype=bool)
    boxes = np.column_stack([centres[:, 0] - hw, centres[:, 1] - hh, centres[:, 0] + hw, centres[:, 1] + hh])
    fx0, fy0, fx1, fy1 = frame
    ok = (boxes[:, 0] >= fx0) & (boxes[:, 1] >= fy0) & (boxes[:, 2] <= fx1) & (boxes[:, 3] <= fy1)
    ok &= ~_any_hit(taken, boxes)
    ok &= ~(_any_hit(own_line, boxes) & ~across)
    gap = WORD_GAP * req.height
    ok &= ~_any_hit(labels, np.column_stack([boxes[:, 0] - gap, boxes[:, 1], boxes[:, 2] + gap, boxes[:, 3]]))
    ok[ok] = ~_boxes_on_segments(leaders, boxes[ok])  # a label does not sit on a leader
    return ok, _any_hit(soft, boxes)


def _place(order: list[LabelRequest], frame: Box, obstacles, margin: float, soft, no_cross,
           marks: np.ndarray, cluster: float) -> Layout:
    taken = np.array(list(obstacles), dtype=float).reshape(-1, 4)
    soft_arr = np.array(list(soft), dtype=float).reshape(-1, 4)
    walls = np.array(list(no_cross), dtype=float).reshape(-1, 4)
    labels = np.zeros((0, 4))
    leaders = np.zeros((0, 4))
    placed: dict[int, Placement] = {}
    dropped: list[int] = []
    for req in order:
        hw, hh = req.width / 2 + margin, req.height / 2 + margin
        own_line = np.array(req.own_line, dtype=float).reshape(-1, 4)
        choice = None
        segment = None
        cands = list(_candidates(req))
        # The tests that read only boxes are done for all candidates at once (the same
        # comparisons as one by one); the rest run in order on the candidates that pass.
        ok_hard, soft_hit = _box_tests(cands, hw, hh, req, frame, taken, own_line, labels, soft_arr,
                                       leaders)
        tried = np.zeros(len(cands), dtype=bool)
        for avoid_soft in (True, False) if len(soft_arr) else (False,):
            ok = ok_hard & ~soft_hit if avoid_soft else ok_hard & ~tried
            for i in np.flatnonzero(ok):
                tried[i] = True  # the tests below read only what this label's turn has not changed
                anchor, (cx, cy), leader, _across = cands[i]
                box = (cx - hw, cy - hh, cx + hw, cy + hh)
                if req.gap > 0 and not len(own_line) and _nearer_to_another(marks, anchor, box, cluster,
                                                      req.height * 0.6 if leader else None):
                    continue
                segment = _leader(req, anchor, box, leader)
                if segment is not None and req.reach is not None and math.dist(*segment) > req.reach:
                    continue
                if segment is not None and (segment_hits_boxes(_walls_apart(walls, segment[1]), *segment)
                                            or segment_hits_boxes(labels, *segment)
                                            or _segments_cross(leaders, *segment)):
                    continue
                choice = Placement(req.key, anchor, (cx, cy), box, leader)
                break
            if choice is not None:
                break
        if choice is None:
            dropped.append(req.key)
            continue
        placed[req.key] = choice
        taken = np.vstack([taken, np.array(choice.box, dtype=float)[None, :]])
        labels = np.vstack([labels, np.array(choice.box, dtype=float)[None, :]])
        if segment is not None:
            leaders = np.vstack([leaders, np.array([*segment[0], *segment[1]], dtype=float)[None, :]])
    return Layout(placed, tuple(dropped))


def overlaps(boxes: list[Box]) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap (a preflight and a test use it)."""
    arr = np.array(boxes, dtype=float).reshape(-1, 4)
    out = []
    for i in range(len(arr)):
        b = arr[i]
        rest = arr[i + 1:]
        hit = (rest[:, 0] < b[2]) & (b[0] < rest[:, 2]) & (rest[:, 1] < b[3]) & (b[1] < rest[:, 3])
        out.extend((i, i + 1 + int(j)) for j in np.flatnonzero(hit))
    return out


def edge_point(inside: tuple[float, float], outside: tuple[float, float], frame: Box,
               inset: float = 0.0) -> tuple[float, float]:
    """Where the segment from a point inside the frame to one outside crosses the frame,
    moved `inset` back inside: an off-map actor's label stands there."""
    (x0, y0), (x1, y1) = inside, outside
    fx0, fy0, fx1, fy1 = frame[0] + inset, frame[1] + inset, frame[2] - inset, frame[3] - inset
    t = 1.0
    dx, dy = x1 - x0, y1 - y0
    for d, lo, hi, p in ((dx, fx0, fx1, x0), (dy, fy0, fy1, y0)):
        if d > 0:
            t = min(t, (hi - p) / d)
        elif d < 0:
            t = min(t, (lo - p) / d)
    t = max(0.0, t)
    return x0 + t * dx, y0 + t * dy
