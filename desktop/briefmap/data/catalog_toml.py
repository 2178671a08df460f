"""The catalog's `[sheet]` table as the catalog reader parsed it: the window and the export
read the catalog, then its `[sheet]` table again (data/sheet_settings.py) from the same
text; that second read gets the table the first parse found instead of parsing the whole
file again. The catalog reader ignores `[sheet]`, so what is kept here is read by nothing
else."""

from __future__ import annotations

import tomllib
from typing import Any

_SHEET: dict[str, Any] = {}  # the catalog text parsed last -> its [sheet] value ({} when absent)


def parse_catalog_toml(text: str) -> dict[str, Any]:
    """tomllib.loads(text); its `[sheet]` value is kept for sheet_table(text)."""
    data = tomllib.loads(text)
    _SHEET.clear()  # one catalog at a time
    _SHEET[text] = data.get("sheet", {})
    return data


def sheet_table(text: str) -> Any:
    """The `[sheet]` value of a catalog's text ({} when absent): the one kept when the
    catalog reader parsed this same text, else parsed now. Raises what tomllib raises."""
    if text in _SHEET:
        return _SHEET[text]
    return tomllib.loads(text).get("sheet", {})
