"""The briefing pack: the handout's pages in order with real, searchable text; the same
bytes on a rerun; the deck's pictures and notes; bad arguments rejected with nothing
written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefmap.cli import main
from briefmap.model.view import scenario_state
from briefmap.render.pack import PackCancelled, PackRequest, write_pack
from briefmap.render.pack.handout import plan
from briefmap.render.pack.speaker import speaker_notes
from briefmap.render.sheet import SheetOptions, build_sheet

ROOT = Path(__file__).resolve().parents[2]


def pages_text(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def flat(text: str) -> str:
    """Words as a reader searches them: line breaks and runs of spaces are one space."""
    return re.sub(r"\s+", " ", text)


def headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if re.match(r"#{1,3} ", line)]


@pytest.fixture(scope="module")
def handout(tmp_path_factory) -> Path:
    """The built-in briefing's pack with two scenarios, in the order asked."""
    out = tmp_path_factory.mktemp("pack") / "pack.pdf"
    assert main(["pack", "-o", str(out), "--scenarios", "collapse,overview"]) == 0
    return out


def test_pages_come_in_order_with_numbers(handout, briefing):
    text = pages_text(handout)
    req = PackRequest(briefing, {}, (scenario_state(briefing, "collapse"), scenario_state(briefing, "overview")),
                      "a4-portrait", briefing.article_as_of)
    kinds = [kind for kind, _ in plan(req).pages]
    assert len(text) == len(kinds)
    assert kinds[:3] == ["cover", "sheet", "sheet"] and "timeline" in kinds and kinds[-1] == "text"
    assert briefing.title.split(":")[0] in text[0] and "Contents" in text[0] and "Bottom line" in text[0]
    assert briefing.scenario("collapse").title in text[1]
    assert briefing.scenario("overview").title in text[2]
    assert "Bottom line" in text[3]  # the first panel follows the maps
    timeline = kinds.index("timeline")
    assert "Timeline" in text[timeline] and "As of 31 May 2024" in text[timeline]
    assert "Sources" in text[timeline + 1]
    for number, page in enumerate(text, start=1):
        assert f"{number} / {len(text)}" in page
    # The running footer carries the non-endorsement line on every page.
    assert all("imply no endorsement" in page for page in text)


def test_bookmarks_lead_to_each_map_and_each_panel(handout, briefing):
    reader = PdfReader(handout)
    text = pages_text(handout)
    top, nested = [], []
    for item in reader.outline:
        if isinstance(item, list):
            nested += [(i.title, reader.get_destination_page_number(i)) for i in item]
        else:
            top.append((item.title, reader.get_destination_page_number(item)))
    assert [t for t, _ in top] == ["Cover", f"Map: {briefing.scenario('collapse').title}",
                                   f"Map: {briefing.scenario('overview').title}", "The argument, panel by panel",
                                   "Timeline", "Sources"]
    assert [t for t, _ in nested] == [p.title for p in briefing.panels]
    for title, page in nested:
        assert flat(headings(briefing.panel(next(p.id for p in briefing.panels if p.title == title)).text)[0]) \
            in flat(text[page]), title
    assert [p for _t, p in nested] == sorted(p for _t, p in nested)


def test_a_link_to_a_panel_names_the_page_it_starts_on(handout, briefing):
    """On paper "See the three outcomes" cannot be clicked: it says the page instead."""
    text = pages_text(handout)
    heading = flat(headings(briefing.panel("outcomes").text)[0])
    start = next(i for i, page in enumerate(text) if heading in flat(page)) + 1
    found = re.search(r"See the three outcomes \(page (\d+)\)", flat(" ".join(text)))
    assert found and int(found.group(1)) == start


