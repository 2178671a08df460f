"""Edit → Copy map, File → Print and Help, driven on the offscreen platform."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from briefmap.ui.help import GUIDE, HelpDialog, shortcuts_markdown


def test_copy_map_puts_the_sheet_on_the_clipboard_as_png_and_svg(qtbot, window):
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (1920, 1080)
    svg = bytes(mime.data("image/svg+xml"))
    assert b"<text" in svg and window.briefing.title.encode() in svg


def test_print_draws_the_sheet_on_the_page(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from briefmap.ui.sheet_actions import print_sheet

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_sheet(window, printer)
    data = (tmp_path / "printed.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000  # the sheet's image is on the page


def test_help_guide_and_every_shortcut(window):
    actions = window.sheet_actions
    assert actions["guide"].shortcut().toString() == "F1"
    assert actions["print"].shortcut().toString() == "Ctrl+P"
    text = shortcuts_markdown(window)
    for keys in ("Ctrl+E", "Ctrl+P", "Ctrl+C", "F1", "Ctrl+1"):
        assert keys.replace("+", "\\+") in text, keys
    dialog = HelpDialog(GUIDE, "guide", window)
    plain = dialog.browser.toPlainText()
    assert "Confidence" in plain and "unconfirmed" in plain and "Preflight" in plain
    # A bookmark title is data: it is shown as written, never as markup.
    table = HelpDialog(shortcuts_markdown(window), "keys", window).browser.toPlainText()
    assert "Whole region" in table


def test_fly_to_a_point_frames_it_with_its_context(window):
    r = window.canvas.map_renderer
    assert window.select_feature("places/gyumri")
    x0, y0, x1, y1 = r.extent()
    assert min(x1 - x0, y1 - y0) >= 140_000  # not a blank map with one dot
    places = r.layers["places"].table
    near = [fid for fid, g in zip(places.ids, places.geometries, strict=True)
            if fid != "gyumri" and x0 <= g.x <= x1 and y0 <= g.y <= y1]
    assert near  # other named places give the reader their bearings
