"""Legend entries for the layers that are visible and have features shown: plain data
(drawn by Qt in the window) and matplotlib handles (drawn in the export)."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from briefmap.model.briefing import Style
from briefmap.render.map_layers import LINESTYLES, MapRenderer


@dataclass(frozen=True)
class LegendItem:
    label: str
    style: Style
    kinds: frozenset[str]
    opacity: float


def legend_items(renderer: MapRenderer) -> list[LegendItem]:
    """One item per style drawn in the current view, top layers first, each label once:
    a map zoomed on Tavush does not list the peacekeepers in Karabakh."""
    import shapely

    frame = shapely.box(*renderer.extent())
    out: list[LegendItem] = []
    seen: set[str] = set()
    for la in sorted(renderer.layers.values(), key=lambda la: -la.spec.order):
        if not la.visible or not la.spec.in_legend:
            continue
        in_view = shapely.intersects(frame, la.table.geometries)
        kinds_by_style: dict[str, list] = {}
        for g in la.groups:
            if any(la.shown[i] and in_view[i] for i in g.indices):
                kinds_by_style.setdefault(g.style.id, []).append(g)
        for groups in kinds_by_style.values():
            style = groups[0].style
            label = style.legend or la.spec.legend or la.spec.title
            if label in seen:
                continue
            seen.add(label)
            out.append(LegendItem(label, style, frozenset(g.kind for g in groups), la.opacity))
    return out


def handle(item: LegendItem):
    style, kinds, alpha = item.style, item.kinds, item.opacity
    if kinds == {"polygon"}:
        edge = style.edgecolor if style.edgecolor != "none" else style.facecolor
        return Patch(facecolor=style.facecolor, edgecolor=edge, hatch=style.hatch or None,
                     linewidth=max(style.linewidth, 0.5), linestyle=LINESTYLES[style.linestyle],
                     alpha=min(1.0, style.alpha * alpha + 0.25))
    if "point" in kinds:
        return Line2D([], [], marker=style.marker, markersize=max(style.markersize, 4),
                      markerfacecolor=style.color, markeredgecolor=style.markeredgecolor, color=style.color,
                      alpha=alpha, linestyle=LINESTYLES[style.linestyle] if "line" in kinds else "none",
                      linewidth=style.linewidth)
    return Line2D([], [], color=style.color, linewidth=style.linewidth, linestyle=LINESTYLES[style.linestyle],
                  alpha=alpha)


def legend_entries(renderer: MapRenderer) -> list[tuple[object, str]]:
    """(matplotlib handle, label) for every legend item."""
    return [(handle(item), item.label) for item in legend_items(renderer)]