def test_text_is_real_and_searchable(handout, briefing, tables):
    text = pages_text(handout)
    everything = flat(" ".join(text))
    assert flat(briefing.title) in everything
    for panel in briefing.panels:
        for heading in headings(panel.text):
            assert flat(heading) in everything, heading
    # The map labels the sheet placed are text in the PDF, on their scenario's page.
    for page, sid in ((1, "collapse"), (2, "overview")):
        _fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, sid),
                                     SheetOptions.from_preset("a4-portrait"))
        labels = [lab.artist.get_text() for lab in renderer.visible_labels()]
        assert len(labels) > 5
        for label in labels:
            for line in label.split("\n"):
                assert line in text[page], (sid, line)
    # Fonts are embedded TrueType (not outlines, not Type 3).
    fonts = {}
    for p in PdfReader(handout).pages:
        for f in p["/Resources"]["/Font"].values():
            f = f.get_object()
            descendant = f["/DescendantFonts"][0].get_object()
            fonts[str(f["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts and all("/FontFile2" in d for d in fonts.values())


def test_same_input_same_bytes(tmp_path, handout):
    import gc

    again = tmp_path / "again.pdf"
    assert main(["pack", "-o", str(again), "--scenarios", "collapse,overview"]) == 0
    assert again.read_bytes() == handout.read_bytes()
    assert gc.isenabled()  # the job pauses the collector, and gives it back to whoever called it


def test_the_command_line_draws_half_in_a_second_process_with_the_same_bytes(tmp_path, handout):
    out = tmp_path / "cli.pdf"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "desktop"))
    run = subprocess.run([sys.executable, "-m", "briefmap", "pack", "-o", str(out), "--scenarios",
                          "collapse,overview", "--progress"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    steps = [line.split() for line in run.stdout.splitlines() if line.startswith("progress ")]
    total = len(pages_text(handout))
    assert steps[-1][1:3] == [str(total), str(total)] and len(steps) == total + 1
    assert out.read_bytes() == handout.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.pdf"]


def test_panel_markup_is_typeset_not_interpreted(tmp_path, briefing_copy):
    panel = briefing_copy / "panels" / "01-bottom-line.md"
    panel.write_text("# Costs\n\nFrom $5 to $10 a day, *emphasis* and **strong**.\n\n"
                     "> A quoted line.\n\n- one item\n- see [the atlas](https://example.org/atlas)\n",
                     encoding="utf-8")
    out = tmp_path / "p.pdf"
    assert main(["pack", "-o", str(out), "--briefing", str(briefing_copy), "--scenarios", "overview"]) == 0
    text = pages_text(out)
    page = next(t for t in text if "Costs" in t)
    assert "From $5 to $10 a day, emphasis and strong." in flat(page)  # no mathtext
    assert "A quoted line." in page and "one item" in page
    # A web link is the linked words with a note number; the address is the footnote.
    assert "see the atlas1" in flat(page).replace(" 1", "1")
    assert re.search(r"1\s*https://example.org/atlas", page)


def test_cancel_writes_nothing(tmp_path, briefing, tables):
    out = tmp_path / "pack.pdf"
    req = PackRequest(briefing, tables, (scenario_state(briefing, "overview"),), "a4-portrait", briefing.article_as_of)
    seen = []
    with pytest.raises(PackCancelled):
        write_pack(req, out, progress=lambda d, t, _w: seen.append(d), cancelled=lambda: len(seen) >= 3)
    assert list(tmp_path.iterdir()) == []


def test_deck_has_a_picture_and_notes_on_every_scenario_slide(tmp_path, briefing):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    out = tmp_path / "deck.pptx"
    assert main(["pack", "-o", str(out)]) == 0
    prs = Presentation(out)
    slides = list(prs.slides)
    n = len(briefing.scenarios)
    assert slides[0].shapes.title.text == briefing.title
    assert slides[n + 1].shapes.title.text == "Timeline"
    assert all(s.shapes.title.text.startswith("Sources") for s in slides[n + 2:])
    px_per_inch = 150  # slide-16x9: 1920 px across 12.8 in
    for slide, scenario in zip(slides[1:n + 1], briefing.scenarios, strict=True):
        assert slide.shapes.title.text == scenario.title
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        pic = pictures[0]
        w, h = pic.image.size
        assert abs(w - pic.width / 914400 * px_per_inch) <= 1 and abs(h - pic.height / 914400 * px_per_inch) <= 1
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for point in scenario.key_points:
            assert point in texts  # editable text, not part of the picture
        notes = slide.notes_slide.notes_text_frame.text
        panel = briefing.panel(scenario.panel)
        assert scenario.summary in notes and headings(panel.text)[0] in notes
        assert notes == speaker_notes(briefing, scenario)  # its own part of the panel (test_pack_notes)
    again = tmp_path / "again.pptx"
    assert main(["pack", "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_deck_one_page_per_slide(tmp_path):
    from pptx import Presentation

    deck = tmp_path / "deck.pptx"
    assert main(["pack", "-o", str(deck), "--scenarios", "overview,collapse"]) == 0
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                          "pdf", "--outdir", str(tmp_path), str(deck)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "deck.pdf"
    assert len(PdfReader(pdf).pages) == len(Presentation(deck).slides)


@pytest.mark.parametrize("args", [
    ["-o", "{d}/pack.docx"],
    ["-o", "{d}/pack"],
    ["-o", "{d}/pack.pdf", "--scenarios", "overview,nowhere"],
    ["-o", "{d}/pack.pdf", "--scenarios", " , "],
    ["-o", "{d}/pack.pptx", "--preset", "letter"],
    ["-o", "{d}/pack.pdf", "--date", "2031-01-01"],
    ["-o", "{d}/pack.pdf", "--bookmark", "atlantis"],
    ["-o", "{d}/missing/pack.pdf"],
])
def test_bad_pack_arguments_exit_2_and_write_nothing(tmp_path, capsys, args):
    code = main(["pack", *[a.format(d=tmp_path) for a in args]])
    assert code == 2
    assert "briefmap pack:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_briefing_without_events_or_sources_still_packs(tmp_path, briefing, tables):
    """A new briefing may have no timeline and no sources yet: the pages are still there,
    and say so plainly."""
    import copy

    bare = copy.copy(briefing)
    bare.events, bare.sources = [], {}
    req = PackRequest(bare, tables, (scenario_state(bare, "overview"),), "a4-portrait", bare.article_as_of)
    assert write_pack(req, tmp_path / "bare.pdf") == len(plan(req).pages)
    text = pages_text(tmp_path / "bare.pdf")
    assert "Timeline" in text[-2] and "As of 31 May 2024" in text[-2]
    assert "Sources" in text[-1]
    assert write_pack(req, tmp_path / "bare.pptx") == 4  # title, one scenario, timeline, sources


@pytest.mark.parametrize("size", [(6.6, 9.5), (12.0, 5.9)])  # a handout page, a slide (two axes)
def test_timeline_marks_the_as_of_date_and_draws_later_events_apart(briefing, size):
    import datetime as dt

    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from briefmap.render.pack.timeline import draw_timeline

    as_of = dt.date(2024, 5, 31)
    fig = Figure(figsize=size)
    draw_timeline(fig, briefing, as_of, (0.2, 0.2, size[0] - 0.4, size[1] - 0.4))
    texts = {t.get_text(): t for t in fig.texts}
    assert "As of 31 May 2024" in texts
    for e in briefing.events:
        title = next(t for s, t in texts.items() if s.rstrip("…") and e.title.startswith(s.rstrip("…")))
        assert (title.get_fontstyle() == "italic") == (e.date > as_of), e.title
    dots = [a for a in fig.artists if isinstance(a, Line2D) and a.get_marker() == "o" and len(a.get_xdata()) == 1]
    hollow = sum(1 for d in dots if d.get_markerfacecolor() == "white")
    later = sum(1 for e in briefing.events if e.date > as_of)
    assert later > 0 and hollow == later + 1  # and the key's hollow marker


def test_add_layer_puts_your_layer_on_every_map(tmp_path):
    import json

    layer = tmp_path / "sites.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Observation post Alpha"},
         "geometry": {"type": "Point", "coordinates": [45.3, 40.6]}}]}), encoding="utf-8")
    out = tmp_path / "mine.pdf"
    assert main(["pack", "-o", str(out), "--scenarios", "overview,stalemate", "--add-layer", str(layer)]) == 0
    text = pages_text(out)
    assert "Observation post Alpha" in text[1] and "Observation post Alpha" in text[2]
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["pack", "-o", str(tmp_path / "no.pdf"), "--add-layer", str(bad)]) == 1
    assert not (tmp_path / "no.pdf").exists()


