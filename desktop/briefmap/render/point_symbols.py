"""A point layer's symbols: one collection per style, as `Axes.scatter` makes it.

Made directly rather than through `Axes.scatter`: scatter's argument handling (units,
masks, colour mapping) costs about a millisecond a group, and none of it applies to
finite points of one style (the points are finite: render/geometry.py's point_xy). The
paths, sizes, colours and transforms are scatter's, so the pixels are
(tests/render/test_point_symbols.py).
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

from briefmap.model.briefing import Style
from briefmap.render.geometry import marker_transform


def point_symbols(ax: Axes, style: Style, face: tuple, offsets: np.ndarray, z: float) -> PathCollection:
    """The style's marker filled with `face` (RGBA) at each of `offsets` (n × 2, data
    coordinates), added to `ax`; smaller symbols on top."""
    path, filled = _marker_path(style.marker)
    art = PathCollection((path,), np.array([style.markersize ** 2], dtype=float),
                         facecolors=to_rgba_array([face]),
                         edgecolors=style.markeredgecolor if filled else "face",
                         linewidths=0.6 if style.markersize else 0, offsets=offsets,
                         offset_transform=marker_transform(ax, style),  # the style's marker offset, in points
                         zorder=z + 2 - style.markersize / 100)
    art.set_transform(IdentityTransform())
    ax.add_collection(art, autolim=False)  # the view is always set from the briefing, never fitted to data
    return art


@functools.cache
def _marker_path(marker: str) -> tuple[Path, bool]:
    """The marker's outline in points (as scatter scales it) and whether it is filled."""
    ms = MarkerStyle(marker)
    return ms.get_path().transformed(ms.get_transform()), ms.is_filled()
