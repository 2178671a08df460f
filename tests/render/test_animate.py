"""`briefmap animate`: one frame per step, the map as it stood at each date; GIF through
Pillow, MP4 through ffmpeg; bad arguments and a missing ffmpeg exit 2 with nothing written."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil

import numpy as np
import pytest
from PIL import Image

from briefmap.cli import main
from briefmap.model.view import scenario_state
from briefmap.render.pack.animation import Animator, Step, events_between, periods

D = dt.date


def test_steps_and_periods():
    assert Step.parse("1m") == Step(1, "m") and Step.parse(" 2w ") == Step(2, "w")
    assert Step(1, "m").after(D(2024, 1, 31)) == D(2024, 2, 29)  # clamped to the month's end
    assert Step(1, "y").after(D(2024, 2, 29)) == D(2025, 2, 28)
    spans = periods(D(2024, 3, 1), D(2024, 6, 15), Step(1, "m"))
    assert spans == [(D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 4, 30)),
                     (D(2024, 5, 1), D(2024, 5, 31)), (D(2024, 6, 1), D(2024, 6, 15))]
    assert Step(1, "m").label(D(2024, 4, 1)) == "April 2024"
    for bad in ("", "m", "0m", "1q", "1.5m"):
        with pytest.raises(ValueError):
            Step.parse(bad)


def test_frames_follow_the_timeline(briefing, tables):
    """The April 2024 frame shows the sections delimited on 19 April; March's does not."""
    state = scenario_state(briefing, "overview")
    anim = Animator(briefing, tables, state, 6.4, 3.6, 60, (D(2024, 3, 1), D(2024, 5, 31)))
    march = anim.frame(D(2024, 3, 1), D(2024, 3, 31), "March 2024", [], briefing.article_as_of)
    sections = anim.renderer.layers["delimitation_sections"]
    assert not any(sections.shown)
    april_events = events_between(briefing, D(2024, 4, 1), D(2024, 4, 30))
    assert april_events
    april = anim.frame(D(2024, 4, 1), D(2024, 4, 30), "April 2024", april_events, briefing.article_as_of)
    assert all(sections.shown)
    assert anim.date_text.get_text() == "April 2024"
    for e in april_events:
        assert e.title in anim.events_text.get_text().replace("\n   ", " ")
    assert march.shape == april.shape == (216, 384, 3)
    assert np.abs(march.astype(int) - april.astype(int)).sum() > 0


def test_gif_has_a_frame_per_step(tmp_path):
    out = tmp_path / "t.gif"
    assert main(["animate", "-o", str(out), "--start", "2024-03-01", "--end", "2024-06-30",
                 "--preset", "square"]) == 0
    with Image.open(out) as im:
        assert im.n_frames == 4 and im.size == (1080, 1080)
        frames = []
        for i in range(im.n_frames):
            im.seek(i)
            frames.append(np.asarray(im.convert("RGB")).astype(int))
    assert all(np.abs(a - b).sum() > 0 for a, b in itertools.pairwise(frames))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.gif"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_mp4_through_ffmpeg(tmp_path):
    out = tmp_path / "t.mp4"
    assert main(["animate", "-o", str(out), "--start", "2024-01-01", "--end", "2024-12-31", "--step", "3m",
                 "--preset", "square"]) == 0
    assert out.read_bytes()[4:8] == b"ftyp"


def test_mp4_without_ffmpeg_says_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["animate", "-o", str(tmp_path / "t.mp4")]) == 2
    assert "ffmpeg" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["-o", "{d}/t.avi"],
    ["-o", "{d}/t.gif", "--step", "fortnight"],
    ["-o", "{d}/t.gif", "--start", "2024-06-01", "--end", "2024-01-01"],
    ["-o", "{d}/t.gif", "--start", "1999-01-01"],
    ["-o", "{d}/t.gif", "--scenario", "nowhere"],
    ["-o", "{d}/t.gif", "--preset", "poster"],
    ["-o", "{d}/t.gif", "--step", "1d"],  # more frames than allowed
])
def test_bad_animate_arguments_exit_2_and_write_nothing(tmp_path, capsys, args):
    assert main(["animate", *[a.format(d=tmp_path) for a in args]]) == 2
    assert "briefmap animate:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_each_frames_legend_lists_only_what_that_frame_draws(briefing, tables):
    """A 2021 frame does not list the sections delimited in April 2024; the May 2024 frame does,
    and the frames keep one size."""
    state = scenario_state(briefing, "overview")
    anim = Animator(briefing, tables, state, 6.4, 3.6, 60, (D(2021, 1, 1), D(2024, 5, 31)))

    def legend_texts() -> list[str]:
        return [t.get_text() for t in anim.legend.get_texts()] if anim.legend else []

    early = anim.frame(D(2021, 6, 1), D(2021, 6, 30), "June 2021", [], briefing.article_as_of)
    early_labels = legend_texts()
    assert early_labels and not any("delimited 19 April 2024" in t for t in early_labels)
    assert not any(anim.renderer.layers["delimitation_sections"].shown)
    late = anim.frame(D(2024, 5, 1), D(2024, 5, 31), "May 2024", [], briefing.article_as_of)
    assert any("delimited 19 April 2024" in t for t in legend_texts())
    assert len(anim.fig.legends) == 1  # the early frame's legend was replaced, not drawn over
    assert early.shape == late.shape
    # Back to 2021: the item goes again.
    anim.frame(D(2021, 6, 1), D(2021, 6, 30), "June 2021", [], briefing.article_as_of)
    assert legend_texts() == early_labels


@pytest.mark.parametrize("size", [(12.8, 7.2, 40), (6.4, 3.6, 60)])
def test_a_busy_steps_events_stay_clear_of_the_legend(briefing, tables, size):
    """A year of events (2024) beside the full legend: in smaller type, never written over the
    legend; on a small frame the legend stands on the map's corner and the events keep the column."""
    w, h, dpi = size
    state = scenario_state(briefing, "overview")
    anim = Animator(briefing, tables, state, w, h, dpi, (D(2021, 1, 1), D(2025, 11, 30)))
    events = events_between(briefing, D(2024, 1, 1), D(2024, 12, 31))
    assert len(events) >= 10
    anim.frame(D(2024, 1, 1), D(2024, 12, 31), "2024", events, briefing.article_as_of)
    r = anim.canvas.get_renderer()
    text_box, legend_box = anim.events_text.get_window_extent(r), anim.legend.get_window_extent(r)
    assert not text_box.overlaps(legend_box)
    if anim.on_map:
        assert w < 12.8
        assert anim.renderer.ax.get_window_extent(r).contains(legend_box.x0 + 1, legend_box.y0 + 1)
        assert anim.renderer.ax.get_window_extent(r).contains(legend_box.x1 - 1, legend_box.y1 - 1)
    else:
        assert text_box.y0 > legend_box.y1
    shown = anim.events_text.get_text().replace("\n   ", " ")
    named = [e for e in events if e.title in shown]
    assert named == events[:len(named)] and named  # in order, from the first
    if len(named) < len(events):
        assert f"+ {len(events) - len(named)} more events in this step" in shown
