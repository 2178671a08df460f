"""The one reprojection for vector data: lon/lat in, the map's projected CRS out."""

from __future__ import annotations

import pytest
import shapely

from briefmap.data.layers import map_crs, reproject
from briefmap.data.projection import to_map


def test_lonlat_points_land_where_the_map_projection_puts_them(briefing):
    yerevan, baku = (44.5126, 40.1776), (49.8671, 40.4093)
    out = reproject([shapely.Point(*yerevan), shapely.Point(*baku)], "EPSG:4326", map_crs(briefing))
    for got, (lon, lat) in zip(out, (yerevan, baku), strict=True):
        assert (got.x, got.y) == pytest.approx(to_map(lon, lat, briefing.crs), abs=0.5)


def test_data_already_in_the_map_crs_is_returned_as_it_is(briefing):
    geoms = [shapely.Point(100.0, 200.0)]
    assert reproject(geoms, map_crs(briefing), map_crs(briefing)) is geoms
    assert reproject(geoms, None, map_crs(briefing)) is geoms
