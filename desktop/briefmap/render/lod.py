"""Level of detail: layers with very many vertices get paths simplified to the pixel size.

A vertex per pixel is all a screen or a sheet can show. Each level is made once and kept;
small layers are always drawn in full.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from briefmap.render.artists import LayerArtists, part
from briefmap.render.geometry import line_segments, polygon_path

LOD_MIN_VERTICES = 50_000


class LevelOfDetail:
    def __init__(self) -> None:
        self._level: dict[str, int] = {}
        self._cache: dict[tuple, list] = {}

    def forget(self, layer_id: str) -> None:
        self._level.pop(layer_id, None)
        self._cache = {k: v for k, v in self._cache.items() if k[0] != layer_id}

    def update(self, layers: dict[str, LayerArtists], metres_per_px: float) -> list[str]:
        """Give each big layer the paths for this scale; returns the layers that changed."""
        level = max(0, math.floor(math.log2(max(metres_per_px, 1.0))))
        changed = []
        for lid, la in layers.items():
            if not la.built or la.vertices < LOD_MIN_VERTICES or self._level.get(lid) == level:
                continue
            self._level[lid] = level
            tolerance = 2.0 ** level
            for g in la.groups:
                if g.kind == "point":
                    continue  # nothing to simplify
                key = (lid, g.style.id, g.kind, level)
                if key not in self._cache:
                    geoms = [part(la.table.geometries[i], g.kind) for i in g.indices]
                    simple = shapely.simplify(np.array(geoms, dtype=object), tolerance, preserve_topology=False)
                    if g.kind == "polygon":
                        self._cache[key] = [polygon_path(x) for x in simple]
                    elif g.kind == "line":
                        self._cache[key] = [line_segments(x) for x in simple]
                    else:
                        continue
                g.items = self._cache[key]
            la.apply_shown()
            changed.append(lid)
        return changed
