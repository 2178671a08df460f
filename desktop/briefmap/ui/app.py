"""Starting the window, and rendering it offscreen for `briefmap snapshot`."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QImage
from PySide6.QtWidgets import QApplication

from briefmap import __version__
from briefmap.data.briefing import open_briefing
from briefmap.data.errors import BriefingError
from briefmap.data.paths import builtin_briefing_dir, resources_dir
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("briefmap")
        QCoreApplication.setApplicationName("briefmap")
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv or [sys.argv[0]])
        app.setDesktopFileName("org.briefmap.Briefmap")
        icon = resources_dir() / "icons" / "briefmap.svg"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    return app


def open_window(briefing: Briefing, tables: dict[str, FeatureTable], settings: QSettings,
                state: ViewState | None = None, restore: bool = True, progressive: bool = False):
    """The main window. `progressive`: the canvas renders in slices between events, so the
    UI thread is never held for a whole frame (what the user runs; ui/progressive.py)."""
    from briefmap.ui.main_window import MainWindow

    win = MainWindow(briefing, tables, settings, state=state, restore=restore)
    win.canvas.progressive = progressive

    def reopen(path: str) -> None:
        try:
            b, t = open_briefing(Path(path))
        except BriefingError as exc:
            win.show_problems(f"Cannot open {path}", [str(p) for p in exc.problems])
            return
        win.remember_recent(path)
        new = open_window(b, t, settings, progressive=win.canvas.progressive)
        new.recent = win.recent
        new.show()
        win.close()

    win.openBriefingRequested.connect(reopen)
    if restore:
        # After a crash, offer the edits the last session did not save, once the window shows.
        QTimer.singleShot(0, win.editor.offer_recovery)
    return win


def run(briefing_path: Path | None = None, opened=None, state: ViewState | None = None) -> int:
    from briefmap.ui import crash
    from briefmap.ui.settings import open_settings

    app = application()
    crash.install()
    path = Path(briefing_path) if briefing_path else builtin_briefing_dir()
    if opened is None:
        try:
            opened = open_briefing(path)
        except BriefingError as exc:
            from briefmap.ui.safe_text import critical

            critical(None, "briefmap: cannot open the briefing",
                     f"{path}\n\n" + "\n".join(str(p) for p in exc.problems[:30]))
            return 1
    briefing, tables = opened
    win = open_window(briefing, tables, open_settings(), state=state)
    if briefing_path:
        win.remember_recent(str(path))
    win.show()
    after_first_frame(win)
    code = app.exec()
    from briefmap.render.text_metrics import keep_measures

    keep_measures()  # the labels' widths, for the next start (render/measure_store.py)
    return code


def after_first_frame(win, progressive: bool = True) -> None:
    """The window's first frame is drawn whole, in the paint that shows it: no input waits on
    it before the window is up, and drawn in slices it is complete later (the slices, the
    frames between them, the label plan's worker). Once it is on screen the canvas renders
    progressively (ui/progressive.py), so that no later change holds the UI thread.

    The window starts with the cyclic collector off (cli/window.py): its passes over the
    imports and the first frame free nothing. With the first frame up: one pass for what
    starting up left, what the window holds frozen out of later full passes (as
    ui/progressive.py does for a window opened later), and the collector on again."""
    timer = QTimer(win)
    timer.setInterval(20)

    def check() -> None:
        if win.canvas.frames_drawn == 0 or win.canvas.pending:
            return
        timer.stop()
        collector_off = not gc.isenabled()
        if progressive:
            win.canvas.progressive = True  # with the collector off, the collecting is left to us
        if collector_off:
            gc.collect()
            gc.freeze()
            gc.enable()

    timer.timeout.connect(check)
    timer.start()


def wait_for_paint(win, timeout_ms: int = 10000) -> None:
    """Run the event loop until the map canvas has drawn the whole map (or the timeout passes)."""

    def painted() -> bool:
        return win.canvas.frames_drawn > 0 and not win.canvas.pending

    loop = QEventLoop()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if painted() else None)
    deadline.start(timeout_ms)
    poll.start()
    if not painted():
        loop.exec()
    poll.stop()
    deadline.stop()


def snapshot(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState, out: Path,
             size: tuple[int, int]) -> Path:
    import tempfile

    from briefmap.render.export import write_atomic

    application()
    scratch = tempfile.TemporaryDirectory(prefix="briefmap-snapshot-")
    # A throwaway settings file: a snapshot neither reads nor changes the user's settings.
    settings = QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat)
    win = open_window(briefing, tables, settings, state=state, restore=False)
    win.resize(*size)
    win.show()
    win.apply_state(state, fit=True)
    QApplication.processEvents()
    wait_for_paint(win)
    QApplication.processEvents()
    image = window_image(win)
    write_atomic(Path(out), lambda tmp: write_png(image, tmp))
    win.hide()
    win.deleteLater()
    scratch.cleanup()
    return Path(out)


def window_image(win) -> QImage:
    """The window's pixels as painted. Offscreen, the window's backing store holds the frame
    just painted, and it is copied; `grab()` would paint every widget once more (and it
    is what other platforms use, where the screen may show other windows on top)."""
    if QGuiApplication.platformName() == "offscreen" and win.windowHandle() is not None:
        image = win.screen().grabWindow(win.winId()).toImage()
        if image.size() == win.size() * win.devicePixelRatio():
            return image
    return win.grab().toImage()


def write_png(image: QImage, path: Path) -> None:
    """A window image as PNG through the export's encoder (render/png.py: deflate on both
    cores), about three times sooner than Qt's writer; the same pixels and resolution."""
    from briefmap.render import png

    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = rgba.width(), rgba.height()
    # Qt pads each row to bytesPerLine; the array is viewed row by row, then cut to the width.
    rows = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=rgba.bytesPerLine() * h)
    pixels = rows.reshape(h, rgba.bytesPerLine())[:, :w * 4].reshape(h, w, 4)
    png.write(path, pixels, dpi=image.dotsPerMeterX() * 0.0254)
