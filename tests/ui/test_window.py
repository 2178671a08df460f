"""The main window, driven as a user would, with real widgets on the offscreen platform."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication

from briefmap.model.view import scenario_state
from briefmap.ui.app import open_window, wait_for_paint


def layer_artists_visible(win, lid) -> bool:
    la = win.canvas.map_renderer.layers[lid]
    if not la.built:
        return False  # never shown yet: no artists at all
    states = {g.artist.get_visible() for g in la.groups}
    assert len(states) == 1
    return states.pop()


def test_window_opens_and_paints_without_warnings(qtbot, briefing, tables, settings, capfd):
    win = open_window(briefing, tables, settings)
    qtbot.addWidget(win)
    win.show()
    wait_for_paint(win)
    assert win.canvas.frames_drawn >= 1
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()
             and "propagateSizeHints" not in line]  # the offscreen platform's own note
    assert lines == [], lines


def test_checking_a_layer_hides_and_shows_it_and_the_legend(window):
    tree = window.tree
    index = tree.index_of("eu_mission")
    assert tree.check_state(index) == Qt.CheckState.Checked
    assert layer_artists_visible(window, "eu_mission")
    assert "EU Mission in Armenia" in window.canvas.legend_labels
    tree.set_checked(index, False)  # what a click on the box does
    assert not window.model.layers["eu_mission"].visible
    assert not layer_artists_visible(window, "eu_mission")
    assert "eu_mission" not in window.state.visible
    assert "EU Mission in Armenia" not in window.canvas.legend_labels
    tree.set_checked(index, True)
    assert layer_artists_visible(window, "eu_mission")
    assert "EU Mission in Armenia" in window.canvas.legend_labels


def test_model_to_tree_binding(window):
    state = window.state.with_(visible=("countries", "seas"))
    window.apply_state(state)
    tree = window.tree
    checked = {lid for lid in window.model.layers.ids if tree.check_state(tree.index_of(lid)) == Qt.CheckState.Checked}
    assert checked == {"countries", "seas"}
    assert tree.check_state(tree.index_of("places")) == Qt.CheckState.Unchecked
    assert tree.check_state(tree.group_index("Base map")) == Qt.CheckState.PartiallyChecked


def test_set_layer_invisible_makes_item_unchecked(window):
    tree = window.tree
    layer = window.model.layers["places"]
    assert tree.check_state(tree.index_of("places")) == Qt.CheckState.Checked
    layer.visible = False
    assert tree.check_state(tree.index_of("places")) == Qt.CheckState.Unchecked
    layer.visible = True
    assert tree.check_state(tree.index_of("places")) == Qt.CheckState.Checked


def test_unchecking_an_item_makes_the_layer_invisible(window):
    tree = window.tree
    seen = []
    window.model.layers.changed.connect(lambda ids, fields: seen.append((ids, fields)))
    tree.model_.setData(tree.index_of("places"), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert window.model.layers["places"].visible is False
    assert seen == [(("places",), frozenset({"visible"}))]
    tree.model_.setData(tree.index_of("places"), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert window.model.layers["places"].visible is True


def test_group_checkbox_toggles_its_layers(window):
    group = window.tree.group_index("Outside actors")
    window.tree.set_checked(group, True)
    assert {"russia", "eu_mission", "iran", "turkey", "actor_links", "actor_anchors"} <= set(window.state.visible)
    assert window.tree.check_state(group) == Qt.CheckState.Checked
    window.tree.set_checked(group, False)
    assert not {"russia", "eu_mission", "iran", "turkey"} & set(window.state.visible)
    assert not layer_artists_visible(window, "russia")


def test_alt_click_solos_and_restores(qtbot, window):
    before = set(window.state.visible)
    index = window.tree.index_of("russia")
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier,
                     rect.center())
    assert set(window.state.visible) == {"russia"}
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier,
                     rect.center())
    assert set(window.state.visible) == before


def test_v_toggles_the_selected_layers(qtbot, window):
    tree = window.tree
    index = tree.index_of("places")
    tree.setCurrentIndex(index)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_V)
    assert "places" not in window.state.visible
    qtbot.keyClick(tree, Qt.Key.Key_V)
    assert "places" in window.state.visible


def test_opacity_changes_alpha_only(window):
    tree = window.tree
    tree.select_layer("eu_mission")
    assert window.opacity.isEnabled()
    window.canvas.repaint()
    cached = window.canvas.cache["eu_mission"].image
    renders = window.canvas.full_renders
    window.opacity.setValue(40)
    window.canvas.repaint()
    la = window.canvas.map_renderer.layers["eu_mission"]
    assert la.opacity == pytest.approx(0.4)
    assert window.state.opacity["eu_mission"] == pytest.approx(0.4)
    # Painted with the new opacity from the same cached image: nothing re-rendered.
    assert window.canvas.cache["eu_mission"].image is cached
    assert window.canvas.full_renders == renders
    # The export bakes the opacity into the artists.
    from briefmap.render.sheet import SheetOptions, build_sheet

    _fig, renderer = build_sheet(window.briefing, window.tables, window.current_state(),
                                 SheetOptions.from_pixels(600, 400, 60))
    assert all(g.artist.get_alpha() == pytest.approx(0.4) for g in renderer.layers["eu_mission"].groups)


def test_scenario_switch_changes_layers_and_text(window, briefing):
    box = window.scenario_box
    box.setCurrentIndex(box.findData("collapse"))
    assert window.state.scenario == "collapse"
    assert set(window.state.visible) == set(briefing.scenario("collapse").layers)
    assert layer_artists_visible(window, "actor_links")
    assert not layer_artists_visible(window, "delimitation_sections")
    assert "Outcome 3" in window.scenario_text.toPlainText()
    assert window.panels.current == "outcomes"
    assert "talks collapse" in window.panels.browser.toPlainText().lower()
    assert window.canvas.map_renderer._notes  # the scenario's annotations are on the map


def test_timeline_filters_dated_features(window):
    r = window.canvas.map_renderer
    window.timeline_on.setChecked(True)
    day = (dt.date(2024, 1, 1) - window.briefing.date_min).days
    window.slider.setValue(day)
    assert window.state.date == dt.date(2024, 1, 1)
    sections = r.layers["delimitation_sections"]
    assert not any(sections.shown)  # agreed only on 19 April 2024
    assert r.layers["karabakh"].shown[r.layers["karabakh"].table.index("peacekeepers")]
    assert len(sections.groups[0].artist.get_segments()) == 0
    window.slider.setValue((dt.date(2024, 7, 1) - window.briefing.date_min).days)
    assert all(sections.shown)
    assert not r.layers["karabakh"].shown[r.layers["karabakh"].table.index("peacekeepers")]
    assert "all dates" not in window.date_label.text()
    window.timeline_on.setChecked(False)
    assert window.state.date is None and all(sections.shown)


def test_clicking_a_feature_identifies_it_with_its_source(qtbot, window):
    r = window.canvas.map_renderer
    assert window.select_feature("places/gyumri")
    la = r.layers["russia"]
    g = la.table.geometries[la.table.index("ru-102-base")]
    x0, y0, x1, y1 = r.extent()
    c = window.canvas
    pos = QPoint(round((g.x - x0) / (x1 - x0) * c.width()), round((y1 - g.y) / (y1 - y0) * c.height()))
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert window.popup.isVisible()
    text = window.popup.label.text()
    assert "102nd" in text and "Source" in text and "As of" in text and "Confidence" in text
    assert "briefmap fact sheet" in text
    # The town is on top; the base under it is listed too, each with its own source.
    assert window.selected == "places/gyumri"
    assert "Gyumri" in text and text.count("Source") >= 2
    # The passage that mentions the base is shown.
    assert "feature:russia/ru-102-base" in window.briefing.panel(window.panels.current).text


def test_panel_link_selects_and_flies_to_its_feature(window):
    window.panels.show_panel("how-we-got-here")
    before = window.canvas.map_renderer.extent()
    window.panels.browser.anchorClicked.emit(QUrl("feature:delimitation_sections/kirants"))
    assert window.selected == "delimitation_sections/kirants"
    assert window.canvas.map_renderer.selection_artists
    after = window.canvas.map_renderer.extent()
    assert (after[2] - after[0]) < (before[2] - before[0]) / 3  # zoomed in on Tavush
    g = window.tables["delimitation_sections"].geometries[window.tables["delimitation_sections"].index("kirants")]
    assert after[0] < g.centroid.x < after[2] and after[1] < g.centroid.y < after[3]


def test_link_to_a_hidden_layer_shows_it(window):
    assert "later_developments" not in window.state.visible
    window.panels.browser.anchorClicked.emit(QUrl("feature:later_developments/tripp-2025"))
    assert "later_developments" in window.state.visible
    assert window.tree.check_state(window.tree.index_of("later_developments")) == Qt.CheckState.Checked


def test_naming_policy_relabels(window):
    r = window.canvas.map_renderer
    la = r.layers["places"]
    lab = next(lab for lab in la.labels if la.table.ids[lab.index] == "stepanakert")
    assert lab.artist.get_text() == "Stepanakert / Khankendi"
    window.names_box.setCurrentIndex(window.names_box.findData("azerbaijani"))
    assert lab.artist.get_text() == "Khankendi"
    window.names_box.setCurrentIndex(window.names_box.findData("armenian"))
    assert lab.artist.get_text() == "Stepanakert"


def test_bookmarks_and_keyboard_zoom(qtbot, window):
    window.go_to_bookmark("tavush-gazakh")
    x0, _y0, x1, _y1 = window.canvas.map_renderer.extent()
    assert x1 - x0 < 120_000
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Minus)
    nx0, _ny0, nx1, _ny1 = window.canvas.map_renderer.extent()
    assert (nx1 - nx0) == pytest.approx((x1 - x0) * 1.25, rel=1e-6)
    window.reset_view()
    rx0, _ry0, rx1, _ry1 = window.canvas.map_renderer.extent()
    assert rx1 - rx0 > 500_000
    assert window.scale_label.text().startswith("1:")


def test_settings_round_trip(qtbot, briefing, tables, settings):
    win = open_window(briefing, tables, settings)
    qtbot.addWidget(win)
    win.scenario_box.setCurrentIndex(win.scenario_box.findData("stalemate"))
    win.names_box.setCurrentIndex(win.names_box.findData("armenian"))
    win.timeline_on.setChecked(True)
    win.slider.setValue((dt.date(2024, 5, 24) - briefing.date_min).days)
    win.tree.set_checked(win.tree.index_of("cities"), True)
    win.export_dir = "/tmp/exports"
    win.close()
    again = open_window(briefing, tables, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.state.scenario == "stalemate"
    assert again.state.names == "armenian"
    assert again.state.date == dt.date(2024, 5, 24)
    assert "cities" in again.state.visible
    assert again.export_dir == "/tmp/exports"
    assert again.notices == []


def test_corrupt_settings_fall_back_with_a_notice(qtbot, tmp_path, briefing, tables):
    path = tmp_path / "bad.ini"
    path.write_bytes(b"[briefing]\nsouth-caucasus\\scenario=@ByteArray(\xff\xfe\nsouth-caucasus\\date=yesterday\n"
                     b"south-caucasus\\visible=@Variant(\\0\\0\\0\\x7f)\n\x00\x00garbage")
    win = open_window(briefing, tables, QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.state.scenario == briefing.default_scenario
    assert win.state.date is None
    assert win.notices  # the user is told
    assert "Settings" in win.statusBar().currentMessage()


def test_foreign_settings_values_are_ignored(qtbot, tmp_path, briefing, tables):
    s = QSettings(str(tmp_path / "foreign.ini"), QSettings.Format.IniFormat)
    s.setValue("briefing/south-caucasus/scenario", "no-such-scenario")
    s.setValue("briefing/south-caucasus/visible", ["places", "not-a-layer"])
    s.setValue("window/geometry", "not bytes")
    s.sync()
    win = open_window(briefing, tables, QSettings(s.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.state.scenario == briefing.default_scenario
    assert win.state.visible == ("places",)
    assert any("no-such-scenario" in n for n in win.notices)


def test_event_moves_the_timeline_and_selects(window):
    window.go_to_event("handover")
    assert window.state.date == dt.date(2024, 5, 24)
    assert window.selected == "delimitation_sections/kirants"
    item = window.events.item([e.id for e in window.briefing.events].index("handover"))
    assert item.font().bold()


def test_every_toolbar_action_has_a_shortcut_or_widget(window):
    for action in (window.export_action, window.reset_action, window.open_action, window.quit_action):
        assert not action.shortcut().isEmpty()
    assert all(not a.shortcut().isEmpty() for a in window.bookmark_actions.values())


def test_about_lists_version_credit_and_licences(briefing):
    from briefmap import __version__
    from briefmap.ui.about import about_html

    text = about_html(briefing)
    for needle in (__version__, "Artin DerSimonian", "Inkstick", "public domain", "CC BY 4.0", "LGPL"):
        assert needle in text


@pytest.mark.slow
def test_snapshot_writes_the_whole_window(tmp_path, briefing, tables):
    from PIL import Image

    from briefmap.ui.app import snapshot

    out = tmp_path / "window.png"
    snapshot(briefing, tables, scenario_state(briefing), out, (1200, 800))
    with Image.open(out) as im:
        assert im.size[0] >= 1200 and im.size[1] >= 800
        # Not blank: the map and the docks are drawn.
        assert len(set(im.convert("L").resize((60, 40)).get_flattened_data())) > 20
    assert [p.name for p in tmp_path.iterdir()] == ["window.png"]


def test_panels_render_no_html_and_load_nothing(qtbot, briefing):
    from briefmap.ui.panels import SafeBrowser

    b = SafeBrowser()
    qtbot.addWidget(b)
    b.set_markdown("![x](https://example.invalid/a.png)\n\n<script>alert(1)</script> <b>bold</b> "
                   '<img src="file:///etc/passwd">')
    # Raw HTML is shown as text, never interpreted; no resource is fetched.
    assert "<b>bold</b>" in b.toPlainText()
    assert "<script>alert(1)</script>" in b.toPlainText()
    from PySide6.QtGui import QTextDocument

    image = QTextDocument.ResourceType.ImageResource.value
    for url in ("https://example.invalid/a.png", "file:///etc/passwd"):
        # Refused with a placeholder, never a null answer that would let Qt load the file itself.
        got = b.loadResource(image, QUrl(url))
        assert not got.isNull() and got.width() == 12
        assert url in b.document().refused
    assert QApplication.instance() is not None


def test_web_links_open_only_after_confirmation(qtbot, window, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    monkeypatch.setattr(QMessageBox, "exec", lambda *a, **k: QMessageBox.StandardButton.No)
    window.panels.browser.anchorClicked.emit(QUrl("https://www.geonames.org/"))
    assert opened == []
    monkeypatch.setattr(QMessageBox, "exec", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.panels.browser.anchorClicked.emit(QUrl("https://www.geonames.org/"))
    assert opened == ["https://www.geonames.org/"]
    window.panels.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == ["https://www.geonames.org/"]


def test_the_chosen_view_survives_the_window_settling_its_size(qtbot, briefing, tables, settings):
    """A window that starts small and is then maximised still shows the whole region
    (the extent is kept until the user zooms or pans; after that, the scale)."""
    from briefmap.data.projection import bounds_to_map

    win = open_window(briefing, tables, settings)
    qtbot.addWidget(win)
    win.resize(500, 400)
    win.show()
    wait_for_paint(win)
    win.resize(1500, 950)
    QApplication.processEvents()
    bx0, by0, bx1, by1 = bounds_to_map(briefing.bookmark("region").bounds, briefing.crs)
    x0, y0, x1, y1 = win.canvas.map_renderer.extent()
    assert x0 <= bx0 + 1 and bx1 - 1 <= x1 and y0 <= by0 + 1 and by1 - 1 <= y1
    assert (x1 - x0) < 2.5 * (bx1 - bx0)  # fitted, not the tiny window's scale
    win.canvas.zoom(1.25)
    r = win.canvas.map_renderer
    scale = r.metres_per_inch()
    zx0, zy0, zx1, zy1 = r.extent()
    canvas_width = win.canvas.width()
    win.resize(1200, 900)
    QApplication.processEvents()
    assert win.canvas.width() < canvas_width  # the map really got narrower
    # After a zoom, a resize keeps the scale and the centre: the map shows less, not smaller.
    assert r.metres_per_inch() == pytest.approx(scale, rel=1e-6)
    nx0, ny0, nx1, ny1 = r.extent()
    assert (nx0 + nx1) / 2 == pytest.approx((zx0 + zx1) / 2) and (ny0 + ny1) / 2 == pytest.approx((zy0 + zy1) / 2)
    assert nx1 - nx0 < zx1 - zx0


def test_labels_are_drawn_once_and_placed_at_their_features(window):
    import numpy as np

    c = window.canvas
    c.repaint()
    r = c.map_renderer
    la = r.layers["places"]
    lab = next(lab for lab in la.labels if lab.artist.get_visible())
    image = c.grab().toImage()
    x0, y0, x1, y1 = r.extent()
    px = (lab.xy[0] - x0) / (x1 - x0) * c.width()
    py = (y1 - lab.xy[1]) / (y1 - y0) * c.height()
    # Dark text pixels where the layout put the label beside the place's marker (the
    # offset is in points; the canvas draws 100 dpi per logical pixel ratio).
    ratio = image.devicePixelRatio()
    ox, oy = lab.artist.xyann
    cx, cy = px + ox * 100 / 72, py - oy * 100 / 72
    assert abs(ox) < 60 and abs(oy) < 30  # beside the marker, not far away
    dark = [image.pixelColor(int((cx + dx) * ratio), int((cy + dy) * ratio)).lightness()
            for dx in range(-15, 16) for dy in range(-4, 5)]
    assert min(dark) < 90
    sprites = len(c.sprites)
    c.pan_fraction(0.05, 0.0)
    c.repaint()
    # A pan reuses most labels' images: only labels that come into view or take another
    # place beside their anchor need a new one.
    assert len(c.sprites) - sprites <= max(3, len(r.visible_labels()) // 3)
    assert np.isfinite(px) and np.isfinite(py)


def test_reordering_layers_changes_the_drawing_order_only(qtbot, window):
    tree = window.tree
    tree.select_layer("lakes")
    below = window.model.layers.neighbour("lakes", -1)
    assert below == "countries"
    c = window.canvas
    c.repaint()
    cached = c.cache["lakes"].image
    renders = c.full_renders
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    order = list(c.map_renderer.layers)
    assert order.index("lakes") < order.index("countries")  # now drawn under the countries
    assert window.briefing.layer("lakes").order < window.briefing.layer("countries").order
    assert tree.index_of("lakes").row() > tree.index_of("countries").row()
    assert tree.current_layer() == "lakes"  # still selected after the move
    c.repaint()
    assert c.cache["lakes"].image is cached and c.full_renders == renders  # no re-render
    # The export follows the window's order.
    from briefmap.render.sheet import SheetOptions, build_sheet

    _fig, renderer = build_sheet(window.briefing, window.tables, window.current_state(),
                                 SheetOptions.from_pixels(500, 300, 50))
    assert list(renderer.layers).index("lakes") < list(renderer.layers).index("countries")


def test_moving_the_timeline_re_renders_only_dated_layers(window):
    c = window.canvas
    c.repaint()
    countries = c.cache["countries"].image
    renders = c.full_renders
    window.timeline_on.setChecked(True)
    window.slider.setValue((dt.date(2024, 1, 1) - window.briefing.date_min).days)
    c.repaint()
    assert c.cache["countries"].image is countries  # undated: kept
    assert c.full_renders == renders
    assert c.cache["delimitation_sections"].image is None  # not yet agreed on that date: nothing drawn
    window.names_box.setCurrentIndex(window.names_box.findData("armenian"))
    c.repaint()
    assert c.cache["countries"].image is countries


def _pixels(widget):
    import numpy as np

    image = widget.grab().toImage()
    ptr = image.constBits()
    return np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes()).copy()


@pytest.mark.parametrize("lid", ["places", "delimitation_sections"])
def test_toggling_a_layer_off_and_on_leaves_the_map_as_it_was(window, lid):
    """Labels are laid out for the whole visible set, so a re-shown layer's labels do not
    pile up on the others' (they did when a cached layer skipped the layout)."""
    import numpy as np

    c = window.canvas
    c.repaint()
    before = _pixels(c)
    labels_before = [(lab.layer, lab.index) for lab in c.map_renderer.visible_labels()]
    index = window.tree.index_of(lid)
    window.tree.set_checked(index, False)
    c.repaint()
    assert not np.array_equal(_pixels(c), before)  # the layer really went
    window.tree.set_checked(index, True)
    c.repaint()
    assert [(lab.layer, lab.index) for lab in c.map_renderer.visible_labels()] == labels_before
    assert np.array_equal(_pixels(c), before)


