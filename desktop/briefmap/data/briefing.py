"""Open a briefing folder: the catalog, its panels and every layer, all checked."""

from __future__ import annotations

import re
from pathlib import Path

from briefmap.data.catalog import CATALOG, load_catalog, parse_catalog
from briefmap.data.citations import check_citations
from briefmap.data.errors import BriefingError, Problem
from briefmap.data.layers import check_features, read_layer
from briefmap.data.panel_images import panel_image_problems
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable, style_value
from briefmap.model.panel_text import window_span_problems

APP_LINK = re.compile(r"\]\((feature|panel|event):([^)\s]*)\)")


def panel_links(text: str) -> list[tuple[str, str, int]]:
    """The app links in a panel's Markdown: (kind, target, line).

    `feature:layer/id` selects a feature, `panel:id` opens a panel, `event:id` moves the
    timeline to an event.
    """
    return [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
            for m in APP_LINK.finditer(text)]


def load_layers(briefing: Briefing) -> tuple[dict[str, FeatureTable], list[Problem]]:
    tables: dict[str, FeatureTable] = {}
    problems: list[Problem] = []
    for spec in briefing.layers:
        try:
            table = read_layer(briefing, spec)
        except BriefingError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(check_features(briefing, spec, table))
        if spec.style_by:
            missing = {style_value(spec, fid, p) for fid, p in zip(table.ids, table.properties, strict=True)}
            missing -= set(spec.style_by.styles)
            for value in sorted(missing):
                problems.append(Problem(CATALOG, None, f"layers.{spec.id}.style_by",
                                        f"no style for {spec.style_by.field} = {value!r}"))
        tables[spec.id] = table
    return tables, problems


def check_references(briefing: Briefing, tables: dict[str, FeatureTable]) -> list[Problem]:
    """Panel links, scenario highlights and event features must name real features."""
    problems: list[Problem] = []

    def exists(layer: str, fid: str) -> bool:
        return layer in tables and fid in tables[layer].ids

    panels = {p.id for p in briefing.panels}
    events = {e.id for e in briefing.events}
    for panel in briefing.panels:
        problems += panel_image_problems(briefing.root, panel.file, panel.text)
        problems += [Problem(panel.file, line, "window-only", msg) for line, msg in window_span_problems(panel.text)]
        for kind, target, line in panel_links(panel.text):
            if kind == "feature":
                layer, _, fid = target.partition("/")
                ok = exists(layer, fid)
            else:
                ok = target in (panels if kind == "panel" else events)
            if not ok:
                problems.append(Problem(panel.file, line, "link",
                                        f"links to {kind} {target!r}, which does not exist"))
    for s in briefing.scenarios:
        for ref in s.highlight:
            layer, _, fid = ref.partition("/")
            if layer in tables and not exists(layer, fid):
                problems.append(Problem(CATALOG, None, f"scenarios.{s.id}.highlight", f"unknown feature {ref!r}"))
    for e in briefing.events:
        for ref in e.features:
            layer, _, fid = ref.partition("/")
            if layer in tables and not exists(layer, fid):
                problems.append(Problem(CATALOG, None, f"events.{e.id}.features", f"unknown feature {ref!r}"))
    return problems


def open_briefing(path: Path) -> tuple[Briefing, dict[str, FeatureTable]]:
    """Load and check everything; raise BriefingError with every problem found."""
    briefing = load_catalog(Path(path))
    tables, problems = load_layers(briefing)
    problems += check_references(briefing, tables)
    if problems:
        raise BriefingError(problems)
    return briefing, tables


def validate(path: Path) -> list[Problem]:
    """Every problem in a briefing folder: the catalog's, then its layers' and links'."""
    try:
        briefing, problems = parse_catalog(Path(path))
    except BriefingError as exc:
        return exc.problems
    # Layers that the catalog described well enough are still checked, so one run
    # reports every fault.
    readable = [spec for spec in briefing.layers if spec.style in briefing.styles or not spec.style]
    briefing.layers = readable
    tables, layer_problems = load_layers(briefing)
    return problems + layer_problems + check_references(briefing, tables) + check_citations(briefing, tables)
