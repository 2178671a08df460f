"""Widths kept on disk between runs are the widths a fresh measure finds; a store written
for other fonts, or one that cannot be read, is measured over."""

from __future__ import annotations

import json

import pytest

from briefmap.render import measure_store, text_metrics
from briefmap.render.text_metrics import text_size_points

WORDS = ["Yerevan", "Nagorno-Karabakh", "Xankəndi", "dignified,", "Ərazi", "Tbilisi and Baku", "(2024)"]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(measure_store, "folder", lambda: tmp_path)
    fresh()
    yield tmp_path / measure_store.NAME
    fresh()


def fresh() -> None:
    measure_store.forget()
    text_size_points.cache_clear()
    text_metrics._width_at_font_scale.cache_clear()
    text_metrics._shaped_width.cache_clear()
    text_metrics._store_key.cache_clear()


def measured(monkeypatch=None) -> list[tuple[float, float]]:
    return [text_size_points(w, 8.5, weight, style) for w in WORDS
            for weight, style in (("normal", "normal"), ("bold", "normal"), ("normal", "italic"))]


class NoShaping:
    """A FreeType face that fails any shaping: what is measured must come from the store."""

    def __init__(self, real):
        self.real = real

    def set_size(self, *args):
        self.real.set_size(*args)

    def set_text(self, *args, **kwargs):
        raise AssertionError("shaped again")


def test_kept_widths_are_the_measured_ones_and_need_no_shaping(store, monkeypatch):
    first = measured()
    text_metrics.keep_measures()
    assert store.is_file()
    kept = json.loads(store.read_text(encoding="utf-8"))
    assert sum(len(w) for w in kept.values()) >= len(set(" ".join(WORDS).split()))
    fresh()
    real_get_font = text_metrics.get_font
    monkeypatch.setattr(text_metrics, "get_font", lambda files: NoShaping(real_get_font(files)))
    assert measured() == first


def test_widths_kept_for_other_fonts_are_not_used(store, monkeypatch):
    first = measured()
    text_metrics.keep_measures()
    kept = json.loads(store.read_text(encoding="utf-8"))
    # The same lines, as if measured with another version of a font file: wrong widths.
    store.write_text(json.dumps({key.replace(":", ":9", 1): {line: 1.0 for line in widths}
                                 for key, widths in kept.items()}), encoding="utf-8")
    fresh()
    assert measured() == first


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"k": {"Yerevan": "wide"}}', ""])
def test_a_store_that_cannot_be_read_is_measured_over_and_replaced(store, content):
    store.write_text(content, encoding="utf-8")
    first = measured()
    text_metrics.keep_measures()
    assert json.loads(store.read_text(encoding="utf-8"))  # replaced by a readable one
    fresh()
    assert measured() == first


def test_an_unwritable_folder_leaves_the_measure_as_it_is(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setattr(measure_store, "folder", lambda: blocked / "cache")
    fresh()
    try:
        first = measured()
        text_metrics.keep_measures()  # no exception: the next run measures again
        assert not (blocked / "cache").exists()
        fresh()
        assert measured() == first
    finally:
        fresh()


def test_an_export_keeps_its_words_and_the_next_export_is_the_same_file(store, tmp_path):
    from briefmap.cli import main

    args = ["export", "--size", "1200x850", "--dpi", "100"]
    assert main([*args, "-o", str(tmp_path / "first.png")]) == 0
    assert store.is_file()  # the words' widths, kept by the export
    fresh()
    assert main([*args, "-o", str(tmp_path / "second.png")]) == 0
    assert (tmp_path / "second.png").read_bytes() == (tmp_path / "first.png").read_bytes()


def test_the_file_keeps_this_runs_widths_first_within_its_cap(store, monkeypatch):
    monkeypatch.setattr(measure_store, "MAX_WIDTHS", 12)
    key = measure_store.fonts_key(text_metrics._font_files("normal", "normal", ("DejaVu Sans",)))
    store.write_text(json.dumps({key: {f"old{i}": 64.0 + i for i in range(30)}}), encoding="utf-8")
    fresh()
    first = measured()
    text_metrics.keep_measures()
    kept = json.loads(store.read_text(encoding="utf-8"))
    assert sum(len(w) for w in kept.values()) == 12
    assert not any(line.startswith("old") for w in kept.values() for line in w)  # this run's words fill it
    fresh()
    assert measured() == first
