"""The Agg canvas a sheet is drawn on for PNG: matplotlib's, with the per-text bookkeeping of
its text drawing done once per drawing instead of once per text and glyph.

Most of an A4 300-dpi sheet's drawing is text. For every piece of text Agg looks its font
files up again (a search scored over every installed font, behind a cache keyed by the
font properties and a dozen rc settings), and for every glyph it builds the same rotation
matrix with numpy. Here the font files are remembered per font properties for the drawing
(rc settings do not change during one; the size plays no part), and the matrix is made
once per text. The glyphs,
their places, sizes and flags are matplotlib's own, so the pixels are too
(tests/render/test_sheet_canvas.py compares them with a stock canvas).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import LoadFlags, RenderMode
from matplotlib.textpath import TextToPath


class _FontFiles:
    """Font files per font properties but the size, for one drawing.

    matplotlib keys its lookup on the size too, and scores every installed font again for
    each new size (about 1 ms each: some forty times for an A4 sheet); the size takes no
    part in choosing an outline font (`FontManager.score_size` is 0 for every scalable
    font, and all of matplotlib's TrueType/OpenType list is scalable)."""

    def __init__(self) -> None:
        self._files: dict[tuple, list] = {}

    def __call__(self, prop: FontProperties) -> list:
        key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_file())
        files = self._files.get(key)
        if files is None:
            files = self._files[key] = fontManager._find_fonts_by_props(prop)
        return files


class _TextToPath(TextToPath):
    """Text as outlines (the labels' halos), its fonts looked up once per properties and
    each glyph's outline (at FONT_SCALE, unhinted: the same wherever it stands) taken from
    FreeType once per drawing."""

    def __init__(self, files: _FontFiles):
        super().__init__()
        self._font_files = files
        self._outlines: dict[str, tuple] = {}

    def _get_font(self, prop):
        font = get_font(self._font_files(prop))
        font.set_size(self.FONT_SCALE, self.DPI)
        return font

    def get_glyphs_with_font(self, font, s, glyph_map=None, return_new_glyphs_only=False, *, features=None,
                             language=None):
        if glyph_map is not None or return_new_glyphs_only:
            return super().get_glyphs_with_font(font, s, glyph_map, return_new_glyphs_only, features=features,
                                                language=language)
        # As TextToPath.get_glyphs_with_font (matplotlib's _text_helpers.layout), loading a
        # glyph only to read an outline not read before.
        outlines, info = self._outlines, []
        for item in font._layout(s, LoadFlags.NO_HINTING, features=features, language=language):
            key = self._get_glyph_repr(item.ft_object, item.glyph_index)
            if key not in outlines:
                item.ft_object.load_glyph(item.glyph_index, flags=LoadFlags.NO_HINTING)
                outlines[key] = item.ft_object.get_path()
            info.append((key, item.x, item.y, 1.0))
        return info, outlines, []


def _line_tables(font) -> tuple | None:
    """The font's line gap, ascent, descent and units per em, as Text._get_layout reads
    them (OS/2's typographic values, else hhea's)."""
    for table_name, linegap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        return table[linegap_key], table[ascent_key], table[descent_key], font.get_sfnt_table("head")["unitsPerEm"]
    return None


class SheetRenderer(RendererAgg):
    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._font_files = _FontFiles()
        self._text2path = _TextToPath(self._font_files)
        self._line_tables: dict[int, tuple | None] = {}

    def _get_font_height_metrics(self, prop):
        # Text._get_layout asks a renderer that has this method for the font's line
        # metrics before looking them up itself (by the size too: a font search per size);
        # the same tables and arithmetic, the files remembered.
        files = self._font_files(prop)
        tables = self._line_tables.get(id(files))
        if tables is None:
            tables = self._line_tables[id(files)] = _line_tables(get_font(files))
        if tables is None:
            return None, None, None
        line_gap, ascent, descent, units_per_em = tables
        scale = 1 / units_per_em * prop.get_size_in_points() * self.dpi / 72
        return ascent * scale, -descent * scale, line_gap * scale

    def _prepare_font(self, font_prop):
        # As RendererAgg._prepare_font, with the files remembered.
        font = get_font(self._font_files(font_prop))
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        boxes = list(boxes)
        if boxes:  # mathtext's and TeX's rules: none on a sheet
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        # As RendererAgg._draw_text_glyphs_and_boxes, with the transform's matrix made once
        # per slant and stretch rather than once per glyph (the same integers).
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]])
        matrices: dict[tuple[float, float], np.ndarray] = {}
        load_flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        dpi, height = self.dpi, self.height
        draw_image = self._renderer.draw_text_image
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards.
            matrix = matrices.get((slant, extend))
            if matrix is None:
                matrix = matrices[slant, extend] = (rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            font.set_size(size, dpi)
            font._set_transform(matrix, [round(0x40 * (x + dx * cos - dy * sin)),
                                         # FreeType's y is upwards.
                                         round(0x40 * (height - y + dx * sin + dy * cos))])
            bitmap = font._render_glyph(glyph_index, load_flags, mode)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xff
            # draw_text_image's y is downwards & the bitmap bottom side.
            draw_image(buffer, bitmap.left, int(height) - bitmap.top + buffer.shape[0], 0, gc)


class SheetCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with a SheetRenderer (no toolbar, no GUI)."""

    _fresh = False

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = SheetRenderer(w, h, self.figure.dpi)
            self._lastKey = key
            self._fresh = True
        return self.renderer

    def draw(self):
        self.renderer = self.get_renderer()
        if not self._fresh:  # a new renderer starts cleared (35 MB at A4 300 dpi)
            self.renderer.clear()
        self._fresh = False
        self.figure.draw(self.renderer)
