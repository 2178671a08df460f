"""Find a place or feature by any of its names.

A feature is found by every name it carries: `name`, both usages of a contested name
(`name_hy_usage`, `name_az_usage`), names in native scripts (`name_hy_script`, `name_ru`,
...), a label, and the `|`-separated alternate names of the world data. Matching ignores
case and diacritics ("Xankəndi" is found by "xankendi", "Tbilisi" by "tbilisi").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from briefmap.model.features import FeatureTable

# Letters that carry no combining mark to strip but are read as a plain Latin letter.
_FOLD = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                       "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ʼ": "'", "’": "'",
                       "ʻ": "'", "‘": "'", "–": "-", "—": "-"})
NAME_FIELDS = ("name", "label", "name_hy_usage", "name_az_usage", "name_local", "names")


def fold(text: str) -> str:
    """`text` without case, diacritics or typographic variants, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def names_of(props: dict) -> list[str]:
    """Every name a feature carries, the display name first."""
    out: list[str] = []
    keys = [k for k in NAME_FIELDS if k in props] + sorted(k for k in props if k.startswith("name_")
                                                           and k not in NAME_FIELDS)
    for key in keys:
        value = props.get(key)
        if not isinstance(value, str):
            continue
        for part in value.split("|") if key == "names" else [*value.split(" / "), value]:
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


@dataclass(frozen=True)
class Hit:
    """One feature found: where it is and which of its names matched."""

    layer: str
    feature: str
    name: str  # the feature's display name
    matched: str  # the name that matched the query
    score: int  # 0 the whole name, 1 the start of a name, 2 inside a name

    @property
    def ref(self) -> str:
        return f"{self.layer}/{self.feature}"


def find(query: str, tables: Iterable[FeatureTable], limit: int = 50) -> list[Hit]:
    """Features whose names match `query`, best first (whole-name matches, then names
    that start with it, then names that contain it; within each, in layer order)."""
    q = fold(query)
    if not q:
        return []
    hits: list[tuple[int, int, Hit]] = []
    for order, table in enumerate(tables):
        for fid, props in zip(table.ids, table.properties, strict=True):
            best: tuple[int, str] | None = None
            for name in names_of(props):
                f = fold(name)
                score = 0 if f == q else 1 if f.startswith(q) else 2 if q in f else None
                if score is not None and (best is None or score < best[0]):
                    best = (score, name)
            if best is not None:
                shown = str(props.get("name") or props.get("label") or best[1])
                hits.append((best[0], order, Hit(table.layer_id, fid, shown, best[1], best[0])))
    hits.sort(key=lambda t: (t[0], t[1]))
    return [h for _, _, h in hits[:limit]]
