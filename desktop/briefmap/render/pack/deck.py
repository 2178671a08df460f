"""The deck: a title slide, one slide per scenario (the map as a picture at the slide's
resolution, the key points as editable text, the panel in the speaker notes), the timeline
and the sources. Written with python-pptx; the same input gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import matplotlib
import numpy as np

from briefmap import __version__
from briefmap.render.export import sheet_rc, write_atomic
from briefmap.render.pack.content import (
    NON_ENDORSEMENT,
    PackRequest,
    Steps,
    long_date,
    source_fields,
)
from briefmap.render.pack.cover import bottom_line
from briefmap.render.pack.speaker import speaker_notes
from briefmap.render.pack.timeline import draw_timeline
from briefmap.render.sheet import PRESETS, SheetOptions, build_sheet

RC = sheet_rc()
TITLE_ONLY, TITLE_SLIDE = 5, 0
SOURCES_PER_SLIDE = 9
MARGIN, TITLE_H = 0.4, 0.85
TOP = 0.2 + TITLE_H + 0.1  # where a slide's body starts


def scenario_picture_size(W: float, H: float) -> tuple[float, float]:
    """The map picture on a scenario slide (inches): under the title, left of the key points,
    down to the slide's foot (a scenario slide has no footer: the map's own credits say it)."""
    pic_h = H - TOP - 0.3
    return min(W * 0.64, pic_h * 1.45), pic_h


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def _scenario_png(req: PackRequest, state, w_in: float, h_in: float, dpi: int) -> bytes:
    fig, _renderer = build_sheet(req.briefing, req.tables, state,
                                 SheetOptions(w_in, h_in, dpi, side_column=False, titled=False))
    return _png(fig)


def _timeline_png(req: PackRequest, w_in: float, h_in: float, dpi: int) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    draw_timeline(fig, req.briefing, req.as_of, (0.1, 0.05, w_in - 0.2, h_in - 0.1), max_size=10)
    return _png(fig)


def _title(slide, text: str, W: float, size: int = 26) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    ph = slide.shapes.title
    ph.left, ph.top, ph.width, ph.height = Inches(MARGIN), Inches(0.2), Inches(W - 2 * MARGIN), Inches(TITLE_H)
    ph.text_frame.text = text
    for p in ph.text_frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(size)
            r.font.bold = True


def _paragraph(tf, text: str, size: float, bold: bool = False, italic: bool = False, bullet: bool = False,
               first: bool = False, colour: str = "222222", space: float = 6):
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    p = tf.paragraphs[0] if first else tf.add_paragraph()
    p.space_before = Pt(space)
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = RGBColor.from_string(colour)
    if bullet:
        # A real list bullet (editable as one), hanging indent.
        pPr = p._p.get_or_add_pPr()
        pPr.set("marL", str(Emu(Pt(size * 1.3))))
        pPr.set("indent", str(-Emu(Pt(size * 1.3))))
        bu = pPr.makeelement(qn("a:buChar"), {"char": "•"})
        pPr.append(bu)
    return p


def _text_box(slide, left: float, top: float, width: float, height: float):
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    return tf


def _footer(slide, text: str, W: float, H: float) -> None:
    tf = _text_box(slide, MARGIN, H - 0.4, W - 2 * MARGIN, 0.3)
    _paragraph(tf, text, 9, colour="666666", first=True, space=0)


def build_deck(req: PackRequest, steps: Steps):
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    preset = PRESETS[req.preset]
    W, H, dpi = preset.width_in, preset.height_in, preset.dpi
    b = req.briefing
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    footer = f"As of {long_date(req.as_of)}  ·  Names: {req.naming}  ·  {NON_ENDORSEMENT}"

    steps.step("title slide")
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    _title(slide, b.title, W, size=32)
    slide.shapes.title.top = Inches(H * 0.22)
    slide.shapes.title.height = Inches(1.5)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(MARGIN), Inches(H * 0.22 + 1.6), Inches(W - 2 * MARGIN), \
        Inches(H * 0.45)
    tf = sub.text_frame
    _paragraph(tf, b.subtitle, 18, first=True, colour="333333")
    _paragraph(tf, f"As of {long_date(req.as_of)}", 16, bold=True)
    summary, _points = bottom_line(req)
    if summary:
        _paragraph(tf, summary, 13, space=12)
    _paragraph(tf, f"Analysis: {b.credit()} — summarised in our own words.", 12, colour="555555", space=12)
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
    _footer(slide, footer, W, H)

    top = TOP
    pic_w, pic_h = scenario_picture_size(W, H)
    for state in req.states:
        scenario = req.scenario(state)
        steps.step(f"slide: {scenario.title}")
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        _title(slide, scenario.title, W)
        png = _scenario_png(req, state, pic_w, pic_h, dpi)
        slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN), Inches(top), Inches(pic_w), Inches(pic_h))
        x = MARGIN + pic_w + 0.3
        tf = _text_box(slide, x, top, W - x - MARGIN, pic_h)
        _paragraph(tf, "Key points", 16, bold=True, first=True, space=0)
        for point in scenario.key_points:
            _paragraph(tf, point, 14, bullet=True, space=8)
        _paragraph(tf, scenario.summary, 11, italic=True, colour="555555", space=14)
        slide.notes_slide.notes_text_frame.text = speaker_notes(b, scenario)

    steps.step("timeline slide")
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, "Timeline", W)
    png = _timeline_png(req, W - 2 * MARGIN, H - top - 0.45, dpi)
    slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN), Inches(top), Inches(W - 2 * MARGIN),
                             Inches(H - top - 0.45))
    _footer(slide, footer, W, H)

    sources = list(b.sources.values())
    chunks = [sources[i:i + SOURCES_PER_SLIDE] for i in range(0, len(sources), SOURCES_PER_SLIDE)] or [[]]
    for k, chunk in enumerate(chunks, start=1):
        steps.step(f"sources slide {k}")
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        _title(slide, "Sources" if len(chunks) == 1 else f"Sources ({k} of {len(chunks)})", W)
        tf = _text_box(slide, MARGIN, top, W - 2 * MARGIN, H - top - 0.5)
        for i, src in enumerate(chunk):
            title = f"{src.author}, {src.title}" if src.author else (src.title or src.id)
            _paragraph(tf, title, 12, bold=True, first=i == 0, space=0 if i == 0 else 7)
            _paragraph(tf, "  ·  ".join(f"{k}: {v}" for k, v in source_fields(src)), 10, colour="555555", space=1)
        _footer(slide, footer, W, H)

    cp = prs.core_properties
    cp.title, cp.subject, cp.author = b.title, b.subtitle, b.credit()
    cp.last_modified_by, cp.revision, cp.comments = f"briefmap {__version__}", 1, ""
    # Fixed dates: the same input gives the same file.
    stamp = dt.datetime.combine(req.as_of, dt.time())
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    return prs


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, members in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_deck(req: PackRequest, path: Path, progress=None, cancelled=None) -> int:
    """Write the deck to `path` (atomically); returns the slide count."""
    total = 2 + len(req.states) + max(1, -(-len(req.briefing.sources) // SOURCES_PER_SLIDE))
    steps = Steps(total, progress, cancelled)
    with matplotlib.rc_context(RC):
        prs = build_deck(req, steps)
    buf = io.BytesIO()
    prs.save(buf)
    data = _stable_zip(buf.getvalue())
    steps.finish()

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(Path(path), write)
    return len(prs.slides)
