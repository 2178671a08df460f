"""Shapes drawn in the editor: repeated clicks collapse, too few vertices are refused with
the count, a self-crossing outline is repaired into its pieces, a dragged vertex keeps a
ring closed and its holes."""

from __future__ import annotations

import shapely

from briefmap.model.edit_shapes import checked_geometry, shape_from_vertices, vertices, with_vertex_moved


def test_a_double_click_does_not_make_a_line_of_one_vertex():
    got = shape_from_vertices("line", [(0, 0), (0, 0)])
    assert got.geom is None and "at least 2 different vertices; it has 1" in got.error
    line = shape_from_vertices("line", [(0, 0), (10, 0), (10, 0)]).geom
    assert list(line.coords) == [(0, 0), (10, 0)]


def test_an_area_closed_on_its_first_vertex_is_not_counted_twice():
    got = shape_from_vertices("polygon", [(0, 0), (10, 0), (0, 0)])
    assert got.geom is None and "it has 2" in got.error
    square = shape_from_vertices("polygon", [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]).geom
    assert square.area == 100 and len(square.exterior.coords) == 5


def test_a_bow_tie_becomes_two_areas_and_a_line_of_vertices_none():
    bow = shape_from_vertices("polygon", [(0, 0), (10, 10), (10, 0), (0, 10)])
    assert bow.geom.geom_type == "MultiPolygon" and len(bow.geom.geoms) == 2
    assert bow.geom.area == 50 and "crossed itself" in bow.note and "[" not in bow.note
    flat = shape_from_vertices("polygon", [(0, 0), (5, 0), (10, 0)])
    assert flat.geom is None and "encloses no area" in flat.error


def test_dragging_a_vertex_keeps_the_ring_closed_and_the_hole():
    shell = [(0, 0), (10, 0), (10, 10), (0, 10)]
    hole = [(4, 4), (6, 4), (6, 6), (4, 6)]
    poly = shapely.Polygon(shell, [hole])
    assert [v[1] for v in vertices(poly)] == [0, 1, 2, 3]  # the closing vertex is the first
    moved = with_vertex_moved(poly, 0, 2, 20, 20)
    assert moved.exterior.coords[2] == (20, 20) and moved.exterior.is_ring and len(moved.interiors) == 1
    crossing = checked_geometry(with_vertex_moved(poly, 0, 0, 20, 5))  # dragged across the far side
    assert crossing.geom is not None and crossing.geom.is_valid and crossing.note
