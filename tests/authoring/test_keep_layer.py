"""A layer the user added is kept in the briefing: in its folder, in its catalog, on the sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shapely

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.keep_layer import keep_user_layer
from briefmap.data.layers import map_crs
from briefmap.data.new_briefing import copy_briefing
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.projection import to_map
from briefmap.data.user_layers import import_layer
from briefmap.data.writer import save_briefing
from briefmap.model.briefing import LayerSpec, Style

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "layers"


def test_a_kept_layer_is_saved_reopened_validated_and_drawn(tmp_path):
    folder = tmp_path / "mine"
    copy_briefing(folder, builtin_briefing_dir())
    b, _ = open_briefing(folder)
    imported = import_layer(CORPUS / "good.geojson", map_crs(b))
    style = Style("user-sites-style", color="#cc79a7", marker="o", markersize=6.0, legend="Our sites")
    spec = LayerSpec("user-sites", "Our sites", "My layers", style.id, 0, label="name", legend="Our sites")
    kept = keep_user_layer(b, spec, style, imported.table, "good.geojson", today=dt.date(2026, 11, 28))
    assert kept.file == "layers/user-sites.gpkg" and (folder / kept.file).is_file()
    save_briefing(b, "Kept the layer Our sites", today=dt.date(2026, 11, 28))
    assert validate(folder) == []
    again, tables = open_briefing(folder)
    table = tables["user-sites"]
    assert [p["name"] for p in table.properties] == ["Yerevan office", "Voskepar visit"]
    assert {p["source"] for p in table.properties} == {"file-good"}
    assert [p["confidence"] for p in table.properties] == [p["confidence"] for p in imported.table.properties]
    assert "good.geojson" in again.sources["file-good"].title and str(CORPUS) not in again.sources["file-good"].title
    x, y = to_map(44.51, 40.18, again.crs)
    assert shapely.distance(table.geometries[0], shapely.Point(x, y)) < 1.0
    assert all("user-sites" in s.layers for s in again.scenarios)
    from briefmap.model.view import scenario_state
    from briefmap.render.sheet import SheetOptions, build_sheet

    _fig, renderer = build_sheet(again, tables, scenario_state(again), SheetOptions.from_preset("slide-16x9"))
    assert renderer.layers["user-sites"].visible
    assert "Yerevan office" in {lab.artist.get_text() for lab in renderer.layers["user-sites"].labels}
