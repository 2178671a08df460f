"""Text written into the handout's PDF as glyph runs reads and looks as matplotlib's own
PDF text does: the same words extracted, the same ink to within anti-aliasing, rotated
and multi-line text included; text it cannot set in one face goes through matplotlib."""

from __future__ import annotations

import subprocess

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from briefmap.render.pack.fonts import FEATURES, lean_font_subsets
from briefmap.render.pack.handout import RC
from briefmap.render.pack.pdf_text import direct_pdf_text

LINES = [("Stepanakert / Khankendi", 0, 11, "normal"), ("Offensive, Sept 2023 — office fit", 0, 9, "bold"),
         ("Aşağı Əskipara", 30, 10, "normal"), ("Route through Syunik", -90, 8, "normal"),
         ("Two lines\nof a note", 0, 9, "normal"), ("Mixed: Ω 東京", 0, 9, "normal")]


def _page(path, direct: bool) -> None:
    fig = Figure(figsize=(5, 4), dpi=72, facecolor="white")
    for k, (text, angle, size, weight) in enumerate(LINES):
        fig.text(0.08 + 0.12 * (angle != 0), 0.9 - 0.14 * k, text, rotation=angle, fontsize=size, fontweight=weight,
                 fontfeatures=FEATURES)
    with matplotlib.rc_context(RC), lean_font_subsets(), PdfPages(path, metadata={"CreationDate": None}) as pdf:
        if direct:
            with direct_pdf_text():
                pdf.savefig(fig)
        else:
            pdf.savefig(fig)


def _ink(pdf, tmp_path, name) -> np.ndarray:
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(pdf), str(tmp_path / name)],
                   check=True)
    return np.asarray(Image.open(tmp_path / f"{name}.png")).astype(float)


# The CJK words have no face here: matplotlib draws them (as missing glyphs) and says so.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


def test_glyph_runs_read_and_look_like_matplotlibs_text(tmp_path):
    ours, theirs = tmp_path / "ours.pdf", tmp_path / "theirs.pdf"
    _page(ours, direct=True)
    _page(theirs, direct=False)
    assert ours.read_bytes() != theirs.read_bytes()  # the other path was taken
    words = PdfReader(ours).pages[0].extract_text()
    assert sorted(words.split()) == sorted(PdfReader(theirs).pages[0].extract_text().split())
    for text, _angle, _size, _weight in LINES[:3]:
        assert text in words
    a, b = _ink(ours, tmp_path, "a"), _ink(theirs, tmp_path, "b")
    assert a.shape == b.shape
    ink_a, ink_b = a < 128, b < 128
    assert abs(int(ink_a.sum()) - int(ink_b.sum())) < 0.03 * ink_b.sum()
    assert np.abs(a - b).mean() < 1.5  # glyphs land within a fraction of a pixel


def test_the_same_page_gives_the_same_bytes(tmp_path):
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    _page(one, direct=True)
    _page(two, direct=True)
    assert one.read_bytes() == two.read_bytes()
