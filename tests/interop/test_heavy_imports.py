"""geopandas (and pandas under it) serve the notebook API and `export-data` only: the
window's start-up and the image export must not import them (about 0.4 s each time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
HEAVY = ("geopandas", "pandas")

REPORT = """
import json, sys
print("MODULES=" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def heavy_modules_after(code: str, tmp_path: Path) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(DESKTOP), QT_QPA_PLATFORM="offscreen", MPLBACKEND="Agg",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    script = code + REPORT.format(heavy=set(HEAVY))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES="))
    return json.loads(line.removeprefix("MODULES="))


@pytest.mark.parametrize("code", [
    "import briefmap",
    "import briefmap.ui.app",
    # every module of the window, whatever its files are called
    "import importlib, pkgutil, briefmap.ui\n"
    "for m in pkgutil.walk_packages(briefmap.ui.__path__, 'briefmap.ui.'): importlib.import_module(m.name)",
    "from briefmap.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass",
], ids=["import-briefmap", "ui-app", "window-modules", "version"])
def test_start_up_does_not_import_geopandas(code, tmp_path):
    assert heavy_modules_after(code, tmp_path) == []


def test_window_snapshot_does_not_import_geopandas(tmp_path):
    """The whole window built and painted (the start-up path, offscreen)."""
    code = f"from briefmap.cli import main\nassert main(['snapshot', '-o', {str(tmp_path / 'w.png')!r}]) == 0\n"
    assert heavy_modules_after(code, tmp_path) == []
    assert (tmp_path / "w.png").stat().st_size > 0


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_image_export_does_not_import_geopandas(suffix, tmp_path):
    code = f"from briefmap.cli import main\nassert main(['export', '-o', {str(tmp_path / ('x.' + suffix))!r}]) == 0\n"
    assert heavy_modules_after(code, tmp_path) == []
    assert (tmp_path / f"x.{suffix}").stat().st_size > 0


def test_the_check_sees_geopandas_when_it_is_imported(tmp_path):
    """The probe itself works: the notebook API does import geopandas once a frame is asked for."""
    code = "import briefmap\nbriefmap.load().frame('places')\n"
    assert "geopandas" in heavy_modules_after(code, tmp_path)