def test_the_slides_map_picture_leaves_the_title_to_the_slide(briefing, tables):
    """The deck's map has no title or subtitle of its own (the slide says them); the map
    takes the room and the as-of line stays."""
    scenario = briefing.scenarios[0]
    state = scenario_state(briefing, scenario.id)
    w, h, dpi = 8.2, 5.65, 100  # about the deck's picture on a 16:9 slide

    def sheet(titled: bool):
        fig, renderer = build_sheet(briefing, tables, state, SheetOptions(w, h, dpi, side_column=False,
                                                                          titled=titled))
        return [t.get_text() for t in fig.texts], renderer.ax.get_position()

    texts, untitled = sheet(False)
    titled_texts, titled = sheet(True)
    assert briefing.title in titled_texts and any(scenario.title in t for t in titled_texts)
    assert briefing.title not in texts and not any(scenario.title in t for t in texts)
    assert any(t.startswith(("All dated features shown", "Features as they stood")) for t in texts)
    assert untitled.y1 > titled.y1 + 0.05  # the title's room goes to the map
    assert abs(untitled.y0 - titled.y0) < 1e-6


def test_the_slides_map_lists_its_whole_legend(briefing, tables):
    """On the deck's picture the legend stands on the map (compact sheet); with room on the
    map, no entry is left out, wrapped labels included (no "+ n more on a larger sheet")."""
    from briefmap.render.pack.deck import scenario_picture_size
    from briefmap.render.sheet.build import SheetReport

    w, h = scenario_picture_size(12.8, 7.2)
    for scenario in briefing.scenarios:
        report = SheetReport()
        fig, _r = build_sheet(briefing, tables, scenario_state(briefing, scenario.id),
                              SheetOptions(w, h, 60, side_column=False, titled=False), report)
        assert report.mode == "compact"
        assert report.overflow.items == [], scenario.id
        assert not any("more on a larger sheet" in t.get_text() for t in fig.texts)
