"""File → Add layer… and drag-and-drop: the user's own data, read in a worker thread with
progress and cancel, so the window stays responsive on large files."""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from briefmap.data.layers import map_crs
from briefmap.data.user_layers import Cancelled, ImportedLayer, LayerImportError, import_layer
from briefmap.model.briefing import LayerSpec, Style

# Okabe–Ito colours not used by the briefing's own actors first.
PALETTE = ("#cc79a7", "#56b4e9", "#009e73", "#e69f00", "#0072b2", "#d55e00", "#000000")
USER_GROUP = "My layers"
FILTER = "Map data (*.geojson *.json *.gpkg *.zip *.kml *.csv);;All files (*)"


class _Worker(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.cancel = threading.Event()

    @Slot()
    def run(self) -> None:
        def report(fraction: float, message: str) -> bool:
            self.progress.emit(fraction, message)
            return not self.cancel.is_set()

        try:
            self.done.emit(import_layer(self.path, map_crs(), report))
        except Cancelled:
            self.failed.emit("")
        except LayerImportError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # an unreadable file must never take the window down
            self.failed.emit(f"{self.path.name}: cannot be read ({type(exc).__name__}: {str(exc)[:200]})")


class LayerLoad(QObject):
    """One file being read in its own thread. `finished(result, error)` fires once."""

    progress = Signal(float, str)
    finished = Signal(object, str)

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = _Worker(Path(path))
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Bound methods of this object (which lives in the window's thread): Qt queues the
        # worker's signals to that thread. A lambda would run in the worker's own thread.
        self.worker.progress.connect(self._on_progress)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel.set()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.emit(fraction, message)

    @Slot(object)
    def _on_done(self, layer: ImportedLayer) -> None:
        self._finish(layer, "")

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._finish(None, message)

    def _finish(self, layer: ImportedLayer | None, error: str) -> None:
        self.thread.quit()
        self.thread.wait()
        self.finished.emit(layer, error)


_counter = itertools.count(1)


def spec_and_style(layer: ImportedLayer, taken: set[str], order: int) -> tuple[LayerSpec, Style]:
    n = next(_counter)
    slug = re.sub(r"[^a-z0-9_-]+", "-", layer.title.lower()).strip("-")[:40] or "layer"
    lid = f"user-{slug}"
    k = 2
    while lid in taken:
        lid = f"user-{slug}-{k}"
        k += 1
    color = PALETTE[(n - 1) % len(PALETTE)]
    style = Style(id=f"{lid}-style", facecolor=color, edgecolor=color, color=color, alpha=0.45, linewidth=1.4,
                  marker="o", markersize=6.0, markeredgecolor="#ffffff", legend=layer.title)
    # The first 10,000 features decide the label field (a million-point file is not scanned whole).
    head = layer.table.properties[:10_000]
    label = next((k for k in ("name", "Name", "NAME", "title", "label") if any(k in p for p in head)), "")
    spec = LayerSpec(id=lid, title=layer.title, group=USER_GROUP, style=style.id, order=order, visible=True,
                     legend=layer.title, description=f"Your layer from {layer.path}", file="", base="",
                     label=label, sources=())
    layer.table.layer_id = lid
    return spec, style
