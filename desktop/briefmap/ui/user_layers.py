"""File → Add layer… and drag-and-drop: the user's own data, read in a child process
(data/layer_process.py) watched by a worker thread, with progress and a Cancel that stops
the reading at once; the window stays responsive on large or hostile files."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from briefmap.data.layer_process import import_isolated
from briefmap.data.user_layer_spec import USER_GROUP, spec_and_style
from briefmap.data.user_layers import Cancelled, ImportedLayer, LayerImportError

FILTER = "Map data (*.geojson *.json *.gpkg *.zip *.kml *.csv);;All files (*)"


class _Worker(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, path: Path, target_crs: str):
        super().__init__()
        self.path = path
        self.target_crs = target_crs
        self.cancel = threading.Event()

    @Slot()
    def run(self) -> None:
        def report(fraction: float, message: str) -> bool:
            self.progress.emit(fraction, message)
            return not self.cancel.is_set()

        try:
            self.done.emit(import_isolated(self.path, self.target_crs, report, self.cancel.is_set))
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

    def __init__(self, path: Path, target_crs: str, parent=None):
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = _Worker(Path(path), target_crs)
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


__all__ = ["FILTER", "USER_GROUP", "LayerLoad", "spec_and_style"]
