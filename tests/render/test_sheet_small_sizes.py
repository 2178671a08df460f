"""Small and odd custom sizes: a callout that has no room at its own size is set smaller
(never under 6 pt), and one that has no room even then is a preflight finding; a long,
short sheet keeps its words beside the legend. Nothing is dropped silently."""

from __future__ import annotations

import matplotlib

from briefmap.model.view import scenario_state
from briefmap.render.export import sheet_rc
from briefmap.render.preflight import MIN_PRINT_PT, findings
from briefmap.render.sheet import SheetOptions, SheetReport, build_sheet


def build(briefing, tables, scenario, w, h, dpi=100):
    report = SheetReport()
    with matplotlib.rc_context(sheet_rc()):
        fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, scenario),
                                    SheetOptions.from_pixels(w, h, dpi, True), report)
    return fig, renderer, report


def test_a_callout_without_room_at_its_size_is_set_smaller(briefing, tables):
    """On the 800 × 600 agreement sheet "Full demarcation…" used to be hidden without a word."""
    fig, renderer, report = build(briefing, tables, "agreement", 800, 600)
    notes = {" ".join(n.get_text().split()): n for n in renderer.note_artists}
    demarcation = next(n for text, n in notes.items() if text.startswith("Full demarcation"))
    assert demarcation.get_visible()
    assert MIN_PRINT_PT <= demarcation.get_fontsize() < demarcation.home_size
    assert demarcation.arrow_patch is not None  # its leader to the border it speaks of
    assert not [f for f in findings(fig, report) if "callout" in f.text]


def test_a_callout_with_no_room_at_all_is_a_finding(briefing, tables):
    fig, renderer, report = build(briefing, tables, "agreement", 500, 350)
    hidden = [" ".join(n.get_text().split()) for n in renderer.note_artists if not n.get_visible()]
    assert hidden, "this sheet is too crowded for every callout"
    listed = [f.text for f in findings(fig, report) if f.kind == "dropped" and f.text.startswith("callout")]
    assert [t.split("'")[1] for t in listed] == hidden
    assert all(n.get_fontsize() >= MIN_PRINT_PT for n in renderer.note_artists)


def test_a_long_short_sheet_keeps_its_words_beside_the_legend(briefing, tables):
    """On a 2000 × 400 sheet the side column is wide but short: the scenario's summary and
    key points were left out without a word (the legend's height was reckoned as one column)."""
    from briefmap.render.sheet.columns import TEXT_MAX_W

    fig, _renderer, report = build(briefing, tables, "collapse", 2000, 400)
    scenario = next(s for s in briefing.scenarios if s.id == "collapse")
    drawn = {" ".join(t.get_text().split()): t for t in fig.texts if t.get_visible()}
    legend_x = drawn["Legend"].get_position()[0]
    summary = next(t for text, t in drawn.items() if text and text.startswith(" ".join(scenario.summary.split()[:5])))
    assert summary.get_position()[0] < legend_x  # beside the legend, not under it
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    bb = summary.get_window_extent(FigureCanvasAgg(fig).get_renderer())
    assert bb.width / fig.dpi <= TEXT_MAX_W + 0.05  # a readable line length
    assert not [i for i in report.overflow.items if i.startswith("text")]


def test_a_small_landscape_sheet_puts_its_legend_beside_the_map(briefing, tables):
    """A 600 × 400 px sheet at 100 dpi (6 × 4 in) was compact: its legend on the map hid
    the south of Armenia and Yerevan's name. Now the legend stands in a side column and the
    words it leaves no room for are listed as left out by rule, with the reason."""
    from briefmap.render.preflight import left_out

    fig, renderer, report = build(briefing, tables, "agreement", 600, 400)
    assert report.mode == "side"
    map_box = renderer.ax.get_window_extent()
    legend = next(t for t in fig.texts if t.get_text() == "Legend")
    assert legend.get_window_extent().x0 > map_box.x1  # beside the map, not on it
    named = {lab.artist.get_text() for la in renderer.layers.values() for lab in la.labels
             if lab.artist.get_visible()}
    assert {"Yerevan", "Tbilisi", "Baku", "Armenia", "Azerbaijan", "Georgia"} <= named
    found = [str(f) for f in findings(fig, report)]
    assert not [f for f in found if "legend entry" in f or "Yerevan" in f]
    lines = [str(f) for f in left_out(report)]
    scenario = next(s for s in briefing.scenarios if s.id == "agreement")
    assert any(line.startswith(f"left out: '{scenario.summary[:20]}") and "keeps its room for the map and its legend"
               in line for line in lines)


def test_a_map_too_small_for_its_detail_leaves_it_out_by_rule(briefing, tables):
    """On a 700 × 450 px sheet at 100 dpi every corner's detail hid a fifth of the focus
    countries (and Baku's name); the sheet now leaves the detail out and says why, and the
    map names the sections itself."""
    from briefmap.render.preflight import left_out

    fig, renderer, report = build(briefing, tables, "agreement", 700, 450)
    assert len(report.renderers) == 1  # no detail
    lines = [str(f) for f in left_out(report)]
    assert any(line.startswith("left out: the detail inset: on a map of") and "of the focus countries" in line
               for line in lines)
    named = {" ".join(lab.artist.get_text().split()) for la in renderer.layers.values() for lab in la.labels
             if lab.artist.get_visible()}
    assert {"Baku", "Yerevan", "Tbilisi", "Azerbaijan", "Baghanis / Bağanıs Ayrım"} <= named
    assert not [f for f in findings(fig, report) if f.kind != "dropped" or "Baku" in f.text]


def test_a_small_band_sheet_keeps_its_map_and_says_what_it_left_out(briefing, tables):
    """A 500 × 500 px sheet at 100 dpi gave its band the words and left the map 1.2 in
    tall; a 400 × 800 one squeezed the detail into a third of a 3.5-inch band, where three
    of the four sections lost their names."""
    from briefmap.render.preflight import left_out

    fig, renderer, report = build(briefing, tables, "agreement", 500, 500)
    assert report.mode == "band"
    assert renderer.ax.get_window_extent().height / fig.dpi >= 1.4
    scenario = next(s for s in briefing.scenarios if s.id == "agreement")
    assert not any(scenario.summary[:30] in t.get_text() for t in fig.texts)
    assert any(scenario.summary[:20] in str(f) for f in left_out(report))

    fig, renderer, report = build(briefing, tables, "agreement", 400, 800)
    assert len(report.renderers) == 1
    assert any(str(f).startswith("left out: the detail inset: the band has room for one") for f in left_out(report))
    assert not [f for f in findings(fig, report) if "delimitation_sections" in f.text or "detail" in f.text]


def test_a_country_too_small_for_its_name_is_reported_not_silently_unnamed(capsys):
    """On a 2000 × 400 px sheet at 150 dpi the map is about an inch tall: Armenia had no
    room for its name and was left unnamed without a word (it never reached preflight)."""
    from briefmap.cli import main

    assert main(["export", "--check", "--strict", "--size", "2000x400", "--scenario", "agreement"]) == 1
    assert "dropped: 'Armenia' (countries) has no room on the map" in capsys.readouterr().out
