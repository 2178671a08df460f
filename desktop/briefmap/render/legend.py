"""Legend entries for the layers that are visible and have features shown."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from briefmap.render.map_layers import LINESTYLES, MapRenderer


def legend_entries(renderer: MapRenderer) -> list[tuple[object, str]]:
    """(handle, label) for every style in use on the map, top layers first."""
    out: list[tuple[object, str]] = []
    seen: set[str] = set()
    for la in sorted(renderer.layers.values(), key=lambda la: -la.spec.order):
        if not la.visible or not la.spec.in_legend:
            continue
        kinds_by_style: dict[str, list] = {}
        for g in la.groups:
            if any(la.shown[i] for i in g.indices):
                kinds_by_style.setdefault(g.style.id, []).append(g)
        for groups in kinds_by_style.values():
            style = groups[0].style
            label = style.legend or la.spec.legend or la.spec.title
            if label in seen:
                continue
            seen.add(label)
            kinds = {g.kind for g in groups}
            alpha = la.opacity
            if kinds == {"polygon"}:
                h = Patch(facecolor=style.facecolor, edgecolor=style.edgecolor if style.edgecolor != "none" else style.facecolor,
                          hatch=style.hatch or None, linewidth=max(style.linewidth, 0.5),
                          linestyle=LINESTYLES[style.linestyle], alpha=min(1.0, style.alpha * alpha + 0.25))
            elif "point" in kinds:
                h = Line2D([], [], marker=style.marker, markersize=max(style.markersize, 4),
                           markerfacecolor=style.color, markeredgecolor=style.markeredgecolor,
                           color=style.color, alpha=alpha,
                           linestyle=LINESTYLES[style.linestyle] if "line" in kinds else "none",
                           linewidth=style.linewidth)
            else:
                h = Line2D([], [], color=style.color, linewidth=style.linewidth,
                           linestyle=LINESTYLES[style.linestyle], alpha=alpha)
            out.append((h, label))
    return out
