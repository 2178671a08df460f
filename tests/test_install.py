"""Installing briefmap: the wheel carries its map data and briefing; the editable install
finds them in the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build`: the sdist, then the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True,
                   capture_output=True)
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    return next(dist.glob("briefmap-*.whl"))


@pytest.mark.slow
def test_sdist_carries_everything_needed(dist):
    import tarfile

    sdist = next(dist.glob("briefmap-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "geodata/base.gpkg", "geodata/provenance.toml", "geodata/build.py",
                   "geodata/world.gpkg", "geodata/build_world.py",
                   "resources/briefings/south-caucasus/catalog.toml", "resources/icons/briefmap.svg",
                   "desktop/briefmap/cli/__init__.py", "packaging/linux/org.briefmap.Briefmap.desktop",
                   "packaging/constraints.txt"):
        assert needed in names, needed


@pytest.mark.slow
def test_wheel_contains_data_and_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "briefmap/_data/geodata/base.gpkg" in names
    assert "briefmap/_data/geodata/provenance.toml" in names
    assert "briefmap/_data/geodata/world.gpkg" in names  # what `briefmap new` cuts base maps from
    assert "briefmap/_data/resources/briefings/south-caucasus/catalog.toml" in names
    assert "briefmap/_data/resources/briefings/south-caucasus/layers.gpkg" in names
    assert any(n.startswith("briefmap/_data/resources/briefings/south-caucasus/panels/") for n in names)
    assert "briefmap/cli/__init__.py" in names and "briefmap/ui/main_window.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "briefmap = briefmap.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()
    data = next(n.split(".data/")[0] + ".data" for n in names if ".data/data/" in n)
    for shared in ("share/icons/hicolor/scalable/apps/org.briefmap.Briefmap.svg",
                   "share/applications/org.briefmap.Briefmap.desktop",
                   "share/metainfo/org.briefmap.Briefmap.metainfo.xml"):
        assert f"{data}/data/{shared}" in names, shared


@pytest.mark.slow
def test_fresh_virtualenv_install_runs(wheel, tmp_path):
    """pip install of the wheel into a new virtual environment, as a user would."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "-c", str(ROOT / "packaging" / "constraints.txt"), str(wheel)]
    subprocess.run(pip, check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import briefmap.data.paths as p; print(p.basemap_path()); print(p.builtin_briefing_dir())"],
                           check=True, capture_output=True, text=True, env=env, cwd=tmp_path).stdout.split()
    assert all(str(venv) in w and "_data" in w for w in where), where
    briefmap = str(venv / "bin" / "briefmap")
    assert subprocess.run([briefmap, "validate"], env=env, cwd=tmp_path).returncode == 0
    out = tmp_path / "sheet.png"
    subprocess.run([briefmap, "export", "-o", str(out), "--size", "800x450", "--dpi", "80"], check=True,
                   env=env, cwd=tmp_path)
    assert out.stat().st_size > 10_000
    version = subprocess.run([briefmap, "--version"], capture_output=True, text=True, env=env).stdout
    assert version.startswith("briefmap ")
    # The desktop entry and the icon land in the environment's share/, hicolor layout.
    assert (venv / "share" / "icons" / "hicolor" / "scalable" / "apps" / "org.briefmap.Briefmap.svg").is_file()
    assert (venv / "share" / "applications" / "org.briefmap.Briefmap.desktop").is_file()


def test_editable_install_finds_the_source_tree():
    import briefmap
    from briefmap.data import paths

    if "_data" in str(paths.basemap_path()):
        pytest.fail("the test environment should use the editable install")
    assert Path(briefmap.__file__).resolve().is_relative_to(ROOT / "desktop")
    assert paths.basemap_path() == ROOT / "geodata" / "base.gpkg"
    assert paths.builtin_briefing_dir() == ROOT / "resources" / "briefings" / "south-caucasus"


def test_no_display_points_to_the_export(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "briefmap"], capture_output=True, text=True, env=env, cwd=tmp_path,
                       timeout=60)
    assert r.returncode == 1
    assert "no display" in r.stderr and "briefmap export" in r.stderr
    assert "Traceback" not in r.stderr
