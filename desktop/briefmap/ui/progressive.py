"""Progressive rendering for the map canvas: the UI thread is never held for a whole frame.

When a gesture rests or a layer is ticked, the canvas paints at once what it has (the last
view's layer images moved and scaled to the new view, the labels of the last layout at their
new places) and makes the rest in short slices between events: layers bottom to top, then
the label layout, then the images of labels not drawn before. Each slice stops after
SLICE_S (one unit of work at least), so input and painting go on in between. QGIS's canvas
does the same with worker threads; here the artists are shared matplotlib objects, which
are not safe to draw while the UI thread changes the view, so the slices stay on it.

Off (the default) the canvas renders everything in the paint that needs it, as a
snapshot, a test or a print wants; the window the user runs turns it on.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QTimer

from briefmap.render.label_layout import text_size_points
from briefmap.ui.raster import EMPTY

SLICE_S = 0.006


class Progressive:
    """Mixed into MapCanvas (which has `cache`, `map_renderer`, `sprites`, `_render`)."""

    def init_progressive(self) -> None:
        self.progressive = False
        self._stale: tuple[dict, tuple] | None = None  # last view's images and that view (extent, w, h)
        self._slices = QTimer(self)
        self._slices.setSingleShot(True)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._next_slice)
        self._measured: set[tuple] = set()

    @property
    def pending(self) -> bool:
        """Whether work remains before the map on screen is complete for this view."""
        return (self._slices.isActive() or self._labels_stale or self._view_key != self.view_key()
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

    def _unmeasured(self) -> list[tuple]:
        """Label texts the layout will measure that were not measured before (the first
        show of Cities has 349): measured in slices ahead of the layout, which then finds
        them in text_size_points' cache."""
        out = []
        for la in self.map_renderer.layers.values():
            if not la.visible:
                continue
            for lab in la.labels:
                ann = lab.artist
                key = (ann.get_text(), lab.fontsize, str(ann.get_fontweight()), str(ann.get_fontstyle()))
                if key[0] and la.shown[lab.index] and key not in self._measured:
                    out.append(key)
        return out

    def _next_slice(self) -> None:
        """One slice of work: layers first (the map appears), then the label layout (its
        texts measured ahead), then the images of labels not drawn before."""
        if self._preview is not None:
            return  # a drag or wheel turn is on: no slice may delay its frames; its rest schedules again
        start = time.perf_counter()
        r = self.map_renderer
        self._sync_figure()
        more = True
        if missing := self._missing_layers():
            for i, lid in enumerate(missing):
                if i and time.perf_counter() - start > SLICE_S:
                    break
                self.cache[lid] = self._render(r.layer_artists(lid, labels=False)) if r.layer_in_view(lid) else EMPTY
        elif self._labels_stale:
            self._stale = None  # every layer is drawn for this view
            if unmeasured := self._unmeasured():
                for i, key in enumerate(unmeasured):
                    if i and time.perf_counter() - start > SLICE_S:
                        break
                    text_size_points(*key)
                    self._measured.add(key)
            else:
                self.layout_now()
        else:
            self._stale = None
            ratio = self._pixels()[2]
            missing = self._missing_sprites()
            more = False
            for i, lab in enumerate(missing):
                if i and time.perf_counter() - start > SLICE_S:
                    more = True
                    break
                self.sprites.get(lab.artist, self.ax, ratio)
        self.update()
        if more:
            self._slices.start()
