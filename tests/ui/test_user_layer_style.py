"""A layer the user added, styled in the dialog and kept in the briefing: undoable, saved
with Save, there after the briefing is opened again, drawn on the exported sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.layers import map_crs
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.user_layers import import_layer
from briefmap.data.writer import copy_folder
from tests.ui.test_editor import open_folder

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "layers"


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "caucasus"
    copy_folder(builtin_briefing_dir(), folder)
    return folder


def with_user_layer(qtbot, folder, settings):
    win = open_folder(qtbot, folder, settings)
    lid = win.add_imported_layer(import_layer(CORPUS / "good.geojson", map_crs(win.briefing)), interactive=False)
    return win, lid


def fill_style(title: str, colour: str, *, keep: bool, seen: dict | None = None):
    def run(dialog) -> bool:
        dialog.title.setText(title)
        dialog.colour.setText("red")
        if seen is not None:
            seen["bad colour"] = dialog.problem.text()
            seen["ok"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
            seen["can keep"] = dialog.keep.isEnabled()
            seen["note"] = dialog.note.text()
        dialog.colour.setText(colour)
        dialog.marker.setCurrentIndex(dialog.marker.findData("s"))
        dialog.width.setValue(2.4)
        dialog.opacity.setValue(1.0)
        dialog.label.setCurrentIndex(dialog.label.findData("name"))
        dialog.keep.setChecked(keep)
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted
    return run


def test_styling_a_user_layer_is_one_undoable_step(qtbot, copy, settings, monkeypatch):
    win, lid = with_user_layer(qtbot, copy, settings)
    seen: dict = {}
    monkeypatch.setattr(win.user_layers, "exec_dialog", fill_style("Our sites", "#1b7837", keep=False, seen=seen))
    old = win.model.layers.styles[win.model.layers[lid].spec.style]
    assert win.user_layers.style_layer(lid)
    assert seen["bad colour"] == "The colour must read #rrggbb." and seen["ok"] is False
    layer = win.model.layers[lid]
    style = win.model.layers.styles[layer.spec.style]
    assert layer.spec.title == "Our sites" and layer.spec.label == "name"
    assert (style.color, style.marker, style.linewidth) == ("#1b7837", "s", 2.4)
    win.canvas.repaint()
    assert "Our sites" in win.canvas.legend_labels
    win.editor.undo_action.trigger()
    assert win.model.layers[lid].spec.title != "Our sites"
    assert win.model.layers.styles[old.id] == old


@pytest.mark.slow
def test_a_kept_layer_is_saved_and_there_after_reopening(qtbot, copy, settings, monkeypatch, tmp_path):
    win, lid = with_user_layer(qtbot, copy, settings)
    monkeypatch.setattr(win.user_layers, "exec_dialog", fill_style("Our sites", "#1b7837", keep=True))
    assert win.user_layers.style_layer(lid)
    assert lid not in win.model.layers
    kept = next(la for la in win.model.layers if la.spec.title == "Our sites")
    assert kept.spec.file.endswith(".gpkg") and (copy / kept.spec.file).is_file()
    assert win.editor.stack.count() == 1  # style and keep: one step
    win.editor.undo_action.trigger()  # taken back: the file goes, the added layer is back
    assert lid in win.model.layers and not (copy / kept.spec.file).exists()
    win.editor.redo_action.trigger()
    assert (copy / kept.spec.file).is_file()
    assert win.editor.save()
    assert [str(p) for p in validate(copy)] == []
    again, tables = open_briefing(copy)
    spec = next(s for s in again.layers if s.title == "Our sites")
    style = again.styles[spec.style]
    assert (style.color, style.marker, style.linewidth) == ("#1b7837", "s", 2.4)
    assert [p["name"] for p in tables[spec.id].properties] == ["Yerevan office", "Voskepar visit"]
    assert {p["source"] for p in tables[spec.id].properties} == {"file-good"}

    from briefmap.cli import main

    svg = tmp_path / "sheet.svg"
    assert main(["export", "--briefing", str(copy), "-o", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert "Our sites" in text and "Voskepar visit" in text  # (Yerevan office yields to Yerevan)


def test_the_built_in_briefing_cannot_keep_a_layer_until_saved_as_a_copy(qtbot, settings, monkeypatch):
    win, lid = with_user_layer(qtbot, builtin_briefing_dir(), settings)
    seen: dict = {}
    monkeypatch.setattr(win.user_layers, "exec_dialog", fill_style("Our sites", "#1b7837", keep=True, seen=seen))
    assert win.user_layers.style_layer(lid)
    assert seen["can keep"] is False and "Save as" in seen["note"]
    assert lid in win.model.layers  # styled, not kept
    assert not (builtin_briefing_dir() / "layers" / "sites.gpkg").exists()
