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


def place_notes(renderer, frame: Box, obstacles: list[Box], px: float, walls: list[Box]) -> list[Box]:
    """Put each callout in free space near where the briefing placed it, with a leader to
    the nearest emphasised feature (the one it speaks of); returns the boxes taken."""
    notes = renderer.note_artists
    if not notes:
        return []
    ax = renderer.ax
    to_px, from_px = ax.transData.transform, ax.transData.inverted().transform
    x0, y0, x1, y1 = renderer.extent()
    view = shapely.box(x0, y0, x1, y1)
    features = [g for g in _emphasised(renderer) if g.intersects(view)]
    requests, targets = [], []
    for i, note in enumerate(notes):
        home = getattr(note, "home", note.xy)
        size = note.get_fontsize()
        w, h = text_size_points(note.get_text(), size, "normal", "italic")
        pad = size * 0.4 * 2 + 2
        w, h = (w + pad) * px, (h + pad) * px
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
        requests.append(LabelRequest(i, tuple(anchors), w, h, 9, 0.0, h * 0.9, True, target_px))
        targets.append(target)
    # A callout may stand over map data but never over furniture or another callout.
    result = place_labels(requests, frame, obstacles, margin=2 * px, no_cross=walls)
    taken = []
    for i, note in enumerate(notes):
        p = result.placed.get(i)
        if p is None:  # no free room: where the briefing put it, clipped by the frame
            note.set_visible(False)
            continue
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
