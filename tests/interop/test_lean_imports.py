"""An export or the window starts without the parts of matplotlib briefmap never uses
(fontTools' glyph list, the 3D axes, triangular grids, tables, the date-string parser,
the per-class property docstrings), and anything that does use them still finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

DEFERRED = ("fontTools.agl", "mpl_toolkits.mplot3d", "matplotlib.tri", "matplotlib.table", "dateutil.parser")

AFTER = f"\nDEFERRED = {DEFERRED!r}" + """
import json, sys
from matplotlib.figure import Figure
from matplotlib.axes import Axes
loaded = {m: getattr(sys.modules.get(m), "__file__", None) is not None for m in DEFERRED}
doc = sys.modules["matplotlib.lines"].Line2D.set.__doc__
ax3d = type(Figure().add_subplot(projection="3d")).__name__
import fontTools.agl
ax = Figure().add_subplot()
mesh = ax.tripcolor([0, 1, 0], [0, 0, 1], [1.0, 2.0, 3.0])
table = ax.table(cellText=[["Yerevan", "Baku"]])
import matplotlib.dates, matplotlib.tri, matplotlib.table
ax.plot(["Yerevan", "Baku"], [1, 2])  # string data: matplotlib's category units ask the date parser
print("RESULT=" + json.dumps({
    "loaded": loaded, "doc": doc[-60:], "ax3d": ax3d, "glyph": fontTools.agl.toUnicode("A"),
    "tri": [type(mesh).__name__, len(mesh.get_paths()), Axes.tripcolor is matplotlib.tri.tripcolor,
            Axes.tripcolor.__qualname__, bool(Axes.tripcolor.__doc__)],
    "table": [type(table).__name__, ax.tables[0] is table, Axes.table is matplotlib.table.table,
              isinstance(table, matplotlib.table.Table)],
    "dates": [matplotlib.dates.datestr2num("2024-04-19"), list(matplotlib.dates.datestr2num(["2024-04-19"]))],
    "category": [t.get_text() for t in ax.xaxis.get_majorticklabels()] or sorted(ax.xaxis.units._mapping),
}))
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


@pytest.mark.parametrize("command, suffix", [("export", "png"), ("export", "pdf"), ("snapshot", "png")])
def test_an_export_or_the_window_leaves_out_what_it_does_not_use_and_the_rest_still_loads_on_use(
        command, suffix, tmp_path):
    out = tmp_path / f"sheet.{suffix}"
    result = run(f"from briefmap.cli import main\nassert main([{command!r}, '-o', {str(out)!r}]) == 0\n", tmp_path)
    assert out.stat().st_size > 10_000
    assert result["loaded"] == dict.fromkeys(DEFERRED, False)
    assert result["doc"].endswith("listed by matplotlib.artist.kwdoc(artist).")
    assert result["ax3d"] == "Axes3D"  # made on demand: the real 3D axes
    assert result["glyph"] == "A"
    # Used later, each is the real thing, and the Axes methods are matplotlib's own again.
    assert result["tri"] == ["PolyCollection", 1, True, "Axes.tripcolor", True]
    assert result["table"] == ["Table", True, True, True]
    assert result["dates"] == [19832.0, [19832.0]]  # days since 1970-01-01
    assert sorted(result["category"]) == ["Baku", "Yerevan"]


def test_without_briefmap_s_start_matplotlib_is_as_it_ships(tmp_path):
    result = run("import matplotlib\n", tmp_path)
    assert all(result["loaded"].values())
    assert "zorder: float" in result["doc"] and "listed by" not in result["doc"]  # the full property list
