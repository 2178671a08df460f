"""Installing like a desktop application: the bundle, the desktop entry, the AppStream
metadata and the icon."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: the test command installs it (packaging/quickstart.sh)"
    return path


def test_desktop_entry_validates():
    r = subprocess.run([tool("desktop-file-validate"), str(LINUX / "org.briefmap.Briefmap.desktop")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "error" not in r.stdout, r.stdout
    text = (LINUX / "org.briefmap.Briefmap.desktop").read_text()
    assert "Exec=briefmap" in text and "Icon=org.briefmap.Briefmap" in text


def test_appstream_metainfo_validates():
    r = subprocess.run([tool("appstreamcli"), "validate", "--no-net",
                        str(LINUX / "org.briefmap.Briefmap.metainfo.xml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_icon_is_our_own_svg():
    svg = ET.parse(ROOT / "resources" / "icons" / "briefmap.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 128 128"
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "briefmap"


@pytest.mark.slow
def test_bundle_builds_and_runs(tmp_path):
    """The PyInstaller one-folder bundle starts and exports headless."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                    str(ROOT / "packaging" / "briefmap.spec")], check=True, capture_output=True)
    exe = tmp_path / "dist" / "briefmap" / "briefmap"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.stdout.startswith("briefmap ")
    assert subprocess.run([str(exe), "validate"], env=env, cwd=tmp_path, capture_output=True).returncode == 0
    subprocess.run([str(exe), "export", "-o", str(tmp_path / "sheet.png"), "--preset", "square"], check=True, env=env,
                   cwd=tmp_path, capture_output=True)
    assert (tmp_path / "sheet.png").stat().st_size > 50_000
    subprocess.run([str(exe), "snapshot", "-o", str(tmp_path / "window.png"), "--size", "1000x700"], check=True,
                   env=env, cwd=tmp_path, capture_output=True)
    assert (tmp_path / "window.png").stat().st_size > 50_000
    subprocess.run([str(exe), "export-data", "-o", str(tmp_path / "data.gpkg")], check=True, env=env, cwd=tmp_path,
                   capture_output=True)
    assert (tmp_path / "data.gpkg").stat().st_size > 100_000
