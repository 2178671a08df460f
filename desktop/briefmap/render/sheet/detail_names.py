"""Which names of a detail's subject may give way when its frame (or a sheet without a
detail) is too crowded: a village whose name is one side of a section's name ("Berkaber"
in "Berkaber / Qızılhacılı"). The section's name still says it; the legend says what the
village symbol is. Capitals, countries, sections and the scenario's subjects never yield.
"""

from __future__ import annotations


def _sides(text: str) -> set[str]:
    """The names of a "Name / Other name" label (a line break may follow the slash)."""
    return {part.strip() for part in " ".join(text.split()).split(" / ") if part.strip()}


def section_villages(renderer, layer_ids) -> dict[tuple[str, int], str]:
    """The villages (point features of the later detail layers) whose name is one side
    of a section's name (the first detail layer): {(layer, index): the section's name}."""
    if not layer_ids or layer_ids[0] not in renderer.layers:
        return {}
    sections = renderer.layers[layer_ids[0]]
    names = {}
    for lab in sections.labels:
        text = " ".join(lab.artist.get_text().split())
        for side in _sides(text):
            names.setdefault(side, text)
    subjects = renderer.subjects()
    out = {}
    for lid in layer_ids[1:]:
        la = renderer.layers.get(lid)
        if la is None:
            continue
        for lab in la.labels:
            if (lid, lab.index) in subjects or la.table.geometries[lab.index].geom_type != "Point":
                continue
            hit = next((names[s] for s in sorted(_sides(lab.artist.get_text())) if s in names), None)
            if hit is not None:
                out[(lid, lab.index)] = hit
    return out


def crowded(renderer, layer_ids, on_detail: bool) -> bool:
    """Whether a name that must show is missing: on a detail, a section's or a country's;
    on a map with no detail, any of the detail layers' names."""
    lr = renderer.label_report
    if lr is None:
        return False
    for lid, _index, _text in lr.dropped:
        la = renderer.layers[lid]
        if on_detail and (lid == layer_ids[0] or la.spec.base == "countries"):
            return True
        if not on_detail and lid in layer_ids:
            return True
    return False


def make_room(renderer, layer_ids, on_detail: bool) -> None:
    """When the frame is crowded, lay its labels out again with the villages whose name
    a section's name carries left out by rule (render/give_way.py lists them)."""
    if not layer_ids or not crowded(renderer, layer_ids, on_detail):
        return
    where = "the detail" if on_detail else "the map (the sheet is too small for a detail inset)"
    renderer.label_yield = {key: f"its name is part of the section's name {section!r}, and {where} is too crowded "
                                 "for both" for key, section in section_villages(renderer, layer_ids).items()}
    if renderer.label_yield:
        renderer.layout_labels()
