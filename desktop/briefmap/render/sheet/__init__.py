"""The export sheet: title, map, legend, scale bar, north arrow, insets, key points, credits."""

from briefmap.render.sheet.build import SheetReport, build_sheet, default_extent
from briefmap.render.sheet.layout import (
    FONT,
    FONT_FALLBACKS,
    FONT_FAMILY,
    PRESETS,
    Preset,
    SheetOptions,
    SheetTooSmall,
    check_size,
)

__all__ = ["FONT", "FONT_FALLBACKS", "FONT_FAMILY", "PRESETS", "Preset", "SheetOptions", "SheetReport",
           "SheetTooSmall", "build_sheet", "check_size", "default_extent"]
