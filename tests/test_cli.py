"""The command line: layers, version, and the window's --from checks."""

from __future__ import annotations

import pytest
from PIL import Image

from briefmap import __version__
from briefmap.cli import main


def test_layers_lists_layers_scenarios_and_bookmarks(capsys):
    assert main(["layers"]) == 0
    out = capsys.readouterr().out
    assert "delimitation_sections" in out and "Delimitation 2024" in out
    assert "later_developments" in out and "after the article" in out
    assert "collapse" in out and "tavush-gazakh" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefmap {__version__}"


def test_window_from_a_foreign_png_is_refused_before_opening(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    foreign = tmp_path / "photo.png"
    Image.new("RGB", (8, 8)).save(foreign)
    assert main(["--from", str(foreign)]) == 2
    assert "carries no briefmap view" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["print"])
    assert e.value.code == 2