def test_reset_view_gives_the_same_labels_as_a_fresh_window(window, qtbot, briefing, tables, settings):
    window.tree.set_checked(window.tree.index_of("places"), False)
    window.go_to_bookmark("tavush-gazakh")
    window.canvas.repaint()
    window.tree.set_checked(window.tree.index_of("places"), True)
    window.reset_view()
    window.canvas.repaint()
    placed = [(lab.layer, lab.index) for lab in window.canvas.map_renderer.visible_labels()]
    from briefmap.ui.app import open_window

    fresh = open_window(briefing, tables, settings, restore=False)
    qtbot.addWidget(fresh)
    fresh.resize(window.size())
    fresh.show()
    wait_for_paint(fresh)
    fresh.canvas.resize(window.canvas.size())
    fresh.fit(fresh.state)
    fresh.canvas.repaint()
    assert window.canvas.map_renderer.extent() == pytest.approx(fresh.canvas.map_renderer.extent())
    assert placed == [(lab.layer, lab.index) for lab in fresh.canvas.map_renderer.visible_labels()]


def test_hiding_a_layer_drops_its_hover_outline(qtbot, window):
    c = window.canvas
    r = c.map_renderer
    la = r.layers["places"]
    g = la.table.geometries[la.table.index("gyumri")]
    window.go_to_bookmark("region")
    c.repaint()
    x0, y0, x1, y1 = r.extent()
    pos = QPoint(round((g.x - x0) / (x1 - x0) * c.width()), round((y1 - g.y) / (y1 - y0) * c.height()))
    qtbot.mouseMove(c, pos)
    assert c._hover_ref == "places/gyumri" and r.hover_artists
    window.tree.set_checked(window.tree.index_of("places"), False)
    assert c._hover_ref == "" and r.hover_artists == []
