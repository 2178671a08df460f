"""The exported sheet as a reader gets it: the text in the files, every capital and
country in view named, no label over another, real text in SVG and PDF, the PNG's dpi,
words that follow the state, any size laid out or refused cleanly, and nothing of the
built-in briefing in a copy with other credits."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from briefmap.cli import main
from briefmap.model.view import scenario_state
from briefmap.render.labeling import overlaps
from briefmap.render.sheet import PRESETS, SheetOptions, SheetReport, build_sheet

SCENARIOS = ["overview", "agreement", "stalemate", "collapse"]
CAPITALS = {"Yerevan", "Tbilisi", "Baku"}
COUNTRIES = {"Armenia", "Azerbaijan", "Georgia", "Russia", "Turkey", "Iran"}


def svg_text(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()).strip() for el in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.slow
@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_capital_and_country_in_view_is_named(tmp_path, preset, scenario):
    out = tmp_path / "sheet.svg"
    assert main(["export", "-o", str(out), "--preset", preset, "--scenario", scenario]) == 0
    texts = set(svg_text(out))
    assert texts >= CAPITALS, CAPITALS - texts
    assert texts >= COUNTRIES, COUNTRIES - texts


@pytest.mark.parametrize("bookmark, names", [("nakhchivan", {"Armenia", "Azerbaijan", "Iran"}),
                                             ("karabakh", {"Armenia", "Azerbaijan"}),
                                             ("tavush-gazakh", {"Armenia", "Azerbaijan"})])
def test_local_sheets_say_which_side_is_which(tmp_path, bookmark, names):
    out = tmp_path / "local.svg"
    assert main(["export", "-o", str(out), "--size", "1400x900", "--dpi", "100", "--bookmark", bookmark]) == 0
    texts = set(svg_text(out))
    assert names <= texts, names - texts


def drawn_label_boxes(fig, report: SheetReport) -> list:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = []
    for r in report.renderers:
        for lab in r.visible_labels():
            bb = Text.get_window_extent(lab.artist, renderer)
            boxes.append(((bb.x0 + 0.5, bb.y0 + 0.5, bb.x1 - 0.5, bb.y1 - 0.5), lab.artist.get_text(), r.ax))
    return boxes


@pytest.mark.parametrize("preset, scenario", [("slide-16x9", "overview"), ("square", "collapse"),
                                              ("a4-portrait", "agreement")])
def test_no_two_drawn_labels_overlap(briefing, tables, preset, scenario):
    report = SheetReport()
    opts = SheetOptions.from_preset(preset, dpi=100)
    fig, _ = build_sheet(briefing, tables, scenario_state(briefing, scenario), opts, report)
    boxes = drawn_label_boxes(fig, report)
    assert len(boxes) > 20
    for ax in {id(b[2]): b[2] for b in boxes}.values():
        mine = [b for b in boxes if b[2] is ax]
        pairs = overlaps([b[0] for b in mine])
        assert pairs == [], [(mine[i][1], mine[j][1]) for i, j in pairs]
        frame = ax.get_window_extent()
        for (x0, y0, x1, y1), text, _ax in mine:
            assert frame.x0 - 1 <= x0 and x1 <= frame.x1 + 1 and frame.y0 - 1 <= y0 and y1 <= frame.y1 + 1, text


def test_off_map_actor_is_named_where_its_arrow_enters(briefing, tables):
    report = SheetReport()
    from briefmap.data.projection import bounds_to_map

    # The collapse scenario's links, seen on the closer regional view: India lies off it.
    state = scenario_state(briefing, "collapse").with_(extent=bounds_to_map(briefing.bookmark("region").bounds, briefing.crs))
    fig, renderer = build_sheet(briefing, tables, state, SheetOptions.from_preset("square", dpi=80), report)
    x0, y0, x1, y1 = renderer.extent()
    la = renderer.layers["actor_anchors"]
    india = next(lab for lab in la.labels if lab.artist.get_text() == "India (off map)")
    true_x, true_y = india.xy
    assert not (x0 <= true_x <= x1 and y0 <= true_y <= y1)  # the actor lies off this map
    assert india.artist.get_visible(), "the off-map actor has no label"
    ax_, ay_ = india.artist.xy
    # Its label stands at the frame's edge (within a hair), where the arrow comes in.
    assert min(ax_ - x0, x1 - ax_, ay_ - y0, y1 - ay_) < 0.01 * (x1 - x0)
    del fig


def test_svg_keeps_text_and_pdf_embeds_searchable_fonts(tmp_path):
    svg, pdf = tmp_path / "s.svg", tmp_path / "s.pdf"
    for out in (svg, pdf):
        assert main(["export", "-o", str(out), "--size", "1200x800", "--dpi", "100"]) == 0
    body = svg.read_text(encoding="utf-8")
    assert "<text" in body and "South Caucasus: the risks" in body
    assert re.search(r"font-family: 'DejaVu Sans', [^;]*sans-serif", body)
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # TrueType (Type 42), embedded
    found = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Yerevan" in found and "Azerbaijan" in found and "Natural Earth" in found


def test_png_carries_its_dpi(tmp_path):
    out = tmp_path / "a4.png"
    assert main(["export", "-o", str(out), "--preset", "a4-landscape", "--dpi", "150"]) == 0
    with Image.open(out) as im:
        assert im.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre, rounded


@pytest.mark.parametrize("size, dpi", [("800x600", 150), ("2000x400", 150), ("600x480", 150), ("1080x1920", 150),
                                       ("600x4000", 100), ("4800x3840", 1200), ("900x600", 30)])
def test_any_size_in_range_lays_out_without_clipping(tmp_path, size, dpi, capsys):
    out = tmp_path / "s.png"
    w, h = (int(v) for v in size.split("x"))
    opts = SheetOptions.from_pixels(w, h, dpi)
    assert main(["export", "-o", str(out), "--size", size, "--dpi", str(dpi)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    with Image.open(out) as im:
        assert im.size == (w, h)
    # Every text of the sheet lies wholly on the sheet.
    from briefmap.data.briefing import open_briefing
    from briefmap.data.paths import builtin_briefing_dir

    briefing, tables = open_briefing(builtin_briefing_dir())
    fig, _ = build_sheet(briefing, tables, scenario_state(briefing), opts)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    for t in fig.texts:
        if t.get_visible() and t.get_text().strip():
            bb = t.get_window_extent(r)
            assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= w + 1 and bb.y1 <= h + 1, t.get_text()[:40]


@pytest.mark.parametrize("args, minimum", [(["--size", "300x300"], "600 × 375 px at 150 dpi"),
                                           (["--size", "100x100"], "600 × 375 px at 150 dpi"),
                                           (["--size", "64x64", "--dpi", "1200"], "4800 × 3000 px at 1200 dpi"),
                                           (["--size", "20000x20000", "--dpi", "30"], "more than 64,000,000 pixels"),
                                           # Wide enough, but its title and credits leave no room for a map.
                                           (["--size", "600x375"], "at this width the sheet must be at least")])
def test_too_small_or_too_large_is_refused_and_nothing_written(tmp_path, capsys, args, minimum):
    out = tmp_path / "s.png"
    assert main(["export", "-o", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert minimum in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_words_follow_the_state(tmp_path):
    dated, local = tmp_path / "dated.svg", tmp_path / "local.svg"
    assert main(["export", "-o", str(dated), "--size", "1200x800", "--dpi", "100", "--date", "2021-01-01"]) == 0
    texts = svg_text(dated)
    assert not any("mid-2024" in t for t in texts)
    assert any("map as of 2021-01-01" in t for t in texts)
    assert main(["export", "-o", str(local), "--size", "1200x800", "--dpi", "100", "--bookmark", "nakhchivan"]) == 0
    texts = svg_text(local)
    assert any(t.endswith("· Nakhchivan") for t in texts)
    assert "The bilateral track now dominates the talks." not in " ".join(texts)  # region-wide key point
    plain = tmp_path / "plain.svg"
    assert main(["export", "-o", str(plain), "--size", "1200x800", "--dpi", "100"]) == 0
    assert not any(t.startswith("As of") for t in svg_text(plain))  # As-of is off: no date claimed


def test_users_words_are_used_stored_and_restored(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    title = "Border talks: what changed this week " * 4  # long: it must wrap, not clip
    assert main(["export", "-o", str(a), "--size", "1200x800", "--dpi", "100", "--title", title.strip(),
                 "--subtitle", "For the Tuesday briefing", "--note", "Costs $5 and 50% more"]) == 0
    assert main(["export", "--from", str(a), "-o", str(b), "--size", "1200x800", "--dpi", "100"]) == 0
    assert a.read_bytes() == b.read_bytes()
    svg = tmp_path / "c.svg"
    assert main(["export", "--from", str(a), "-o", str(svg), "--size", "1200x800", "--dpi", "100"]) == 0
    texts = svg_text(svg)
    assert any(t == "For the Tuesday briefing" for t in texts)
    assert any("Costs $5 and 50% more" in t for t in texts)  # no mathtext on the user's text
    assert sum("Border talks" in t for t in texts) >= 1 and max(len(t) for t in texts if "Border talks" in t) < 100


def test_a_copy_with_other_credits_carries_none_of_the_original(tmp_path, briefing_copy):
    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace('title = "South Caucasus: the risks of Armenian–Azerbaijani negotiations"',
                        'title = "Caucasus border watch"')
    text = text.replace('author = "Artin DerSimonian"\noutlet = "Inkstick"',
                        'author = "Jane Analyst"\noutlet = "Field Notes"')
    text = re.sub(r'\n\[sheet\]\n(.*\n)*?detail_layers = .*\n', "\n", text)
    assert "[sheet]" not in text
    catalog.write_text(text, encoding="utf-8")
    out = tmp_path / "copy.svg"
    assert main(["export", "--briefing", str(briefing_copy), "-o", str(out), "--size", "1400x900",
                 "--dpi", "100"]) == 0
    joined = "\n".join(svg_text(out))
    assert "Caucasus border watch" in joined and "Jane Analyst" in joined and "Field Notes" in joined
    assert "DerSimonian" not in joined and "Inkstick" not in joined
    assert "Armenian–Azerbaijani negotiations" not in joined
    assert "Natural Earth (Public domain)" in joined  # the default attribution, from its sources


def test_bad_sheet_settings_name_their_line(briefing_copy, capsys):
    catalog = briefing_copy / "catalog.toml"
    text = catalog.read_text(encoding="utf-8").replace("inset_bounds = [26.5, 33.0, 60.0, 48.5]",
                                                       "inset_bounds = [60.0, 33.0, 26.5, 48.5]")
    catalog.write_text(text, encoding="utf-8")
    line = text.splitlines().index("inset_bounds = [60.0, 33.0, 26.5, 48.5]") + 1
    assert main(["export", "--briefing", str(briefing_copy), "-o", str(briefing_copy / "x.png")]) == 1
    err = capsys.readouterr().err
    assert f"catalog.toml:{line}" in err and "sheet.inset_bounds" in err
    assert not (briefing_copy / "x.png").exists()


def test_preflight_lists_problems_and_strict_fails(tmp_path, capsys):
    assert main(["export", "--check", "--size", "900x700", "--dpi", "100", "--layers",
                 "seas,countries,cities,places"]) == 0
    out = capsys.readouterr().out
    assert "small text:" in out and "5.5 pt" in out  # GeoNames cities are set in 5.5 pt
    assert main(["export", "--check", "--strict", "--size", "900x700", "--dpi", "100", "--layers",
                 "seas,countries,cities,places"]) == 1
    assert main(["export", "--check", "--strict", "--preset", "slide-16x9", "--layers",
                 "seas,countries,borders"]) == 0
    assert "nothing to report" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_detail_inset_magnifies_the_delimited_sections(briefing, tables):
    report = SheetReport()
    _fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, "overview"),
                                SheetOptions.from_preset("slide-16x9", dpi=80), report)
    assert len(report.renderers) == 2
    detail = report.renderers[1]
    main_mpi, detail_mpi = renderer.metres_per_inch(), detail.metres_per_inch()
    assert main_mpi / detail_mpi > 10  # magnified
    names = {lab.artist.get_text() for lab in detail.visible_labels()}
    assert {"Kirants / Xeyrimli", "Voskepar / Aşağı Əskipara"} & names
    # A locator box on the main map marks where the detail is.
    dx0, dy0, _dx1, _dy1 = detail.extent()
    boxes = [p for p in renderer.ax.patches if getattr(p, "get_xy", None) and p.get_xy() == (dx0, dy0)]
    assert boxes


def test_fills_and_lines_drawn_together_are_distinguishable(briefing):
    """CIELAB ΔE ≥ 10 between fills drawn side by side, also for deuteranopes."""
    from colorspacious import cspace_convert, deltaE
    from matplotlib.colors import to_rgb

    cvd = {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100}

    def both(a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        da, db = (np.clip(cspace_convert(c, cvd, "sRGB1"), 0, 1) for c in (a, b))
        return (float(deltaE(a, b, input_space="sRGB1", uniform_space="CIELab")),
                float(deltaE(da, db, input_space="sRGB1", uniform_space="CIELab")))

    s = briefing.styles
    rgb = {k: np.array(to_rgb(s[k].facecolor)) for k in ("country-arm", "country-aze", "country-geo",
                                                         "country-neighbour", "lake", "sea")}
    patrol = s["eu-patrol"]
    pairs = [("country-arm", "country-aze"), ("country-arm", "country-geo"), ("country-aze", "country-geo")]
    pairs += [(f, o) for f in ("country-arm", "country-aze", "country-geo") for o in ("country-neighbour", "lake")]
    for a, b in pairs:
        assert min(both(rgb[a], rgb[b])) >= 10, (a, b, both(rgb[a], rgb[b]))
    for under in ("country-arm", "country-aze"):
        band = patrol.alpha * np.array(to_rgb(patrol.facecolor)) + (1 - patrol.alpha) * rgb[under]
        assert min(both(band, rgb["lake"])) >= 10, under  # the patrol band never reads as water
        assert min(both(band, rgb[under])) >= 10, under


def test_legend_draws_the_scenarios_emphasis_and_each_meaning_once(briefing, tables):
    fig, _renderer = build_sheet(briefing, tables, scenario_state(briefing, "agreement"),
                                SheetOptions.from_preset("slide-16x9", dpi=80))
    texts = [t.get_text() for t in fig.texts]
    assert "Emphasised in this scenario" in texts
    assert texts.count("ARM–AZE: delimited 19 April 2024") == 1



@pytest.mark.parametrize("scenario", SCENARIOS)
def test_lines_drawn_together_differ_in_colour_or_pattern(briefing, tables, scenario):
    """Two line symbols on one sheet with different meanings differ by ΔE ≥ 10 (also for
    deuteranopes) or by their dash pattern, arrowhead or width (≥ 1 pt)."""
    from colorspacious import cspace_convert, deltaE
    from matplotlib.colors import to_rgb

    from briefmap.render.legend import legend_items

    cvd = {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100}
    fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, scenario),
                                SheetOptions.from_preset("slide-16x9", dpi=60))
    lines = [i for i in legend_items(renderer) if "line" in i.kinds and "polygon" not in i.kinds]
    for n, a in enumerate(lines):
        for b in lines[n + 1:]:
            ca, cb = np.array(to_rgb(a.style.color)), np.array(to_rgb(b.style.color))
            de = min(float(deltaE(ca, cb, input_space="sRGB1", uniform_space="CIELab")),
                     float(deltaE(np.clip(cspace_convert(ca, cvd, "sRGB1"), 0, 1),
                                  np.clip(cspace_convert(cb, cvd, "sRGB1"), 0, 1),
                                  input_space="sRGB1", uniform_space="CIELab")))
            pattern = (a.style.linestyle != b.style.linestyle or a.style.arrow != b.style.arrow
                       or abs(a.style.linewidth - b.style.linewidth) >= 1.0
                       or ("point" in a.kinds) != ("point" in b.kinds))
            assert de >= 10 or pattern, (a.label, b.label, round(de, 1))
    del fig
