"""Label plans made ahead, while the user is idle, for the toggles the user may make next.

After a gesture the view is new, so a layer ticked off needs a new label plan (the whole
map's layout, on the worker: the longest wait of a toggle). Once the map is complete and
the user has been idle IDLE_MS, each visible layer in turn is forecast switched off (and
a layer switched off in this view, on again): the scene the canvas would build then
(render/label_layout.py's LayoutScene) is read on the UI thread with that layer flipped
for the moment, the legend's box where the legend would stand then (the legend is an
obstacle to labels), and the plan is made on the worker and kept by its scene's key; then
the images of the labels those plans show are drawn. A real toggle builds its own scene and looks its key
up: a forecast that was exactly right is found, anything else is planned as before, so
what the user sees never depends on a forecast.

One forecast job at a time; the user acting (a toggle, a gesture, a key) stops them, a job
not yet begun is cancelled and a job running is left to finish (its plan is still right for
its scene, and a real toggle of that very scene waits for it instead of starting again).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from concurrent.futures import Future

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

from briefmap.render.label_layout import plan_layout
from briefmap.render.legend import coverage_of, covered_shares, legend_items
from briefmap.ui.planner import CORNER_ON_UI_VERTICES, planner, scene_key

IDLE_MS = 60  # the map complete and no input this long: the user reads, the worker plans ahead
SPRITES_S = 0.003  # label images drawn ahead per turn of the event loop (one at least)
USER_INPUT = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.Wheel, QEvent.Type.KeyPress)


class _Finished(QObject):
    done = Signal()


class _Input(QObject):
    """Hears the user press, turn the wheel or type on the map (before the map does)."""

    def __init__(self, target, heard) -> None:
        super().__init__(target)
        self._heard = heard
        target.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:
        if event.type() in USER_INPUT:
            self._heard()
        return False


@contextlib.contextmanager
def layer_switched(renderer, lid: str) -> Iterator[None]:
    """The renderer as it would be with layer `lid` switched off (or on again), for reading
    only: its visibility, its scenario glow (the legend explains a glow that is drawn) and,
    after, every callout as it was (reading a scene places the callouts) and the furniture."""
    layer = renderer.layers[lid].layer
    was = layer.visible
    glows = [a for owner, a in renderer.overlays.highlights if owner == lid and a.get_visible() == was]
    notes = [(n, n.get_visible(), n.get_fontsize(), n.xyann, n.xy, n.arrowprops, getattr(n, "_arrow_relpos", None),
              n.arrow_patch) for n in renderer.note_artists]
    dropped, furniture = getattr(renderer, "dropped_notes", []), renderer.furniture_inches
    for a in glows:
        a.set_visible(not was)
    try:
        with layer.shown_as(not was):  # no event: nothing follows a forecast
            yield
    finally:
        for a in glows:
            a.set_visible(was)
        for n, visible, size, xyann, xy, props, relpos, patch in notes:
            n.set_visible(visible)
            n.set_fontsize(size)
            n.xyann, n.xy, n.arrowprops, n.arrow_patch = xyann, xy, props, patch
            if relpos is not None:
                n._arrow_relpos = relpos
        renderer.dropped_notes, renderer.furniture_inches = dropped, furniture


def forecast_scene(canvas, lid: str):
    """The label scene the canvas builds once layer `lid` is switched off (or on again) in
    this view (ui/progressive.py: the legend listed and placed, then the scene), or None
    when it cannot be foreseen on the UI thread cheaply."""
    r = canvas.map_renderer
    with layer_switched(r, lid):
        if sum(la.vertices for la in r.layers.values() if la.visible and not la.spec.base) >= CORNER_ON_UI_VERTICES:
            return None  # the canvas works the legend's corner out on the worker then
        items = legend_items(r) if canvas.show_legend else []
        r.furniture_inches = canvas.legend.forecast(items, lambda boxes: covered_shares(coverage_of(r, boxes)))
        return r.label_scene()


def label_looks(plan, px: float) -> list[tuple]:
    """Each label a plan shows as `apply_layout` (render/label_layout.py) will set it: the
    artist, its text, anchor and offset (what its image on screen is keyed by)."""
    texts = {id(lab): text for lab, text in plan.texts}
    looks = []
    for key, (_lid, lab) in enumerate(plan.refs):
        p = plan.result.placed.get(key)
        if p is None:
            continue
        anchor = plan.from_px.transform(np.array([p.anchor]))[0]
        offset = (round((p.center[0] - p.anchor[0]) / px, 2), round((p.center[1] - p.anchor[1]) / px, 2))
        looks.append((lab.artist, texts.get(id(lab)), (float(anchor[0]), float(anchor[1])), offset))
    return looks


def draw_looks(canvas, looks: list[tuple]) -> None:
    """Draw the images of labels in the looks of a plan made ahead, for SPRITES_S (one at
    least): each artist set to that look for the moment and put back. An image is keyed by
    everything that changes its look, so it is the one the canvas would draw on the toggle."""
    ax, ratio, sprites = canvas.ax, canvas._pixels()[2], canvas.sprites
    start = time.perf_counter()
    while looks:
        ann, text, xy, offset = looks.pop()
        was = (ann.get_text(), ann.xy, ann.xyann, ann.get_ha(), ann.get_va())
        if text is not None:
            ann.set_text(text)
        ann.xy, ann.xyann = xy, offset
        ann.set_ha("center")
        ann.set_va("center")
        try:
            if sprites.cached(ann, ax, ratio) is None:
                sprites.get(ann, ax, ratio)
        finally:
            ann.set_text(was[0])
            ann.xy, ann.xyann = was[1], was[2]
            ann.set_ha(was[3])
            ann.set_va(was[4])
        if time.perf_counter() - start > SPRITES_S:
            return


class PlanAhead(QObject):
    """The canvas's forecasts: `rested` when its map is complete, `drop` when the user acts."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self._next)
        self._job: tuple[Future, tuple] | None = None  # the plan being made ahead, for which scene key
        self._base: tuple | None = None  # the scene on the map the forecasts start from
        self._done: set[str] = set()  # layers forecast from that scene
        self._finished = _Finished(self)
        self._finished.done.connect(self._job_done, Qt.ConnectionType.QueuedConnection)
        self._idle = False  # the map rests and the user has not acted since
        self._looks: list[tuple] = []  # labels of plans made ahead whose images may be missing
        self._looks_view: tuple | None = None  # the view they are for
        self.made = 0  # plans made ahead so far
        self._input = _Input(canvas, self._heard)

    @property
    def working(self) -> bool:
        """Whether a plan is being made ahead now."""
        return self._job is not None

    @property
    def finished(self) -> bool:
        """Whether every layer a toggle may come to has been forecast from the map on screen
        (and the images of the labels planned drawn)."""
        c = self.canvas
        return (self._job is None and not self._looks and self._base is not None and self._base == c._shown_key
                and all(lid in self._done for lid in self._candidates()))

    def rested(self, shown_key: tuple | None) -> None:
        """The map is complete with the plan of `shown_key` on it: plan ahead once idle."""
        if shown_key != self._base:
            self._base, self._done = shown_key, set()
        self._idle = True
        self._timer.start(IDLE_MS)

    def drop(self) -> None:
        """The user acts: no more forecasts until the map rests again."""
        self._idle = False
        self._timer.stop()
        if self._job is not None and self._job[0].cancel():
            self._job = None

    def _heard(self) -> None:
        """A press, a wheel turn or a key on the map: drop, and go on once idle again (a
        click that changes nothing leaves the map complete: no slice says it rests)."""
        self.drop()
        if self._base is not None and not self.canvas.pending:
            self._idle = True
            self._timer.start(IDLE_MS)

    def job_for(self, key: tuple) -> Future | None:
        """The plan being made ahead for the scene of `key`, if that is the one."""
        if self._job is not None and self._job[1] == key and not self._job[0].cancelled():
            return self._job[0]
        return None

    def _next(self) -> None:
        c = self.canvas
        if (not self._idle or c.pending or c._preview is not None or c._plan is not None
                or c._drag is not None or self._base is None or not c.isVisible()):
            return
        if self._job is not None or self._forecast_next():
            return  # the plans first: a plan missing costs a toggle far more than an image
        if self._looks and self._looks_view != c.view_key():
            self._looks = []
        if self._looks:
            draw_looks(c, self._looks)
            if self._looks:
                self._timer.start(0)

    def _candidates(self) -> list[str]:
        """The layers a toggle may come to next: first those switched off in this view (their
        images are at hand: ticked on again, the legend may take another corner than it had),
        then every visible layer, bottom to top."""
        layers = self.canvas.map_renderer.layers
        return ([lid for lid, la in layers.items() if not la.visible and la.built and lid in self.canvas.cache
                 and not la.label_todo]
                + [lid for lid, la in layers.items() if la.visible])

    def _forecast_next(self) -> bool:
        """Forecast the next layer not yet forecast and start its plan; whether one began."""
        c = self.canvas
        for lid in self._candidates():
            if lid in self._done:
                continue
            self._done.add(lid)
            scene = forecast_scene(c, lid)
            if scene is None:
                continue
            key = scene_key(scene)
            if key in c._plans:
                continue
            future = planner().submit(plan_layout, scene)
            self._job = (future, key)
            future.add_done_callback(self._worker_done)
            return True  # one at a time: the next after this one is done
        return False

    def _worker_done(self, _future: Future) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._finished.done.emit()  # on the worker thread: queued to the UI thread

    def _job_done(self) -> None:
        if self._job is None:
            return
        future, key = self._job
        if not future.done():
            return
        self._job = None
        if future.cancelled():
            return
        c = self.canvas
        plan = future.result()
        c.remember_plan(key, plan)
        self.made += 1
        if self._looks_view != c.view_key():
            self._looks, self._looks_view = [], c.view_key()
        self._looks.extend(label_looks(plan, c.ax.figure.dpi / 72.0))
        if self._idle:
            self._timer.start(0)  # the next forecast (the user has not acted meanwhile)
