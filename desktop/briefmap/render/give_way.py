"""Labels a sheet may leave out, by rules a cartographer accepts, each with its reason.

Preflight lists them apart from its findings (`--strict` passes): a reader can still
judge them. Never a capital, a country of the briefing's focus, a feature the scenario
emphasises, a detail inset's subject or an off-map actor: those are always findings.

- a symbol at a place (an embassy in its town) whose place is named on the map, or was
  itself left out by rule, and whose look the legend explains;
- a line the legend names (its symbol says what it is);
- a neighbouring country of which only a sliver shows beside the insets (a focus
  country only when a mere corner of it shows);
- a place of a rank the briefing lets give way at this scale ([sheet] give_way).
"""

from __future__ import annotations

import dataclasses

import shapely

# A neighbouring country showing less than this share of the map (outside furniture) is a sliver.
SLIVER = 0.01
# Even a focus country showing less than this (a corner at the map's edge) is a sliver.
FOCUS_SLIVER = 0.002
# The longest leader (points at print size, 6 mm) a place that may give way is named on:
# about one label height plus the gap round its dot, the nearest ring of positions off
# the dot. Further out the eye must follow the line to find whose name it is; at a small
# scale a cartographer lets such a place go instead.
GIVE_WAY_REACH_PT = 17.0
# A symbol this near a place (in metres on the ground) marks that place: an embassy in its town.
SAME_PLACE_M = 1000.0


def accepted_drops(renderer, report) -> list[tuple[str, int, str, str]]:
    """Dropped labels a cartographer accepts: (layer, index, text, reason)."""
    from briefmap.render.geometry import kind_of
    from briefmap.render.label_layout import priority_class
    from briefmap.render.labeling import COUNTRY
    from briefmap.render.legend import _signature, legend_items

    lr = renderer.label_report
    if lr is None or not lr.dropped:
        return []
    x0, y0, x1, y1 = renderer.extent()
    frame = shapely.box(x0, y0, x1, y1)
    subjects = renderer.subjects()
    # What a detail inset magnifies is its subject too: every name of it must show.
    first = set(getattr(renderer, "label_first", ()))
    subjects |= {(lid, index) for lid, index, _text in lr.dropped if lid in first}
    scale = renderer.metres_per_inch() / 0.0254
    # Names the sheet let give way where crowded (render/sheet/detail_names.py), with their reason.
    yielding = getattr(renderer, "label_yield", {})
    out = [(lid, index, text, yielding[(lid, index)]) for lid, index, text in lr.dropped if (lid, index) in yielding]
    lr = dataclasses.replace(lr, dropped=[d for d in lr.dropped if (d[0], d[1]) not in yielding])
    places = []  # (geometry, name, why) of the places named on the map, or left out by rule
    for (lid, index) in lr.boxes:
        la = renderer.layers[lid]
        if kind_of(la.table.geometries[index]) == "point" and _rank(la.table.properties[index]) is not None:
            places.append((la.table.geometries[index], _text_of(la, index), "named on the map"))
    for lid, index, text in lr.dropped:
        la = renderer.layers[lid]
        rule = _give_way_rule(_rank(la.table.properties[index]), scale, report.give_way)
        if rule is not None and (lid, index) not in subjects and frame.contains(la.table.geometries[index]):
            at = f"at 1:{scale:,.0f}" if rule[1] else "on any sheet"
            why = f"a place of rank {rule[2]:g}, which may give way {at} where the map is crowded"
            if (lid, index) in lr.short_reach:
                why += (f"; it is named beside its dot or on a leader of at most {GIVE_WAY_REACH_PT * 25.4 / 72:.0f} mm"
                        " crossing no other, and neither was free")
            out.append((lid, index, text, why + " ([sheet] give_way)"))
            places.append((la.table.geometries[index], text, "itself left out by rule"))
    # What a symbol looks like, whatever else its legend entry draws (a point and its line).
    explained = {_signature(item.style, ())[1:]: item.label for item in legend_items(renderer)}
    for lid, index, text in lr.dropped:
        la = renderer.layers[lid]
        props = la.table.properties[index]
        geom = la.table.geometries[index]
        if (lid, index) in subjects or priority_class(la.spec, props) > COUNTRY or _rank(props) is not None:
            continue
        if priority_class(la.spec, props) == COUNTRY:
            shown = _free_share(renderer, geom, frame)
            neighbour = str(props.get("iso_a3", "")) not in report.focus
            if shown < FOCUS_SLIVER or (neighbour and shown < SLIVER):
                out.append((lid, index, text, f"a country of which only a sliver shows ({shown:.1%} of the map, "
                                              "outside its insets and legend)"))
            elif neighbour and (lid, index) in lr.too_small:
                out.append((lid, index, text, f"a neighbour whose part in view is too narrow to hold its name "
                                              f"({shown:.1%} of the map)"))
            continue
        if geom is None or not frame.contains(geom):
            continue  # an off-map actor is named at the edge or it is a finding
        entry = explained.get(_signature(renderer.style_for(la.spec, la.table, index), ())[1:])
        if entry is None:
            continue
        if kind_of(geom) == "point":
            near = [(name, why) for place, name, why in places if place.distance(geom) <= SAME_PLACE_M]
            if near:
                out.append((lid, index, text, f"its symbol stands at {near[0][0]!r}, {near[0][1]}, and the legend "
                                              f"says what it is ({entry!r})"))
        elif kind_of(geom) == "line":
            out.append((lid, index, text, f"the legend names this line ({entry!r})"))
    return out


def may_give_way(props, scale: float, give_way) -> bool:
    """Whether a place's rank lets it give way at this scale (1:`scale`)."""
    return _give_way_rule(_rank(props), scale, give_way) is not None


def _rank(props) -> float | None:
    rank = props.get("rank")
    return float(rank) if isinstance(rank, int | float) and not isinstance(rank, bool) else None


def _give_way_rule(rank, scale: float, give_way) -> tuple[float, float, float] | None:
    """The [sheet] give_way rule (rank, scale, the place's rank) that lets a place go."""
    if rank is None:
        return None
    for r, d in sorted(give_way, reverse=True):
        if rank >= r and scale >= d:
            return r, d, rank
    return None


def _free_share(renderer, geom, frame) -> float:
    """The share of the map a feature covers outside the map's furniture (insets, legend)."""
    import numpy as np

    dpi = renderer.ax.figure.dpi
    to_map = renderer.ax.transData.inverted().transform
    free = frame
    for bx0, by0, bx1, by1 in renderer.furniture_inches:
        (mx0, my0), (mx1, my1) = to_map(np.array([[bx0 * dpi, by0 * dpi], [bx1 * dpi, by1 * dpi]], dtype=float))
        free = free.difference(shapely.box(mx0, my0, mx1, my1))
    return shapely.intersection(geom, free).area / frame.area


def _text_of(la, index: int) -> str:
    return next((lab.artist.get_text() for lab in la.labels if lab.index == index), "")
