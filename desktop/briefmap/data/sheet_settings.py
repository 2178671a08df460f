"""A briefing's sheet settings: the optional `[sheet]` table of its catalog.

Everything a printed sheet says about one briefing in particular (which countries the
locator inset marks, the inset's extent, the credit and attribution lines) comes from
here, with defaults that work for any briefing:

    [sheet]
    focus = ["ARM", "AZE", "GEO"]          # ISO 3166 alpha-3, marked in the locator inset
    inset_bounds = [26.5, 33.0, 60.0, 48.5]  # lon0, lat0, lon1, lat1
    credit = "Analysis: …"                 # default: the [briefing.article] credit
    attribution = "Map data: …"            # default: every source with a licence
    detail_layers = ["delimitation_sections"]  # features magnified when small on the sheet
    give_way = [[4, 0], [3, 5000000]]      # places of `rank` 4 may be left out when crowded at any
                                           # scale, of rank 3 from 1:5,000,000 (noted by preflight,
                                           # not findings)

Read on its own (tomllib on the catalog's text) so the rest of the catalog schema does
not need to know about it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefmap.data.catalog import CATALOG, read_catalog_text
from briefmap.data.catalog_toml import sheet_table
from briefmap.data.errors import BriefingError, Problem
from briefmap.data.toml_lines import KeyLines
from briefmap.model.briefing import Briefing

_FIELDS = ("focus", "inset_bounds", "credit", "attribution", "detail_layers", "give_way")


@dataclass(frozen=True)
class SheetSettings:
    focus: tuple[str, ...] = ()
    inset_bounds: tuple[float, float, float, float] | None = None
    credit: str = ""
    attribution: str = ""
    detail_layers: tuple[str, ...] = ()
    # (rank, scale denominator): a place of that `rank` or beyond may be left out on a map at
    # that scale or smaller (1 = capital, never).
    give_way: tuple[tuple[float, float], ...] = ()


def default_credit(briefing: Briefing) -> str:
    if not briefing.article_title:
        return ""
    return f"Analysis: {briefing.credit()} — summarised in our own words."


def default_attribution(briefing: Briefing) -> str:
    """'Map data: Publisher (licence); …' from the sources that carry a licence."""
    parts = [f"{s.publisher or s.title} ({s.licence})" for s in briefing.sources.values() if s.licence]
    text = "Map data: " + "; ".join(dict.fromkeys(parts)) + "." if parts else ""
    return (text + " Boundaries are de facto and imply no endorsement.").strip()


def _problem(lines: KeyLines, key: str, message: str) -> Problem:
    return Problem(CATALOG, lines.line(("sheet", key)), f"sheet.{key}", message)


def _strings(value, lines: KeyLines, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BriefingError([_problem(lines, key, "expected a list of strings")])
    return tuple(value)


def _give_way(value, lines: KeyLines) -> tuple[tuple[float, float], ...]:
    def number(v) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)

    ok = isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and number(p[0]) and number(p[1]) and p[0] >= 2 and p[1] >= 0
        for p in value)
    if not ok:
        raise BriefingError([_problem(lines, "give_way",
                                      "expected a list of [rank, scale] pairs: rank 2 or more, scale 0 or more")])
    return tuple((float(r), float(d)) for r, d in value)


def _bounds(value, lines: KeyLines) -> tuple[float, float, float, float]:
    ok = (isinstance(value, list) and len(value) == 4
          and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value))
    if ok:
        lon0, lat0, lon1, lat1 = (float(v) for v in value)
        ok = -180 <= lon0 < lon1 <= 180 and -85 <= lat0 < lat1 <= 85
    if not ok:
        raise BriefingError([_problem(lines, "inset_bounds",
                                      "expected [lon0, lat0, lon1, lat1] with lon0 < lon1 and lat0 < lat1")])
    return lon0, lat0, lon1, lat1


def read_sheet_settings(root: Path, briefing: Briefing | None = None) -> SheetSettings:
    """The `[sheet]` table of `root/catalog.toml` with defaults filled in; BriefingError
    names the line of a bad value. Read once per version of the file."""
    path = Path(root) / CATALOG
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    key = (str(path), stamp, id(briefing))
    if stamp is not None and key in _CACHE:
        return _CACHE[key]
    settings = _read(Path(root), briefing)
    if stamp is not None:
        _CACHE.clear()  # one briefing at a time is enough
        _CACHE[key] = settings
    return settings


_CACHE: dict[tuple, SheetSettings] = {}


def _read(root: Path, briefing: Briefing | None) -> SheetSettings:
    text = read_catalog_text(Path(root))
    try:
        table = sheet_table(text)
    except tomllib.TOMLDecodeError as exc:
        raise BriefingError([Problem(CATALOG, None, "", f"not valid TOML: {exc}")]) from None
    lines = KeyLines(text)
    if not isinstance(table, dict):
        raise BriefingError([Problem(CATALOG, lines.line(("sheet",)), "sheet", "expected a table ([sheet])")])
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        raise BriefingError([_problem(lines, unknown[0], f"unknown field (expected one of {', '.join(_FIELDS)})")])
    for key in ("credit", "attribution"):
        if key in table and not isinstance(table[key], str):
            raise BriefingError([_problem(lines, key, "expected text")])
    give_way = _give_way(table["give_way"], lines) if "give_way" in table else ()
    settings = SheetSettings(
        focus=_strings(table["focus"], lines, "focus") if "focus" in table else (),
        inset_bounds=_bounds(table["inset_bounds"], lines) if "inset_bounds" in table else None,
        credit=table.get("credit", default_credit(briefing) if briefing else ""),
        attribution=table.get("attribution", default_attribution(briefing) if briefing else ""),
        detail_layers=_strings(table["detail_layers"], lines, "detail_layers") if "detail_layers" in table else (),
        give_way=give_way,
    )
    if briefing is not None:
        missing = [lid for lid in settings.detail_layers if lid not in briefing.layer_ids]
        if missing:
            raise BriefingError([_problem(lines, "detail_layers", f"unknown layer {missing[0]!r}")])
    return settings
