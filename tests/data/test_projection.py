"""The map projection written out in briefmap agrees with PROJ."""

from __future__ import annotations

import numpy as np
from pyproj import Transformer

from briefmap.data.catalog import load_catalog
from briefmap.data.layers import map_crs
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.projection import map_projection, to_lonlat, to_map

BUILTIN = load_catalog(builtin_briefing_dir())
CRS = BUILTIN.crs


def test_forward_and_inverse_agree_with_pyproj_to_a_millimetre():
    rng = np.random.default_rng(7)
    lon = rng.uniform(24, 62, 2000)
    lat = rng.uniform(30, 50, 2000)
    t = Transformer.from_crs("EPSG:4326", map_crs(BUILTIN), always_xy=True)
    ex, ey = t.transform(lon, lat)
    x, y = map_projection(CRS).forward(lon, lat)
    assert np.abs(x - ex).max() < 1e-3 and np.abs(y - ey).max() < 1e-3
    back_lon, back_lat = map_projection(CRS).inverse(x, y)
    assert np.abs(back_lon - lon).max() < 1e-9 and np.abs(back_lat - lat).max() < 1e-9


def test_point_helpers():
    x, y = to_map(45.0, 40.5, CRS)
    assert abs(x) < 1e-6 and abs(y) < 1e-6  # the projection's origin
    lon, lat = to_lonlat(*to_map(44.52, 40.18, CRS), CRS)
    assert (round(lon, 6), round(lat, 6)) == (44.52, 40.18)
