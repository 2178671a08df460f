"""The benchmark runs (one quick round, no goals checked) so that it never rots; the goals
are read from a full run's output, not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    data = json.loads(out.read_text())
    for key in ("export_a4", "pack_pdf", "cold_start", "toggle", "full_redraw", "toggle_vs_redraw", "pan_frame", "zoom_frame",
                "settled_frame", "lod", "memory"):
        assert key in data, key
    # Every timing is a real measurement (positive, p95 not below the median) and the table
    # the user reads names every measure.
    timings = list(_summaries(data))
    assert len(timings) >= 10
    for path, t in timings:
        assert t["median"] > 0 and t["p95"] >= t["median"], path
    assert "measure" in r.stdout
    assert all(key in r.stdout for key in ("export_a4", "cold_start", "toggle", "pan_frame", "lod"))


def _summaries(node, path=""):
    if isinstance(node, dict):
        if {"median", "p95"} <= set(node):
            yield path, node
        for k, v in node.items():
            yield from _summaries(v, f"{path}/{k}")
