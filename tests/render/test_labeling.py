"""The label engine on its own: priorities, candidate positions, leaders, obstacles, and
the same answer for the same input whatever came before."""

from __future__ import annotations

from briefmap.render.labeling import CAPITAL, NAMED, OTHER, LabelRequest, edge_point, overlaps, place_labels

FRAME = (0.0, 0.0, 400.0, 300.0)


def point(key, x, y, cls=NAMED, w=60.0, h=12.0, pri=0.0, leader=True):
    return LabelRequest(key, ((x, y),), w, h, cls, pri, gap=5.0, leader_ok=leader)


def test_capital_wins_the_only_place_and_the_rest_moves_or_drops():
    # Two anchors on top of each other: the capital keeps the preferred place (right).
    town = point(1, 200, 150, NAMED, pri=99)
    capital = point(2, 200, 150, CAPITAL)
    layout = place_labels([town, capital], FRAME)
    cap = layout.placed[2]
    assert cap.center[0] > 200 and abs(cap.center[1] - 150) < 1e-6 and not cap.leader
    assert 1 in layout.placed and layout.placed[1].center[0] < 200  # the town goes left


def test_no_two_boxes_overlap_and_none_leaves_the_frame():
    reqs = [point(i, 40 + (i % 7) * 50, 30 + (i // 7) * 40, w=70) for i in range(42)]
    layout = place_labels(reqs, FRAME)
    boxes = [p.box for p in layout.placed.values()]
    assert overlaps(boxes) == []
    assert all(FRAME[0] <= b[0] and b[2] <= FRAME[2] and FRAME[1] <= b[1] and b[3] <= FRAME[3] for b in boxes)
    assert len(layout.placed) + len(layout.dropped) == 42
    assert layout.dropped  # 42 wide labels cannot all fit in 400 × 300


def test_obstacles_push_labels_away_with_a_leader():
    # The furniture covers every position beside the anchor; a leader reaches further out.
    obstacle = (150.0, 120.0, 300.0, 180.0)
    layout = place_labels([point(1, 200, 150)], FRAME, [obstacle])
    p = layout.placed[1]
    assert overlaps([p.box, obstacle]) == []
    assert p.leader
    # Without leaders allowed, it is dropped rather than put over the furniture.
    assert place_labels([point(1, 200, 150, leader=False)], FRAME, [obstacle]).dropped == (1,)


def test_order_of_requests_does_not_change_the_layout():
    reqs = [point(i, 100 + (i * 37) % 200, 80 + (i * 53) % 150, OTHER if i % 3 else NAMED) for i in range(30)]
    a = place_labels(reqs, FRAME)
    b = place_labels(list(reversed(reqs)), FRAME)
    assert a == b


def test_area_label_is_centred_on_its_anchor():
    req = LabelRequest(1, ((200.0, 150.0),), 80.0, 14.0, OTHER)
    p = place_labels([req], FRAME).placed[1]
    assert p.center == (200.0, 150.0) and not p.leader


def test_edge_point_is_where_the_way_out_crosses_the_frame():
    assert edge_point((200, 150), (600, 150), FRAME) == (400, 150)
    x, y = edge_point((200, 150), (200, -300), FRAME, inset=10)
    assert (x, y) == (200, 10)


def test_the_same_view_gets_the_same_labels_whatever_came_before(briefing, tables):
    """Toggling a layer off and on again, or switching scenarios, leaves the labels as a
    fresh map of the same view has them (they used to pile up)."""
    from matplotlib.figure import Figure

    from briefmap.model.view import scenario_state
    from briefmap.render.map_layers import MapRenderer
    from briefmap.render.sheet import default_extent

    def renderer():
        fig = Figure(figsize=(10, 7), dpi=100)
        r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
        return r

    def labels(r):
        return sorted((lab.layer, lab.index, lab.artist.get_text(), tuple(round(v, 1) for v in lab.artist.xy),
                       lab.artist.xyann) for lab in r.visible_labels())

    state = scenario_state(briefing, "overview")
    fresh = renderer()
    fresh.apply(state)
    fresh.set_extent(default_extent(briefing, state))
    fresh.layout_labels()

    used = renderer()
    used.apply(scenario_state(briefing, "collapse"))
    used.set_extent(default_extent(briefing, state))
    used.layout_labels()
    used.apply(state)
    used.model.layers["places"].visible = False  # a toggle goes through the model
    used.layout_labels()
    used.model.layers["places"].visible = True
    used.layout_labels(only="places")
    assert labels(used) == labels(fresh)
    assert any(text == "Yerevan" for _l, _i, text, _xy, _o in labels(fresh))


def test_soft_obstacles_are_avoided_when_possible_and_crossed_when_not():
    arc = [(204.0 + i, 149.0, 206.0 + i, 151.0) for i in range(0, 90, 2)]  # a thin line right of the anchor
    p = place_labels([point(1, 200, 150)], FRAME, soft=arc).placed[1]
    assert not [i for i, _j in overlaps([p.box, *arc]) if i == 0]
    assert p.center[0] < 200  # it took the left side, free of the line
    # Boxed in by the line on every side: it still gets its first choice rather than nothing.
    everywhere = [(x, y, x + 2, y + 2) for x in range(0, 400, 3) for y in range(0, 300, 3)]
    q = place_labels([point(1, 200, 150, leader=False)], FRAME, soft=everywhere).placed[1]
    assert q.center[0] > 200 and not q.leader
