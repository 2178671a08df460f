"""Progressive rendering for the map canvas: the UI thread is never held for a whole frame.

When a gesture rests or a layer is ticked, the canvas paints at once what it has (the last
view's layer images moved and scaled to the new view, the labels of the last layout at their
new places) and makes the rest in short slices between events: layers bottom to top, then
the label layout, then the images of labels not drawn before. Each slice stops after
SLICE_S (one unit of work at least), so input and painting go on in between.

The label layout, the longest job, is worked out on a worker thread, as QGIS renders map
layers in worker threads: the UI thread reads the labels' texts and the view into a plain
scene (render/label_layout.py), the worker makes the plan from it alone, and the UI thread
puts the plan on the artists when it is ready (the same function the sheet runs at once,
so the same view gives the same labels). A plan made for a view or a layer set that has
changed since is dropped and made again. Layers are drawn on the UI thread: their artists
are shared matplotlib objects, not safe to draw while the UI thread changes the view.

Off (the default) the canvas renders everything in the paint that needs it, as a
snapshot, a test or a print wants; the window the user runs turns it on.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import sys
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import LineCollection, PathCollection
from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal

from briefmap.render.label_layout import plan_layout
from briefmap.render.legend import coverage_of, covered_shares, legend_items
from briefmap.ui.raster import EMPTY, finish

SLICE_S = 0.004
SWITCH_S = 0.0005
UNIT_VERTICES = 2_000
PLANS_KEPT = 32  # a plan is small (boxes and references); the layer set toggled one by one is 1 + n scenes
LABELS_PER_STEP = 4
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


def _units(artist) -> list[tuple[object, tuple[int, int] | None]]:
    """An artist as units of drawing: a collection of very many vertices (a user's big
    line layer) in runs of paths of about UNIT_VERTICES each, the rest whole."""
    paths = getattr(artist, "_paths", None)
    if not isinstance(artist, LineCollection | PathCollection) or not paths or len(paths) < 2:
        return [(artist, None)]
    sizes = np.fromiter((len(p.vertices) for p in paths), dtype=np.int64, count=len(paths))
    if sizes.sum() <= UNIT_VERTICES:
        return [(artist, None)]
    ends = np.searchsorted(np.cumsum(sizes), np.arange(UNIT_VERTICES, sizes.sum(), UNIT_VERTICES), side="left")
    cuts = sorted({0, *(int(e) + 1 for e in ends if e + 1 < len(paths)), len(paths)})
    return [(artist, run) for run in itertools.pairwise(cuts)]


def _draw_unit(unit, agg) -> None:
    """Draw an artist, or a run of a collection's paths: the collection draws that run
    alone, then gets all its paths back. One style per collection (render/artists.py),
    drawn in the same order: the runs together give the pixels of the whole."""
    artist, run = unit
    if run is None:
        artist.draw(agg)
        return
    paths = artist._paths
    artist._paths = paths[run[0]:run[1]]
    try:
        artist.draw(agg)
    finally:
        artist._paths = paths


class _Ready(QObject):
    """Carries "a plan is ready" from the worker thread to the UI thread (a queued signal)."""

    done = Signal()


class Progressive:
    """Mixed into MapCanvas (which has `cache`, `map_renderer`, `sprites`, `_render`)."""

    @property
    def progressive(self) -> bool:
        return self.map_renderer.background is not None

    @progressive.setter
    def progressive(self, on: bool) -> None:
        # A very big point layer is thinned and indexed on the worker too (render/map_layers.py).
        self.map_renderer.background = planner() if on else None
        if on and gc.isenabled():  # else the start-up does it after the first frame (ui/app.py)
            # What the window holds once up (the briefing's features, Qt, matplotlib: a
            # hundred thousand objects and more) stays: out of the collector's full passes,
            # which would otherwise stop the UI thread for 20–80 ms whenever they come round.
            # Unfrozen first: what an earlier window left (another briefing opened) is collected.
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def init_progressive(self) -> None:
        self._stale: tuple[dict, tuple] | None = None  # last view's images and that view (extent, w, h)
        self._slices = QTimer(self)
        self._slices.setSingleShot(True)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._next_slice)
        self._corner: tuple[Future, tuple] | None = None  # the legend's corner being worked out, for which view
        self._legend_due = False  # the view changed: the legend lists what is in view (a slice does it)
        self._drawing: tuple[str, RendererAgg, list] | None = None  # a layer drawn in slices: id, canvas, to do
        self._cost: dict = {None: 0.003}  # seconds a drawing unit took last time (None: the layer's image)
        self._plan: tuple[Future, int, tuple] | None = None  # a label plan being made: generation, scene
        self._plans: OrderedDict[tuple, object] = OrderedDict()  # recent plans by scene_key
        self._ready = _Ready(self)
        self._ready.done.connect(self.schedule, Qt.ConnectionType.QueuedConnection)

    @property
    def _labels_stale(self) -> bool:
        return self._labels_stale_

    @_labels_stale.setter
    def _labels_stale(self, stale: bool) -> None:
        """Labels made stale again start a new generation: a plan begun before is dropped."""
        if stale:
            self._label_generation = getattr(self, "_label_generation", 0) + 1
        self._labels_stale_ = stale

    @property
    def pending(self) -> bool:
        """Whether work remains before the map on screen is complete for this view."""
        return (self._slices.isActive() or self._labels_stale or self._legend_due or self._corner is not None
                or bool(self.map_renderer.building)
                or self._view_key != self.view_key()
                or bool(self._missing_layers()))

    def keep_stale(self, old_cache: dict, old_view: tuple | None) -> None:
        """The view changed: keep the last images to show, moved, until the new ones exist."""
        if old_view is not None and any(r.image is not None for r in old_cache.values()):
            self._stale = (old_cache, old_view)

    def stale_transform(self) -> tuple[QPointF, float] | None:
        """How the last view's images map onto the current view (offset in px, scale)."""
        if self._stale is None:
            return None
        (ox0, _oy0, ox1, oy1), ow, _oh = self._stale[1]
        nx0, _ny0, nx1, ny1 = self.map_renderer.extent()
        old_mpp, new_mpp = (ox1 - ox0) / max(ow, 1), (nx1 - nx0) / max(self.width(), 1)
        return QPointF((ox0 - nx0) / new_mpp, (ny1 - oy1) / new_mpp), old_mpp / new_mpp

    def schedule(self) -> None:
        if not self._slices.isActive():
            self._slices.start()

    def _missing_layers(self) -> list[str]:
        return [lid for lid, la in self.map_renderer.layers.items() if la.visible and lid not in self.cache]

    def _missing_sprites(self) -> list:
        ratio = self._pixels()[2]
        return [lab for lab in self.map_renderer.visible_labels()
                if self.sprites.cached(lab.artist, self.ax, ratio) is None]

    def _plan_labels(self) -> bool:
        """Start a label plan on the worker, or put a finished one on the artists; whether
        the slices go on now (False: the worker's signal brings the next slice). A scene
        seen lately (a layer ticked off and on again in the same view) reuses its plan."""
        if self._plan is not None:
            future, generation, key = self._plan
            if not future.done():
                return False
            self._plan = None
            plan = future.result()  # a failure is raised here, on the UI thread
            if generation == self._label_generation:
                self._remember(key, plan)
                self._put_labels(plan)
                return True
        r = self.map_renderer
        r.furniture_inches = self.legend.obstacle_inches()
        scene = r.label_scene()
        key = scene_key(scene)
        if (plan := self._plans.get(key)) is not None:
            self._plans.move_to_end(key)
            self._put_labels(plan)
            return True
        future = planner().submit(plan_layout, scene)
        self._plan = (future, self._label_generation, key)
        future.add_done_callback(self._plan_done)
        return False

    def _put_labels(self, plan) -> None:
        self.map_renderer.apply_label_plan(plan)
        self.overlays.pop("notes", None)  # the layout places the callouts too
        self._labels_stale = False

    def _remember(self, key: tuple, plan) -> None:
        self._plans[key] = plan
        while len(self._plans) > PLANS_KEPT:
            self._plans.popitem(last=False)

    def _start_legend(self) -> bool:
        """The legend lists what is in view now; the corner with the least data under it
        is worked out on the worker (clipping a user's big layer takes a while)."""
        self._legend_due = False
        self.legend.set_items(legend_items(self.map_renderer) if self.show_legend else [])
        if not self.legend.isVisible():
            return True
        coverage = coverage_of(self.map_renderer, self.legend.corner_boxes())
        if sum(la.vertices for la in self.map_renderer.layers.values() if la.visible and not la.spec.base) < 50_000:
            self.legend.choose_corner(covered_shares(coverage))  # a few milliseconds: no worker needed
            return True
        future = planner().submit(covered_shares, coverage)
        self._corner = (future, self.view_key())
        future.add_done_callback(self._plan_done)
        return False

    def _place_legend(self) -> None:
        future, view = self._corner
        self._corner = None
        shares = future.result()
        if view == self.view_key() and not self._legend_due:  # else the view moved on: asked again
            self.legend.choose_corner(shares)  # a move makes the labels stale (they keep clear of it)

    def follow_builds(self) -> None:
        """Hear when the worker is done with a big layer (render/map_layers.py)."""
        for future in self.map_renderer.building.values():
            future.add_done_callback(self._plan_done)

    def _plan_done(self, _future: Future) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed while the plan was made
            self._ready.done.emit()  # on the worker thread: queued to the UI thread

    def _draw_layers(self, start: float) -> None:
        """Layers bottom to top, one artist at a time into the layer's Agg canvas, so a big
        layer (the countries: fills, borders, capitals) spreads over several slices. A
        slice stops before an artist that would take it past SLICE_S (judged by what that
        artist took last time), after one at least."""
        r = self.map_renderer
        first = True
        while True:
            if self._drawing is None:
                missing = self._missing_layers()
                if not missing:
                    return
                lid = missing[0]
                artists = [a for a in r.layer_artists(lid, labels=False) if a.get_visible()]
                if not artists or not r.layer_in_view(lid):
                    self.cache[lid] = EMPTY  # nothing in view (zoomed on Tavush, say) costs no rendering
                    continue
                w, h, _ratio = self._pixels()
                self._drawing = (lid, RendererAgg(w, h, self.figure.dpi), [u for a in artists for u in _units(a)])
            lid, agg, units = self._drawing
            step = units[0] if units else None
            key = (id(step[0]), step[1]) if step else None
            if not first and time.perf_counter() - start + self._cost.get(key, 0.0) > SLICE_S:
                return
            first = False
            t = time.perf_counter()
            if step is None:  # every artist drawn: the layer's image
                self.cache[lid] = finish(agg, self._pixels()[2])
                self._drawing = None
            else:
                _draw_unit(step, agg)
                units.pop(0)
            self._cost[key] = time.perf_counter() - t

    def forget_drawing(self, layers=None) -> None:
        """A layer's image being drawn in slices is no longer right (the view, its
        visibility or its features changed): start it again."""
        if self._drawing is not None and (layers is None or self._drawing[0] in layers):
            self._drawing = None

    def _next_slice(self) -> None:
        """One slice: steps of work until SLICE_S is spent (a step at least) or the
        worker has the next one; one frame painted at the end if anything new is ready."""
        if self._preview is not None:
            return  # a drag or wheel turn is on: no slice may delay its frames; its rest schedules again
        start = time.perf_counter()
        self._sync_figure()
        more = changed = False
        while True:
            more, new = self._step(start)
            changed = changed or new
            if not more or time.perf_counter() - start > SLICE_S:
                break
        if changed:
            self.update()
        if more:
            self._slices.start()

    def _step(self, start: float) -> tuple[bool, bool]:
        """One step, in order: a big layer's artists when the worker is done with it, the
        legend (where it stands decides where labels go), the layers (the map appears), the
        label artists and the label plan (on the worker), the images of labels not drawn
        before. Whether more steps are due now, and whether anything new is to be shown."""
        more = changed = True
        r = self.map_renderer
        if any(f.done() for f in r.building.values()):
            for lid in r.finish_builds():
                self.cache.pop(lid, None)
                self._labels_stale = True
            self._legend_due = True  # it says how many points are drawn
        elif self._legend_due and self._corner is None:
            more = self._start_legend()
        elif self._corner is not None and self._corner[0].done():
            self._place_legend()
        elif self._missing_layers():
            done = len(self.cache)
            self._draw_layers(start)
            changed = len(self.cache) != done  # a layer's image is ready
        elif self._corner is not None:
            more = changed = False  # the labels wait for the legend's corner; the worker's signal comes
        elif self._labels_stale:
            changed = self._stale is not None
            self._stale = None  # every layer is drawn for this view
            if r.labels_to_make():  # a layer's first show: its label artists, a few at a time
                while r.labels_to_make() and time.perf_counter() - start < SLICE_S:
                    r.make_labels(LABELS_PER_STEP)
            else:
                more = self._plan_labels()
                changed = changed or not self._labels_stale  # the plan is on the map
        else:
            ratio = self._pixels()[2]
            missing = self._missing_sprites()
            more, changed = False, bool(missing) or self._stale is not None
            self._stale = None
            for i, lab in enumerate(missing):
                if i and time.perf_counter() - start > SLICE_S:
                    more = True
                    break
                self.sprites.get(lab.artist, self.ax, ratio)
        return more, changed
