"""The built-in map in a renderer, with features put on it as the editor keeps them (the
edits layer and its styles), for tests of how drawn features are labelled and listed."""

from __future__ import annotations

from matplotlib.figure import Figure

from briefmap.model.edits import EDITS_LAYER, editor_styles, edits_spec, replace_table
from briefmap.model.features import FeatureTable
from briefmap.model.view import scenario_state
from briefmap.render.map_layers import MapRenderer
from briefmap.render.sheet import default_extent


def editor_map(briefing, tables, figsize: tuple[float, float], dpi: float) -> tuple[Figure, MapRenderer]:
    """The overview scenario at its default extent, the editor's styles known."""
    fig = Figure(figsize=figsize, dpi=dpi)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, "overview")
    r.apply(state)
    r.set_extent(default_extent(briefing, state))
    for sid, style in editor_styles().items():
        r.model.layers.styles.setdefault(sid, style)
    return fig, r


def place_xy(tables, name: str) -> tuple[float, float]:
    """Map coordinates of a place of the shipped places layer."""
    places = tables["places"]
    point = places.geometries[next(i for i, p in enumerate(places.properties) if name in str(p.values()))]
    return point.x, point.y


def draw_in_editor(r: MapRenderer, ids: list[str], shapes: list, properties: list[dict]) -> None:
    """Put these features on the edits layer, as a save of the editor does."""
    layers = r.model.layers
    replace_table(layers, edits_spec(layers.top_order() + 1), FeatureTable(EDITS_LAYER, ids, shapes, properties))
