"""Checks that keep a briefing faithful to its sources.

A panel cites a source with a Markdown link whose target is `source:ID`, written as
`[[Armenpress]](source:armenpress-1137916)`: the text in brackets is a short label, and the
window opens the Sources tab at that source. These checks report

- a panel sentence with a number or a date that cites no source;
- a citation of a source the catalog does not list;
- a feature or an event dated after the article without the after-the-article mark.

The article's date is catalog data (`[briefing.article] as_of`). A feature is marked by
`after_article = "yes"` (all of it is later) or `"end"` (it is from before the article and
only its end came later), or by belonging to a layer marked `after_article = true`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib

from briefmap.data.catalog import CATALOG, read_catalog_text
from briefmap.data.errors import Problem
from briefmap.data.toml_lines import KeyLines
from briefmap.model.briefing import Briefing, LayerSpec
from briefmap.model.features import FeatureTable

SOURCE_LINK = re.compile(r"\]\(source:([^)\s]*)\)")
AFTER_ARTICLE_MARKS = ("", "yes", "end")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"“(\[_])")
_LIST_MARKER = re.compile(r"^\s*(?:>\s*)?(?:[-*+]\s+|\d+[.)]\s+)?")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
           "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_NUMBER_OR_DATE = re.compile(rf"\d|\b(?:{_MONTHS})\b")


def panel_sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a panel's prose as (line, sentence); headings are titles, not claims."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or set(line) <= set("|-: "):
            continue
        line = _LIST_MARKER.sub("", line, count=1)
        out.extend((number, s) for s in _SENTENCE_END.split(line) if s.strip())
    return out


def needs_citation(sentence: str) -> bool:
    """Whether a sentence states a number or a date (link targets do not count)."""
    return bool(_NUMBER_OR_DATE.search(_LINK_TARGET.sub("]", sentence)))


def check_panels(briefing: Briefing) -> list[Problem]:
    problems: list[Problem] = []
    for panel in briefing.panels:
        for line, sentence in panel_sentences(panel.text):
            cited = SOURCE_LINK.findall(sentence)
            for sid in cited:
                if sid not in briefing.sources:
                    problems.append(Problem(panel.file, line, "citation",
                                            f"cites source {sid!r}, which is not in the catalog's [[sources]]"))
            if not cited and needs_citation(sentence):
                shown = _LINK_TARGET.sub("]", sentence)
                shown = shown if len(shown) <= 80 else shown[:77] + "…"
                problems.append(Problem(panel.file, line, "citation",
                                        f"a sentence with a number or a date cites no source: “{shown}” "
                                        "(add [[Label]](source:ID))"))
    return problems


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value not in ("", None) else None
    except ValueError:
        return None  # check_features reports a malformed date


def _late_dates(spec: LayerSpec, fid: str, props: dict, article: dt.date) -> list[Problem]:
    mark = str(props.get("after_article", "") or "")
    ref = f"{spec.table}/{fid}"
    if mark not in AFTER_ARTICLE_MARKS:
        return [Problem(spec.file, None, "after_article", f"expected 'yes' or 'end', found {mark!r}", feature=ref)]
    if spec.after_article or mark == "yes":
        return []
    problems = []
    for key in ("as_of", "start", "end"):
        when = _date(props.get(key))
        if when is None or when <= article or (key == "end" and mark == "end"):
            continue
        hint = "after_article = \"end\"" if key == "end" else "after_article = \"yes\""
        problems.append(Problem(spec.file, None, key,
                                f"{when.isoformat()} is after the article's date ({article.isoformat()}) "
                                f"but the feature is not marked as after the article ({hint})", feature=ref))
    return problems


def check_features(briefing: Briefing, tables: dict[str, FeatureTable]) -> list[Problem]:
    """Features of the briefing's own layers dated after the article must say so."""
    problems: list[Problem] = []
    for spec in briefing.layers:
        table = tables.get(spec.id)
        if spec.base or table is None:
            continue  # the base map's dates are its edition's, not claims of the briefing
        for fid, props in zip(table.ids, table.properties, strict=True):
            problems += _late_dates(spec, fid, props, briefing.article_as_of)
    return problems


def check_events(briefing: Briefing) -> list[Problem]:
    """Timeline events after the article's date must carry `after_article = true`."""
    late = [e for e in briefing.events if e.date > briefing.article_as_of and not e.after_article]
    if not late:
        return []
    text = read_catalog_text(briefing.root)
    lines = KeyLines(text)
    order = [t.get("id") for t in tomllib.loads(text).get("events", []) if isinstance(t, dict)]
    return [Problem(CATALOG, lines.line(("events", order.index(e.id), "date")) if e.id in order else None,
                    "events.after_article",
                    f"event {e.id!r} on {e.date.isoformat()} is after the article's date "
                    f"({briefing.article_as_of.isoformat()}) but is not marked after_article = true")
            for e in late]


def check_citations(briefing: Briefing, tables: dict[str, FeatureTable]) -> list[Problem]:
    """Every citation and after-the-article problem of a loaded briefing."""
    return check_panels(briefing) + check_features(briefing, tables) + check_events(briefing)
