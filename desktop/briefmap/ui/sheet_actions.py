"""The sheet beyond the export dialog: Edit → Copy map (the sheet on the clipboard as PNG
and SVG), File → Print (the sheet through Qt's print dialog), and Help → User guide (F1)
and Keyboard shortcuts. Installed on the main window by one call."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QRectF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence, QPainter

from briefmap.ui import safe_text

CLIPBOARD_PRESET = "slide-16x9"
PRINT_MAX_DPI = 300


def _image(rgba) -> QImage:
    h, w = rgba.shape[:2]
    return QImage(rgba.tobytes(), w, h, w * 4, QImage.Format.Format_RGBA8888).copy()


def copy_sheet(window) -> QMimeData:
    """Put the current view's sheet (slide size) on the clipboard, as an image and as SVG."""
    from briefmap.render.export import sheet_image
    from briefmap.render.sheet import SheetOptions

    opts = SheetOptions.from_preset(CLIPBOARD_PRESET)
    state = window.current_state()
    mime = QMimeData()
    mime.setImageData(_image(sheet_image(window.briefing, window.tables, state, opts, "rgba")))
    mime.setData("image/svg+xml", sheet_image(window.briefing, window.tables, state, opts, "svg"))
    QGuiApplication.clipboard().setMimeData(mime)
    window.statusBar().showMessage("Map sheet copied (PNG and SVG)", 4000)
    return mime


def print_sheet(window, printer) -> None:
    """Draw the current view's sheet on the printer's page, at the page's size."""
    from PySide6.QtPrintSupport import QPrinter

    from briefmap.render.export import sheet_image
    from briefmap.render.sheet import SheetOptions

    page = printer.pageRect(QPrinter.Unit.Inch)
    dpi = min(printer.resolution(), PRINT_MAX_DPI)
    opts = SheetOptions(max(page.width(), 3.0), max(page.height(), 2.5), dpi)
    image = _image(sheet_image(window.briefing, window.tables, window.current_state(), opts, "rgba"))
    painter = QPainter(printer)
    try:
        target = painter.viewport()
        size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.setViewport(target.x(), target.y(), size.width(), size.height())
        painter.setWindow(image.rect())
        painter.drawImage(QRectF(image.rect()), image)
    finally:
        painter.end()


def _print_dialog(window) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)
    if dialog.exec() == QPrintDialog.DialogCode.Accepted:
        try:
            print_sheet(window, printer)
        except (OSError, ValueError) as exc:
            safe_text.warn(window, "Print", f"The sheet could not be printed: {exc}")


def _show_help(window, guide: bool) -> None:
    from briefmap.ui.help import GUIDE, HelpDialog, shortcuts_markdown  # when asked for, not at start-up

    if guide:
        HelpDialog(GUIDE, "briefmap user guide", window).exec()
    else:
        HelpDialog(shortcuts_markdown(window), "Keyboard shortcuts", window).exec()


def install(window) -> dict[str, QAction]:
    """Add the actions to the window's menus; returns them by name."""
    mb = window.menuBar()
    menus = {m.title().replace("&", ""): m for m in (a.menu() for a in mb.actions()) if m is not None}
    edit = mb.addMenu("&Edit")
    if "View" in menus:  # Edit sits between File and View, as everywhere
        mb.insertMenu(menus["View"].menuAction(), edit)
    copy = QAction("&Copy map", window)
    copy.setShortcut(QKeySequence.StandardKey.Copy)
    # Ctrl+C copies the map when the map has the focus; text elsewhere copies as usual.
    copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    copy.triggered.connect(lambda: copy_sheet(window))
    window.canvas.addAction(copy)
    edit.addAction(copy)

    printing = QAction("&Print…", window)
    printing.setShortcut(QKeySequence.StandardKey.Print)
    printing.triggered.connect(lambda: _print_dialog(window))
    if "File" in menus:
        file = menus["File"]
        quit_action = next((a for a in file.actions() if a.text().replace("&", "") == "Quit"), None)
        file.insertAction(quit_action, printing) if quit_action else file.addAction(printing)

    guide = QAction("User &guide", window)
    guide.setShortcut(QKeySequence.StandardKey.HelpContents)
    guide.triggered.connect(lambda: _show_help(window, guide=True))
    keys = QAction("&Keyboard shortcuts", window)
    keys.triggered.connect(lambda: _show_help(window, guide=False))
    helpm = menus.get("Help") or mb.addMenu("&Help")
    first = helpm.actions()[0] if helpm.actions() else None
    for action in (guide, keys):
        helpm.insertAction(first, action) if first else helpm.addAction(action)
    return {"copy": copy, "print": printing, "guide": guide, "shortcuts": keys}
