"""How a user's layer joins a briefing: its layer spec and style (Qt-free, shared by the
window and `briefmap export --add-layer`)."""

from __future__ import annotations

import itertools
import re

from briefmap.data.user_layers import ImportedLayer
from briefmap.model.briefing import LayerSpec, Style

# Okabe–Ito colours not used by the briefing's own actors first.
PALETTE = ("#cc79a7", "#56b4e9", "#009e73", "#e69f00", "#0072b2", "#d55e00", "#000000")
USER_GROUP = "My layers"
_counter = itertools.count(1)


def user_layer_id(title: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", title.lower()).strip("-")[:40] or "layer"
    lid = f"user-{slug}"
    k = 2
    while lid in taken:
        lid = f"user-{slug}-{k}"
        k += 1
    return lid


def spec_and_style(layer: ImportedLayer, taken: set[str], order: int, lid: str | None = None) -> tuple[LayerSpec, Style]:
    n = next(_counter)
    lid = lid or user_layer_id(layer.title, taken)
    color = PALETTE[(n - 1) % len(PALETTE)]
    style = Style(id=f"{lid}-style", facecolor=color, edgecolor=color, color=color, alpha=0.45, linewidth=1.4,
                  marker="o", markersize=6.0, markeredgecolor="#ffffff", legend=layer.title)
    label = next((k for k in ("name", "Name", "NAME", "title", "label") if any(k in p for p in layer.table.properties)), "")
    spec = LayerSpec(id=lid, title=layer.title, group=USER_GROUP, style=style.id, order=order, visible=True,
                     legend=layer.title, description=f"Your layer from {layer.path}", file="", base="",
                     label=label, sources=(), user_file=str(layer.path))
    layer.table.layer_id = lid
    return spec, style
