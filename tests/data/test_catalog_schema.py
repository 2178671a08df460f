"""The catalog is read field by field from the model's classes: types, required keys and
checks come from the dataclasses; every problem says file:line: field: message."""

from __future__ import annotations

from pathlib import Path

from briefmap.data.catalog import load_catalog, parse_catalog
from briefmap.data.schema import schema
from briefmap.model.briefing import Event, LayerSpec, Style


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def problems(folder: Path) -> list[str]:
    return [str(p) for p in parse_catalog(folder)[1]]


def test_required_fields_and_checks_come_from_the_classes():
    layer = {name: (required, check) for name, _key, _kind, required, _default, check in schema(LayerSpec)}
    assert layer["title"] == (True, "") and layer["visible"] == (False, "")
    assert "style_by" not in layer  # not a simple field: the reader handles it
    style = {name: check for name, _key, _kind, _req, _default, check in schema(Style)}
    assert style["color"] == "colour" and style["alpha"] == "opacity"
    assert {name for name, *_ in schema(Event)} >= {"date", "precision", "features"}


def test_label_min_rank_is_read_from_its_own_key(briefing_copy):
    cat = briefing_copy / "catalog.toml"
    edit(cat, 'id = "places"\n', 'id = "places"\nlabel_min_rank = 3\n')
    briefing = load_catalog(briefing_copy)
    assert briefing.layer("places").label_min_rank == 3


def test_bad_values_name_line_and_field(briefing_copy):
    cat = briefing_copy / "catalog.toml"
    edit(cat, 'id = "places"\n', 'id = "places"\nvisible = "yes"\n')
    edit(cat, 'id = "section"\n', 'id = "section"\nlinestyle = "wavy"\n')
    edit(cat, 'fields = ["name_az_usage"]', 'fields = []')
    out = problems(briefing_copy)
    visible, linestyle, fields = (line_of(cat, n) for n in ('visible = "yes"', 'linestyle = "wavy"', "fields = []"))
    assert f"catalog.toml:{visible}: layers.visible: expected true or false, found str 'yes'" in out
    assert (f"catalog.toml:{linestyle}: styles.linestyle: expected one of solid, dashed, dotted, dashdot, "
            "found 'wavy'") in out
    assert f"catalog.toml:{fields}: naming.fields: expected at least one property name" in out


def test_a_briefing_without_naming_policies_has_the_default(briefing_copy):
    cat = briefing_copy / "catalog.toml"
    text = cat.read_text(encoding="utf-8")
    start = text.index("[[naming]]")
    end = text.index("# ----", start)
    cat.write_text(text[:start] + text[end:], encoding="utf-8")
    briefing = load_catalog(briefing_copy)
    assert [p.id for p in briefing.naming] == ["default"]
