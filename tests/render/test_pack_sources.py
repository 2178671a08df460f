"""What the pack prints about its sources and in its running lines: an address the briefing
gives is never called "none", and a shortened title ends at a word."""

from __future__ import annotations

import re

import pytest

from briefmap.model.briefing import Source
from briefmap.render.pack.content import source_fields
from briefmap.render.pack.fonts import text_width
from briefmap.render.pack.lines import shorten


def test_an_address_in_the_publisher_is_printed_as_its_address(briefing):
    fields = dict(source_fields(briefing.sources["armenpress-1137916"]))
    assert fields["Publisher"] == "Armenpress" and fields["Address"] == "armenpress.am/eng/news/1137916"
    two = dict(source_fields(briefing.sources["joint-statement-2023-12-07"]))
    assert two["Publisher"] == "AzerNews; Trend"
    assert two["Address"] == "azernews.az/karabakh/218664.html; en.trend.az/azerbaijan/politics/3835050.html"
    # A site and its item number, as the fact sheet cites it.
    tass = dict(source_fields(briefing.sources["tass-peacekeepers"]))
    assert tass["Publisher"] == "TASS" and tass["Address"] == "tass.com 1776731"


def test_a_source_without_an_address_gets_no_address_line(briefing):
    for sid in ("dw-arrivals", "unhcr-2024-02-01", "kyiv-independent-peacekeepers", "france24-csto-freeze"):
        fields = dict(source_fields(briefing.sources[sid]))
        assert "URL" not in fields and "Address" not in fields, sid
        assert "none" not in fields.values() and fields["Publisher"] == briefing.sources[sid].publisher
    for src in briefing.sources.values():
        assert "none" not in dict(source_fields(src)).values(), src.id


def test_a_source_keeps_its_own_url_and_says_plainly_what_is_missing():
    own = Source("s", "T", publisher="EEAS (eeas.europa.eu/euma); Mediamax (mediamax.am/en/news/1)",
                 url="https://www.eeas.europa.eu/euma")
    # The address the URL holds is said once; the other outlet's address is kept.
    assert dict(source_fields(own)) == {"Publisher": "EEAS; Mediamax", "Date": "not given",
                                        "URL": "https://www.eeas.europa.eu/euma",
                                        "Address": "mediamax.am/en/news/1", "Licence": "not stated"}
    # A parenthesis that is not an address stays where it is.
    odd = Source("t", "T", publisher="Ministry (press office, 2024)")
    assert dict(source_fields(odd)) == {"Publisher": odd.publisher, "Date": "not given", "Licence": "not stated"}


@pytest.mark.parametrize("width", [0.8, 1.2, 1.6, 2.0, 2.6])
def test_a_shortened_title_ends_at_a_word(briefing, width):
    title = briefing.title
    short = shorten(title, 7, width)
    assert short.endswith("…") and text_width(short, 7) <= width
    kept = short[:-1]
    assert title.startswith(kept) and title[len(kept)] in " ,:;", short


def test_shorten_cuts_inside_a_word_only_when_no_word_fits():
    assert shorten("Supercalifragilistic expialidocious", 10, 0.6).endswith("…")
    assert shorten("short", 10, 5.0) == "short"


def test_the_handout_prints_no_window_instructions_and_no_missing_urls(tmp_path, briefing):
    from pypdf import PdfReader

    from briefmap.cli import main

    out = tmp_path / "p.pdf"
    assert main(["pack", "-o", str(out), "--scenarios", "overview"]) == 0
    pages = [p.extract_text() for p in PdfReader(out).pages]
    last = pages[-1].splitlines()[-1]
    shown = last.split("…")[0]
    assert briefing.title.startswith(shown) and briefing.title[len(shown)] == " ", last
    assert "imply no endorsement" in last
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Three possible outcomes" in text and "The article sees three ways the process could go." in text
    for window_only in ("Choose a scenario in the toolbar", "in the layer list", "open the Sources tab",
                        "click a feature to see them", "for the links", "{.window}"):
        assert window_only not in text, window_only
    assert "is its border with Armenia." in text
    assert "URL: none" not in text and "Address: tass.com 1776731" in text


def test_a_slides_timeline_prints_every_event_title_whole(briefing):
    import datetime as dt

    from matplotlib.figure import Figure

    from briefmap.render.pack.timeline import draw_timeline

    fig = Figure(figsize=(12.8, 5.9))  # the deck's timeline slide: two axes side by side
    draw_timeline(fig, briefing, dt.date(2024, 5, 31), (0.1, 0.05, 12.6, 5.8), max_size=10)
    texts = [t.get_text() for t in fig.texts]
    assert not any(t.endswith("…") for t in texts)
    joined = " ".join(texts)
    for e in briefing.events:
        assert e.title in joined, e.title


def test_a_title_wraps_to_two_lines_before_it_is_shortened():
    from briefmap.render.pack.timeline import title_lines

    title = "Russian border guards leave the Agarak crossing on the border with Iran after thirty years"
    two = title_lines(title, 10, 2.6)
    assert len(two) == 2 and all(text_width(line, 10) <= 2.6 for line in two)
    assert two[1].endswith("…") and title.startswith(" ".join(two)[:-1])
    assert title_lines("Peace treaty text agreed", 10, 2.6) == ["Peace treaty text agreed"]
    roomy = title_lines(title, 10, 4.0)
    assert " ".join(roomy) == title
