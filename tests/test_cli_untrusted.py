"""The command line against untrusted input: top-level options honoured or refused, stored
views checked, odd paths refused, user layers exported headless and restored by file."""

from __future__ import annotations

import json
import os
import struct
import tomllib
import zlib
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from PIL import Image

from briefmap.cli import main
from briefmap.render import png
from briefmap.render.export import VIEW_KEY, read_view

CORPUS = Path(__file__).resolve().parent / "corpus"
VIEWS = tomllib.loads((CORPUS / "faults.toml").read_text(encoding="utf-8"))["view"]
SMALL = ["--size", "500x320", "--dpi", "50"]


def view_png(path: Path, view_text: str, header: tuple[int, int] | None = None) -> Path:
    """A small PNG carrying `view_text`; with `header`, an image header claiming that size
    (the pixels are never decoded by a reader that only wants the view)."""
    data = png.encode(np.full((4, 4, 4), 255, dtype=np.uint8), {VIEW_KEY: view_text})
    if header:
        w, h = header
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
        chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
        data = data[:8] + chunk + data[8 + 25:]
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def valid_view(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("v") / "view.png"
    assert main(["export", "-o", str(out), *SMALL, "--scenario", "collapse"]) == 0
    return read_view(out).to_json()


def test_a_top_level_briefing_is_honoured_by_the_command(briefing_copy, tmp_path, capsys):
    (briefing_copy / "catalog.toml").write_text("[briefing\n", encoding="utf-8")
    out = tmp_path / "x.png"
    assert main(["--briefing", str(briefing_copy), "export", "-o", str(out), *SMALL]) == 1
    assert "not valid TOML" in capsys.readouterr().err and not out.exists()
    assert main(["--briefing", str(briefing_copy), "validate"]) == 1


@pytest.mark.parametrize("args, message", [
    (["--briefing", "/nonexistent", "export", "-o", "{out}"], "--briefing: '/nonexistent': no such folder"),
    (["--briefing", "/nonexistent", "validate"], "no such folder"),
    (["--briefing", "{tmp}", "export", "--briefing", "{out}", "-o", "{out}"], "--briefing was given twice"),
    (["--from", "{out}", "validate"], "--from does not apply to `briefmap validate`"),
    (["--from", "{out}", "layers"], "--from does not apply to `briefmap layers`"),
])
def test_top_level_options_are_refused_when_they_cannot_apply(args, message, tmp_path, capsys):
    out = tmp_path / "x.png"
    args = [a.replace("{out}", str(out)).replace("{tmp}", str(tmp_path)) for a in args]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_top_level_from_is_honoured_by_export(tmp_path):
    first = tmp_path / "first.png"
    assert main(["export", "-o", str(first), *SMALL, "--scenario", "stalemate", "--names", "armenian"]) == 0
    again = tmp_path / "again.png"
    assert main(["--from", str(first), "export", "-o", str(again), *SMALL]) == 0
    assert read_view(again).scenario == "stalemate" and read_view(again).names == "armenian"


@pytest.mark.parametrize("case", VIEWS, ids=[c["id"] for c in VIEWS])
def test_a_bad_stored_view_is_a_clean_usage_error(case, valid_view, tmp_path, capsys):
    ok = valid_view.strip()[1:-1]
    fill = "[" * case.get("deep", 0) + "]" * case.get("deep", 0)
    if "ids" in case:
        fill = json.dumps([f"layer-{i}" for i in range(case["ids"])])
    text = case["view"].replace("{ok", "{" + ok).replace("@", fill)
    # Later keys win in JSON objects: the bad field replaces the good one.
    source = view_png(tmp_path / "bad.png", text)
    out = tmp_path / "out.png"
    assert main(["export", "--from", str(source), "-o", str(out), *SMALL]) == 2
    err = capsys.readouterr().err
    assert case["message"] in err, err
    assert "Traceback" not in err and not out.exists()


def test_the_view_is_read_without_decoding_pixels(valid_view, tmp_path):
    # A 30000 x 30000 header on a tiny file (a decompression bomb for Pillow), and the size
    # of a legitimate large export: the view is read all the same.
    for size in ((30000, 30000), (14000, 13000)):
        source = view_png(tmp_path / f"{size[0]}.png", valid_view, header=size)
        assert source.stat().st_size < 2000
        with pytest.raises(Image.DecompressionBombError):
            Image.open(source).load()
        out = tmp_path / f"out-{size[0]}.png"
        assert main(["export", "--from", str(source), "-o", str(out), *SMALL]) == 0
        assert read_view(out).scenario == "collapse"


def test_from_a_fifo_or_a_folder_is_refused(tmp_path, capsys):
    fifo = tmp_path / "view.png"
    os.mkfifo(fifo)
    assert main(["export", "--from", str(fifo), "-o", str(tmp_path / "o.png"), *SMALL]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["export", "--from", str(tmp_path), "-o", str(tmp_path / "o.png"), *SMALL]) == 2


def test_long_output_names(tmp_path, capsys):
    long_ok = tmp_path / ("n" * 246 + ".png")  # 250 characters: the temporary name must fit too
    assert main(["export", "-o", str(long_ok), *SMALL]) == 0 and long_ok.exists()
    too_long = tmp_path / ("n" * 296 + ".png")
    assert main(["export", "-o", str(too_long), *SMALL]) == 2
    assert "the file name is too long (300 bytes; at most 255)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [long_ok.name]


def test_sizes_the_layout_cannot_fit_are_usage_errors(tmp_path, capsys):
    for size, dpi in (("300x300", "150"), ("64x64", "1200")):
        code = main(["export", "-o", str(tmp_path / "s.png"), "--size", size, "--dpi", dpi])
        err = capsys.readouterr().err
        # Too small for any layout: refused, naming the smallest sheet, and nothing written.
        assert code == 2 and "Traceback" not in err
        assert "the smallest sheet is 4 × 2.5 in" in err
        assert not any(tmp_path.iterdir())


def write_layer(path: Path, name: str) -> Path:
    features = [
        {"type": "Feature", "properties": {"name": name, "rank": "high", "population": "20,000"},
         "geometry": {"type": "MultiPoint", "coordinates": [[44.6, 40.3], [45.2, 40.6]]}},
        {"type": "Feature", "properties": {"name": "collection"},
         "geometry": {"type": "GeometryCollection", "geometries": [
             {"type": "Point", "coordinates": [44.8, 41.0]},
             {"type": "LineString", "coordinates": [[44.0, 40.0], [45.5, 41.2]]}]}},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_export_add_layer_and_restore_it_from_the_png_by_its_file(tmp_path, capsys):
    layer = write_layer(tmp_path / "sites.geojson", "Cost $5 or $x^2$ \\frac{a}{")
    out = tmp_path / "with-layer.png"
    assert main(["export", "-o", str(out), *SMALL, "--add-layer", str(layer), "--bookmark", "region"]) == 0
    state = read_view(out)
    assert "user-sites" in state.visible
    from briefmap.render.export import read_user_layers

    assert read_user_layers(out) == {"user-sites": str(layer)}
    again = tmp_path / "again.png"
    assert main(["export", "--from", str(out), "-o", str(again), *SMALL]) == 0
    assert "user-sites" in read_view(again).visible
    layer.unlink()
    capsys.readouterr()
    assert main(["export", "--from", str(out), "-o", str(tmp_path / "third.png"), *SMALL]) == 1
    err = capsys.readouterr().err
    assert "user-sites" in err and str(layer) in err and "missing" in err


def test_a_bad_added_layer_fails_cleanly(tmp_path, capsys):
    bad = tmp_path / "img.geojson"
    bad.write_text('{"type": "<img src=&#47;dev&#47;zero>", "features": []}', encoding="utf-8")
    out = tmp_path / "o.png"
    assert main(["export", "-o", str(out), *SMALL, "--add-layer", str(bad)]) == 1
    assert "img.geojson: unknown GeoJSON type" in capsys.readouterr().err and not out.exists()


def test_control_characters_in_data_still_make_well_formed_svg(tmp_path):
    layer = write_layer(tmp_path / "nul.geojson", "nul\u0000here\u0007")
    out = tmp_path / "x.svg"
    assert main(["export", "-o", str(out), *SMALL, "--add-layer", str(layer), "--bookmark", "region"]) == 0
    ElementTree.parse(out)  # raises if not well-formed XML


def test_the_window_refuses_a_missing_briefing_or_a_fifo_view_before_opening(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["--briefing", str(tmp_path / "nope")]) == 2
    assert "briefmap: --briefing: " in capsys.readouterr().err
    fifo = tmp_path / "view.png"
    os.mkfifo(fifo)
    assert main(["--from", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err
