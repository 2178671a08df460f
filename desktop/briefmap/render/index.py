"""Which features are at a point: STRtrees per layer, built when first asked.

Hover asks on every mouse move, a click asks once and hands the answer to identify; the
tree's `dwithin` query visits only the features near the pointer.
"""

from __future__ import annotations

import numpy as np
import shapely

from briefmap.model.layers import LayerList

# The base map's areas are the backdrop: listed after everything else, and only when asked.
BACKDROP = ("countries", "admin1")
NEVER_HIT = ("seas",)


# A tree per this many features: building one holds the GIL throughout (a quarter of a
# second for a million points, built on a worker thread), a chunk only briefly.
CHUNK = 100_000


def build_trees(geoms: np.ndarray) -> list[tuple[int, shapely.STRtree]]:
    """STRtrees over consecutive chunks of `geoms`, each with the index of its first feature."""
    return [(start, shapely.STRtree(geoms[start:start + CHUNK])) for start in range(0, max(len(geoms), 1), CHUNK)]


class SpatialIndex:
    def __init__(self, layers: LayerList):
        self.layers = layers
        self._trees: dict[str, tuple[object, list[tuple[int, shapely.STRtree]], np.ndarray]] = {}

    def _tree(self, layer_id: str) -> tuple[list[tuple[int, shapely.STRtree]], np.ndarray]:
        table = self.layers[layer_id].table
        cached = self._trees.get(layer_id)
        if cached is None or cached[0] is not table:
            geoms = np.array(table.geometries, dtype=object)
            cached = (table, build_trees(geoms), geoms)
            self._trees[layer_id] = cached
        return cached[1], cached[2]

    def adopt(self, layer_id: str, table, trees: list[tuple[int, shapely.STRtree]], geoms: np.ndarray) -> None:
        """Trees built elsewhere (a worker thread) for the layer's table."""
        self._trees[layer_id] = (table, trees, geoms)

    def forget(self, layer_id: str) -> None:
        self._trees.pop(layer_id, None)

    def near(self, layer_id: str, x: float, y: float, tolerance: float, shown: list[bool]) -> list[int]:
        """The layer's shown features within `tolerance` of (x, y), nearest first."""
        trees, geoms = self._tree(layer_id)
        point = shapely.Point(x, y)
        found = [tree.query(point, predicate="dwithin", distance=tolerance) + start for start, tree in trees]
        idx = np.concatenate(found) if len(found) > 1 else found[0]
        if idx.size == 0:
            return []
        idx = idx[np.asarray(shown, dtype=bool)[idx]]
        d = shapely.distance(geoms[idx], point)
        order = np.lexsort((idx, d))  # nearest first; equal distances by feature order
        return [int(i) for i in idx[order]]

    def hits(self, x: float, y: float, tolerance: float, shown: dict[str, list[bool]],
             backdrop: bool = False) -> list[tuple[str, int]]:
        """Every visible feature at (x, y), topmost layer first, nearest first."""
        front: list[tuple[str, int]] = []
        back: list[tuple[str, int]] = []
        for layer in reversed(list(self.layers)):
            if not layer.visible or layer.spec.base in NEVER_HIT:
                continue
            is_backdrop = layer.spec.base in BACKDROP
            if is_backdrop and not backdrop:
                continue
            found = self.near(layer.id, x, y, tolerance, shown.get(layer.id) or [True] * len(layer.table))
            (back if is_backdrop else front).extend((layer.id, i) for i in found)
        return front + back
