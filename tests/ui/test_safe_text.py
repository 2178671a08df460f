"""One text policy for every Qt text: panels load only images inside the briefing folder,
and data shown in tooltips and message boxes is never read as rich text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox

from briefmap.data.briefing import open_briefing, validate
from briefmap.ui.app import open_window, wait_for_paint

MAGENTA, GREEN = (255, 0, 255), (0, 255, 0)


def solid_png(path: Path, colour: str) -> Path:
    image = QImage(90, 90, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def count(image: QImage, rgb: tuple[int, int, int]) -> int:
    n = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            n += (c.red(), c.green(), c.blue()) == rgb
    return n


def with_images(briefing_copy: Path, tmp_path: Path) -> str:
    private = solid_png(tmp_path / "private.png", "#ff00ff")
    solid_png(briefing_copy / "panels" / "inside.png", "#00ff00")
    return (f"\n\n![private]({private})\n\n![uri](file://{private})\n\n![up](../../private.png)\n\n"
            "![zero](/dev/zero)\n\n![](/dev/zero)\n\n![inside](panels/inside.png)\n")


def test_a_panel_shows_images_inside_the_folder_and_nothing_else(qtbot, briefing_copy, tmp_path):
    briefing, tables = open_briefing(briefing_copy)
    first = briefing.panels[0]
    object.__setattr__(first, "text", first.text + with_images(briefing_copy, tmp_path))
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    wait_for_paint(win)
    win.panels.show_panel(first.id)
    browser = win.panels.browser
    browser.resize(600, 3000)
    browser.verticalScrollBar().setValue(browser.verticalScrollBar().maximum())
    qtbot.wait(50)
    shot = browser.viewport().grab().toImage()
    assert count(shot, MAGENTA) == 0, "an image outside the briefing folder was shown"
    assert count(shot, GREEN) > 100, "the image inside the folder is shown"
    refused = browser.document().refused
    assert any("private.png" in r for r in refused) and "/dev/zero" in refused
    assert win.isVisible()


def test_validate_and_snapshot_refuse_a_panel_image_outside_the_folder(briefing_copy, tmp_path):
    panel = briefing_copy / "panels" / "01-bottom-line.md"
    panel.write_text(panel.read_text(encoding="utf-8") + with_images(briefing_copy, tmp_path), encoding="utf-8")
    problems = [str(p) for p in validate(briefing_copy)]
    outside = [p for p in problems if p.startswith("panels/01-bottom-line.md:") and ": image: " in p]
    assert any("absolute paths are not allowed" in p and "private.png" in p for p in outside), problems
    assert any("'/dev/zero'" in p for p in outside)
    assert any("paths may not leave the briefing folder" in p for p in outside)
    assert not any("inside.png" in p for p in problems)
    done = subprocess.run([sys.executable, "-m", "briefmap", "snapshot", "--briefing", str(briefing_copy),
                           "-o", str(tmp_path / "w.png")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "private.png" in done.stderr
    assert not (tmp_path / "w.png").exists()


def test_event_tooltips_show_markup_as_text(qtbot, briefing_copy, tmp_path):
    briefing, tables = open_briefing(briefing_copy)
    ev = briefing.events[0]
    object.__setattr__(ev, "text", '<img src="/dev/zero"> & <b>bold</b>')
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    tip = win.events.item(0).toolTip()
    assert "<img" not in tip and "&lt;img src=&quot;/dev/zero&quot;&gt; &amp; &lt;b&gt;" in tip


def test_a_layer_files_text_reaches_the_message_box_as_plain_text(qtbot, tmp_path, monkeypatch, briefing, tables):
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    bad = tmp_path / "img.geojson"
    bad.write_text(json.dumps({"type": "<img src=&#47;dev&#47;zero>", "features": []}))
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    win.add_layer_file(bad, interactive=True)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    box = shown[0]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<img src=&#47;dev&#47;zero>" in box.text()
    assert win.isVisible()


def test_a_huge_markdown_table_is_cut_so_the_panel_stays_responsive(qtbot):
    from briefmap.ui.panels import MAX_TABLE_ROWS, SafeBrowser

    rows = "".join(f"| {i} | row {i} |\n" for i in range(10_000))
    b = SafeBrowser()
    qtbot.addWidget(b)
    b.set_markdown("| a | b |\n|---|---|\n" + rows + "\nafter the table\n")
    text = b.toPlainText()
    assert f"row {MAX_TABLE_ROWS - 3}" in text and "row 9999" not in text
    assert f"table cut at {MAX_TABLE_ROWS} rows" in text and "after the table" in text


def test_a_settings_file_that_is_a_fifo_does_not_block_start_up(tmp_path, briefing):
    import os

    from briefmap.ui.settings import load, open_settings

    fifo = tmp_path / "briefmap.ini"
    os.mkfifo(fifo)
    settings = open_settings(str(fifo))
    remembered = load(settings, briefing)
    assert any("not a regular file" in p for p in remembered.problems)
