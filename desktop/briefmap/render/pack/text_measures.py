"""Map labels measured and outlined once per process, not once per page.

matplotlib keeps a text's measures per renderer, and a PDF gets a new renderer for every
page: each map sheet measured its labels (a font lookup over the whole fallback list,
then libraqm shaping) and outlined their white halos (glyph by glyph) again, though the
four scenario sheets carry mostly the same labels. For the handout's drawing, both are
kept by text and font properties. The numbers and outlines are those matplotlib computes
(the same calls, made once); the keep ends with the block.

The font files for a family, weight and style are looked up once for all sizes, too:
matplotlib scores every installed font again for each new size, though a scalable font
(every TrueType and OpenType file it lists) scores the same at any size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

GENERIC = ("serif", "sans-serif", "cursive", "fantasy", "monospace")


def face_key(prop) -> tuple:
    """What the font files matplotlib finds for a FontProperties depend on, its size aside."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_file(), prop.get_math_fontfamily())


def font_key(prop) -> tuple:
    """What a FontProperties' font and size depend on (its own hash, spelled out)."""
    return (*face_key(prop), prop.get_size_in_points())


@contextmanager
def kept_text_measures() -> Iterator[None]:
    """For this block, a PDF renderer's plain-text measures and the outlines of text drawn
    as paths (label halos) are computed once per text and font."""
    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import RendererPdf
    from matplotlib.font_manager import FontProperties, fontManager
    from matplotlib.textpath import TextToPath

    measure, outline = RendererPdf.get_text_width_height_descent, TextToPath.get_text_path
    if getattr(measure, "kept", False):
        yield  # a block already keeps them (whose end ends the keep)
        return
    sizes: dict[tuple, tuple[float, float, float]] = {}
    paths: dict[tuple, tuple] = {}
    files: dict[tuple, list] = {}
    find = fontManager._find_fonts_by_props

    def kept_files(prop, fontext="ttf", directory=None, fallback_to_default=True, rebuild_if_missing=True):
        if not isinstance(prop, FontProperties) or fontext != "ttf":
            return find(prop, fontext, directory, fallback_to_default, rebuild_if_missing)
        generic = tuple(tuple(mpl.rcParams[f"font.{name}"]) for name in GENERIC)  # as findfont's own keep
        key = (face_key(prop), generic, directory, fallback_to_default, rebuild_if_missing)
        got = files.get(key)
        if got is None:
            got = files[key] = find(prop, fontext, directory, fallback_to_default, rebuild_if_missing)
        return list(got)

    def kept_measure(self, s, prop, ismath):
        if ismath or mpl.rcParams["pdf.use14corefonts"]:
            return measure(self, s, prop, ismath)
        key = (s, font_key(prop))
        got = sizes.get(key)
        if got is None:
            got = sizes[key] = measure(self, s, prop, ismath)
        return got

    def kept_outline(self, prop, s, ismath=False, *, features=None, language=None):
        if ismath:
            return outline(self, prop, s, ismath=ismath, features=features, language=language)
        key = (s, font_key(prop), tuple(features) if features else None, language)
        got = paths.get(key)
        if got is None:
            got = paths[key] = outline(self, prop, s, ismath=ismath, features=features, language=language)
        verts, codes = got
        return list(verts), list(codes)  # the caller's own lists

    kept_measure.kept = True
    RendererPdf.get_text_width_height_descent = kept_measure
    TextToPath.get_text_path = kept_outline
    fontManager._find_fonts_by_props = kept_files  # the one manager's own, over its method
    try:
        yield
    finally:
        RendererPdf.get_text_width_height_descent = measure
        TextToPath.get_text_path = outline
        del fontManager._find_fonts_by_props
