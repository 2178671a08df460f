"""Catalog tables read into the model's dataclasses, driven by the classes themselves.

Each simple field of a model class (text, whole number, number, true/false, a list of
text, a date, an id) is read from the key of the same name; a field without a default is
required. A field's metadata may name a check (`{"check": "colour"}`) or another key
(`{"key": "…"}`). Fields of other types (a style rule, bounds, annotations) are left to
the caller. Every problem is recorded with its file, line and field by the `_Reader`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import MISSING, fields
from functools import cache
from typing import Any, get_type_hints

from briefmap.model.features import CONFIDENCE_LEVELS

_COLOR = re.compile(r"^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|none)$")
LINESTYLES = ("solid", "dashed", "dotted", "dashdot")
MARKERS = ("o", "s", "^", "v", "D", "*", "P", "X", "h", "p", "d", "<", ">")
PRECISIONS = ("day", "month", "year")


def _check_colour(v: str) -> str:
    return "" if _COLOR.match(v) else f"expected a colour #rrggbb or 'none', found {v!r}"


def _one_of(choices: tuple[str, ...], sep: str = ", "):
    return lambda v: "" if v in choices else f"expected one of {sep.join(choices)}, found {v!r}"


CHECKS = {
    "colour": _check_colour,
    "linestyle": _one_of(LINESTYLES),
    "marker": _one_of(MARKERS, " "),
    "precision": _one_of(PRECISIONS),
    "confidence": _one_of(CONFIDENCE_LEVELS),
    "size": lambda v: "" if 0 <= v <= 72 else f"expected a size from 0 to 72 points, found {v}",
    "opacity": lambda v: "" if 0 <= v <= 1 else f"expected an opacity from 0 to 1, found {v}",
    "offset": lambda v: "" if -36 <= v <= 36 else f"expected a marker offset from -36 to 36 points, found {v}",
    "url": lambda v: "" if not v or v.startswith(("https://", "http://")) else
    f"expected a web address (https://…), found {v!r}",
}

_SIMPLE = {str: str, int: int, float: float, bool: bool}


@cache
def schema(cls: type) -> tuple[tuple[str, str, Any, bool, Any, str], ...]:
    """(field, key, kind, required, default, check) for each simple field of `cls`."""
    hints = get_type_hints(cls)
    out = []
    for f in fields(cls):
        hint = hints[f.name]
        if hint in _SIMPLE:
            kind: Any = hint
        elif hint == tuple[str, ...]:
            kind = "strings"
        elif hint in (dt.date, dt.date | None):
            kind = "date"
        else:
            continue
        required = f.default is MISSING and f.default_factory is MISSING
        default = f.default if f.default is not MISSING else (f.default_factory() if f.default_factory is not MISSING
                                                              else _empty(kind))
        out.append((f.name, f.metadata.get("key", f.name), kind, required, default, f.metadata.get("check", "")))
    return tuple(out)


def _empty(kind: Any) -> Any:
    return {str: "", int: 0, float: 0.0, bool: False, "strings": (), "date": None}[kind]


def read_fields(r, cls: type, t: dict, path: tuple, *, skip: tuple[str, ...] = (),
                only_present: bool = False) -> dict[str, Any]:
    """The simple fields of `cls` from table `t` (but `skip`, which the caller reads with
    checks of its own), checked; problems go to `r`."""
    values: dict[str, Any] = {}
    for name, key, kind, required, default, check in schema(cls):
        if name in skip or (only_present and key not in t):
            continue
        if name == "id":
            value = r.ident(t, path, key)
        elif kind == "strings":
            value = r.strings(t, path, key, required=required)
        elif kind == "date":
            value = r.date(t, path, key, required=required)
        else:
            value = r.get(t, path, key, kind, required=required, default=default)
        if value is None:
            value = default
        elif check and key in t:
            problem = CHECKS[check](value)
            if problem:
                r.problem((*path, key), problem)
                value = default
        values[name] = value
    return values


def field_keys(cls: type) -> set[str]:
    return {key for _n, key, *_rest in schema(cls)}
