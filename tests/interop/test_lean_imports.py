"""An export or the window starts without the parts of matplotlib briefmap never uses
(fontTools' glyph list, the 3D axes, the per-class property docstrings), and anything
that does use them still finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

AFTER = """
import json, sys
from matplotlib.figure import Figure
loaded = {m: getattr(sys.modules.get(m), "__file__", None) is not None for m in ("fontTools.agl", "mpl_toolkits.mplot3d")}
doc = sys.modules["matplotlib.lines"].Line2D.set.__doc__
ax3d = type(Figure().add_subplot(projection="3d")).__name__
import fontTools.agl
print("RESULT=" + json.dumps({"loaded": loaded, "doc": doc[-60:], "ax3d": ax3d, "glyph": fontTools.agl.toUnicode("A")}))
"""


def run(code: str, tmp_path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(DESKTOP), QT_QPA_PLATFORM="offscreen", MPLBACKEND="Agg",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-c", code + AFTER], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Axes3D" not in proc.stderr  # matplotlib's warning when it cannot register the 3D axes
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT="))
    return json.loads(line.removeprefix("RESULT="))


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_an_export_leaves_out_what_it_does_not_use_and_the_rest_still_loads_on_use(suffix, tmp_path):
    out = tmp_path / f"sheet.{suffix}"
    result = run(f"from briefmap.cli import main\nassert main(['export', '-o', {str(out)!r}]) == 0\n", tmp_path)
    assert out.stat().st_size > 10_000
    assert result["loaded"] == {"fontTools.agl": False, "mpl_toolkits.mplot3d": False}
    assert result["doc"].endswith("listed by matplotlib.artist.kwdoc(artist).")
    assert result["ax3d"] == "Axes3D"  # made on demand: the real 3D axes
    assert result["glyph"] == "A"


def test_without_briefmap_s_start_matplotlib_is_as_it_ships(tmp_path):
    result = run("import matplotlib\n", tmp_path)
    assert result["loaded"]["mpl_toolkits.mplot3d"]
    assert "zorder: float" in result["doc"] and "listed by" not in result["doc"]  # the full property list
