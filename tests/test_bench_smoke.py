"""The benchmark runs (one quick round, no goals checked) so that it never rots; the goals
are read from a full run's output, not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    data = json.loads(out.read_text())
    for key in ("export_a4", "pack_pdf", "cold_start", "toggle", "full_redraw", "toggle_vs_redraw", "pan_frame", "zoom_frame",
                "settled_frame", "lod", "memory"):
        assert key in data, key
    assert data["export_a4"]["baseline_s"]["median"] > 0 and data["cold_start"]["baseline_s"]["median"] > 0
    assert data["toggle"]["ms"]["n"] > 10
    assert data["lod"]["big_layer_vertices"] >= 10 * data["lod"]["map_vertices"]
    assert "measure" in r.stdout and "export_a4" in r.stdout
