"""Callouts: each scenario note placed in free space near where the briefing put it,
with a leader to the emphasised feature it speaks of (render/labeling.py places it)."""

from __future__ import annotations

import numpy as np
import shapely
import shapely.ops
from matplotlib.patches import FancyArrowPatch

from briefmap.render.labeling import Box, LabelRequest, place_labels
from briefmap.render.text_metrics import text_size_points


def _emphasised(renderer) -> list:
    """The geometries of the scenario's emphasised features that are shown."""
    out = []
    scenario = next((sc for sc in renderer.briefing.scenarios if sc.id == renderer.scenario), None)
    for ref in scenario.highlight if scenario else ():
        found = renderer.find(ref)
        if found and renderer.layers[found[0]].visible:
            out.append(renderer.layers[found[0]].table.geometries[found[1]])
    return out


# A callout that finds no room at its own size is tried smaller, down to the smallest
# text a printed sheet may carry (preflight's MIN_PRINT_PT); below that it is reported.
MIN_NOTE_PT = 6.0
NOTE_STEP_PT = 0.5


def _sizes(home: float) -> list[float]:
    sizes = [home]
    while sizes[-1] - NOTE_STEP_PT >= MIN_NOTE_PT - 1e-9:
        sizes.append(round(sizes[-1] - NOTE_STEP_PT, 2))
    return sizes


def place_notes(renderer, frame: Box, obstacles: list[Box], px: float, walls: list[Box]) -> list[Box]:
    """Put each callout in free space near where the briefing placed it, with a leader to
    the nearest emphasised feature (the one it speaks of); one that has no room is tried
    with smaller text (down to 6 pt), and one that still has none is hidden and listed in
    `renderer.dropped_notes` (preflight reports it). Returns the boxes taken."""
    notes = renderer.note_artists
    renderer.dropped_notes = []
    if not notes:
        return []
    ax = renderer.ax
    to_px, from_px = ax.transData.transform, ax.transData.inverted().transform
    x0, y0, x1, y1 = renderer.extent()
    view = shapely.box(x0, y0, x1, y1)
    features = [g for g in _emphasised(renderer) if g.intersects(view)]
    anchors_of, targets, home_sizes = [], [], []
    for note in notes:
        home = getattr(note, "home", note.xy)
        if not hasattr(note, "home_size"):  # the size the briefing gave it (a relayout starts there again)
            note.home_size = note.get_fontsize()
        target = None
        if features:
            p = shapely.Point(home)
            nearest = min(features, key=lambda g: g.distance(p))
            q = shapely.ops.nearest_points(shapely.intersection(nearest, view), p)[0]
            target = (q.x, q.y)
        anchors = [tuple(map(float, to_px(np.array([home], dtype=float))[0]))]
        target_px = None
        if target is not None:
            target_px = tuple(map(float, to_px(np.array([target], dtype=float))[0]))
            anchors.append(target_px)
        anchors_of.append((tuple(anchors), target_px))
        targets.append(target)
        home_sizes.append(note.home_size)

    def request(i: int, size: float) -> LabelRequest:
        w, h = text_size_points(notes[i].get_text(), size, "normal", "italic")
        pad = size * 0.4 * 2 + 2
        w, h = (w + pad) * px, (h + pad) * px
        anchors, target_px = anchors_of[i]
        return LabelRequest(i, anchors, w, h, 9, 0.0, h * 0.9, True, target_px)

    # A callout may stand over map data but never over furniture or another callout.
    placed: dict[int, tuple] = {}  # index: (placement, size)
    waiting = list(range(len(notes)))
    step = 0
    while waiting:
        sizes = [_sizes(home_sizes[i]) for i in waiting]
        todo = [i for i, sz in zip(waiting, sizes, strict=True) if step < len(sz)]
        if not todo:
            break
        taken_now = [p.box for p, _size in placed.values()]
        reqs = [request(i, _sizes(home_sizes[i])[step]) for i in todo]
        result = place_labels(reqs, frame, list(obstacles) + taken_now, margin=2 * px, no_cross=walls)
        for i in todo:
            if i in result.placed:
                placed[i] = (result.placed[i], _sizes(home_sizes[i])[step])
        waiting = [i for i in todo if i not in placed]
        step += 1
    taken = []
    for i, note in enumerate(notes):
        if i not in placed:  # no free room even at 6 pt: hidden, and reported
            note.set_visible(False)
            note.set_fontsize(home_sizes[i])
            renderer.dropped_notes.append(" ".join(note.get_text().split()))
            continue
        p, size = placed[i]
        note.set_fontsize(size)
        centre = from_px(np.array([p.center]))[0]
        note.set_visible(True)
        note.set_position((float(centre[0]), float(centre[1])))
        target = targets[i]
        if target is not None:
            note.xy = target
            props = {"arrowstyle": "-", "color": "#555555", "linewidth": 0.7, "shrinkA": 0.0, "shrinkB": 2.0}
            note.arrowprops = dict(props)
            note._arrow_relpos = (0.5, 0.5)
            note.arrow_patch = FancyArrowPatch((0, 0), (1, 1), **props)
        taken.append(p.box)
    return taken
