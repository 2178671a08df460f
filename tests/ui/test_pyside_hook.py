"""PySide6 asks of every module imported after it whether the module uses PySide6 (its
`__feature__` selections apply only there). briefmap answers from the source file's
bytes, quicker than PySide6's own reading: the answers must be PySide6's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

SCRIPT = """
import json, sys
import PySide6
feature = sys.modules["shibokensupport.feature"]
own_check = feature._mod_uses_pyside
import briefmap.ui.main_window  # the window's modules, imported after Qt
import matplotlib.tri  # a library module imported after Qt
check = feature._mod_uses_pyside
modules = [m for m in list(sys.modules.values())
           if str(getattr(getattr(m, "__spec__", None), "origin", "")).endswith(".py")]
print("RESULT=" + json.dumps({
    "installed": check is not own_check,
    "checked": len(modules),
    "differ": [m.__name__ for m in modules if check(m) != own_check(m)],
    "marks": {n: feature.pyside_feature_dict.get(n) for n in
              ("briefmap.ui.canvas", "briefmap.ui.layer_tree", "briefmap.model.view", "matplotlib.tri")},
}))
"""


def test_modules_imported_after_qt_get_pyside6_s_own_answer(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(DESKTOP), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT=")).removeprefix("RESULT="))
    assert result["installed"]
    assert result["checked"] > 100 and result["differ"] == []
    # The window's Qt modules are marked as using PySide6 (0), the rest as not (-1).
    assert result["marks"] == {"briefmap.ui.canvas": 0, "briefmap.ui.layer_tree": 0, "briefmap.model.view": -1,
                               "matplotlib.tri": -1}
