"""The window's one worker thread for label plans (and a big layer's thinning), and the
key a label plan is kept by."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

SWITCH_S = 0.0005
# Above this many vertices in the layers the legend's corner weighs (not the base map's),
# the corner is worked out on the worker, not the UI thread.
CORNER_ON_UI_VERTICES = 50_000
_planner: ThreadPoolExecutor | None = None


def planner() -> ThreadPoolExecutor:
    """The one worker thread that makes label plans (one at a time, in order)."""
    global _planner
    if _planner is None:
        # The worker holds the GIL while it computes; the UI thread, which gives it up at
        # every Qt call, waits for it up to the switch interval each time (5 ms by default,
        # several times a frame). Half a millisecond keeps its frames short.
        sys.setswitchinterval(SWITCH_S)
        _planner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefmap-labels")
    return _planner


def scene_key(scene) -> tuple:
    """Everything a label plan is made from (render/label_layout.py's LayoutScene), as a
    key: the same key, the same plan. Labels and features count by identity (a rebuilt
    layer or an edited feature is a new object); the plans kept hold them alive."""
    layers = tuple((la.spec.id, id(la.spec), tuple(
        (id(lab), text, weight, fstyle, id(la.table.geometries[lab.index]), id(la.table.properties[lab.index]))
        for lab, text, weight, fstyle in labels)) for la, labels in scene.layers)
    styles = tuple((k, st.markersize, st.marker_dx, st.marker_dy) for k, st in scene.point_styles.items())
    return (scene.px, tuple(scene.frame), tuple(scene.extent), scene.to_px.get_matrix().tobytes(),
            scene.from_px.get_matrix().tobytes(), tuple(map(tuple, scene.furniture)), tuple(map(tuple, scene.notes)),
            tuple(map(tuple, scene.symbols)), tuple(a.wkb for a in scene.arrows), layers, styles, scene.first,
            tuple(sorted(scene.subjects)), tuple(line.wkb for line in scene.furniture_lines),
            tuple(sorted(scene.yielding)), tuple(sorted(scene.editor_lines.items())),
            scene.give_way)
