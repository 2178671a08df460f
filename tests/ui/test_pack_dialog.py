"""File → Export briefing pack…: the choices become the job's arguments; the job reports
progress, writes the file, and Cancel leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from briefmap.ui.pack_dialog import PackDialog


def only(dlg: PackDialog, *ids: str) -> None:
    for i in range(dlg.scenarios.count()):
        item = dlg.scenarios.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in ids
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def test_file_menu_offers_the_pack(window):
    file_menu = window.menuBar().actions()[0].menu()
    assert window.pack_action in file_menu.actions()
    assert window.pack_action.text().replace("&", "") == "Export briefing pack…"


def test_choices_become_the_jobs_arguments(qtbot, briefing, tmp_path):
    from briefmap.model.view import scenario_state

    state = scenario_state(briefing, "overview").with_(names="armenian", date=dt.date(2024, 5, 24))
    dlg = PackDialog(briefing, state, str(tmp_path))
    qtbot.addWidget(dlg)
    assert dlg.chosen_scenarios() == [s.id for s in briefing.scenarios]
    only(dlg, "collapse", "overview")
    dlg.format.setCurrentIndex(dlg.format.findData(".pptx"))
    assert dlg.path.text().endswith(".pptx")
    args = dlg.arguments()
    assert args[:3] == ["pack", "-o", dlg.path.text()]
    assert args[args.index("--scenarios") + 1] == "overview,collapse"  # the briefing's order
    assert args[args.index("--names") + 1] == "armenian" and args[args.index("--date") + 1] == "2024-05-24"
    assert "--add-layer" not in args
    only(dlg)
    dlg.start()
    assert dlg.process is None and "at least one scenario" in dlg.status.text()


def test_your_layers_in_the_window_go_into_the_pack(qtbot, briefing, tmp_path):
    import copy
    import dataclasses

    from briefmap.model.view import scenario_state

    mine = copy.copy(briefing)
    sites = tmp_path / "sites.geojson"
    mine.layers = [*briefing.layers, dataclasses.replace(briefing.layers[0], id="user-sites", user_file=str(sites))]
    state = scenario_state(briefing, "overview")
    dlg = PackDialog(mine, state.with_(visible=(*state.visible, "user-sites")), str(tmp_path))
    qtbot.addWidget(dlg)
    args = dlg.arguments()
    assert args[args.index("--add-layer") + 1] == str(sites)
    hidden = PackDialog(mine, state, str(tmp_path))
    qtbot.addWidget(hidden)
    assert "--add-layer" not in hidden.arguments()


@pytest.mark.slow
def test_export_writes_the_pack_with_progress(qtbot, window, tmp_path):
    dlg = PackDialog(window.briefing, window.current_state(), str(tmp_path), window)
    qtbot.addWidget(dlg)
    only(dlg, "stalemate")
    out = tmp_path / "pack.pdf"
    dlg.path.setText(str(out))
    seen = []
    dlg.progress.valueChanged.connect(seen.append)
    dlg.start()
    qtbot.waitUntil(lambda: not dlg.running(), timeout=180_000)
    assert dlg.status.text() == f"Wrote {out}", dlg.status.text()
    pages = PdfReader(out).pages
    assert "Outcome 2: talks stall" in pages[1].extract_text()
    assert max(seen) >= len(pages) - 1 and dlg.progress.value() == dlg.progress.maximum()


@pytest.mark.slow
def test_cancel_leaves_nothing(qtbot, window, tmp_path):
    dlg = PackDialog(window.briefing, window.current_state(), str(tmp_path), window)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(tmp_path / "pack.pdf"))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.progress.maximum() > 1 and dlg.progress.value() >= 1, timeout=120_000)
    dlg.cancel()
    qtbot.waitUntil(lambda: not dlg.running(), timeout=30_000)
    assert dlg.status.text() == "Cancelled; nothing was written."
    assert {p.name for p in tmp_path.iterdir()} - {"s.ini"} == set()  # no pack, no temporary part
