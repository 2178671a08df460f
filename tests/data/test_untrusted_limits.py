"""Bounds on work and memory for untrusted files: SQLite reads stop, budgets refuse up front,
the child process dies on Cancel, repair stays fast, and no text becomes mathtext."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest
import shapely

from briefmap.data import gpkg, user_layers
from briefmap.data.catalog import load_catalog
from briefmap.data.layer_process import import_isolated
from briefmap.data.layers import map_crs
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.user_layers import Cancelled, LayerImportError, import_layer

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "layers"
BUILTIN = load_catalog(builtin_briefing_dir())


def test_every_sqlite_read_has_a_step_budget(monkeypatch):
    path = builtin_briefing_dir() / "layers.gpkg"
    ids, *_ = gpkg.read_table(path, "places")
    assert ids
    monkeypatch.setattr(gpkg, "STEP_BUDGET", 1)
    monkeypatch.setattr(gpkg, "PROGRESS_OPS", 1)
    with pytest.raises(gpkg.GpkgRefused, match="reading stopped: more than 1 steps"):
        gpkg.read_table(path, "places")


def test_wkb_limits():
    ok = shapely.to_wkb(shapely.GeometryCollection([shapely.Point(1, 2), shapely.LineString([(0, 0), (1, 1)])]))
    gpkg.check_wkb(ok)
    with pytest.raises(gpkg.GpkgRefused, match="nested more than 32 levels"):
        gpkg.check_wkb(bytes.fromhex("010700000001000000") * 40 + bytes.fromhex("010700000000000000"))
    with pytest.raises(gpkg.GpkgRefused, match="counts run past its end"):
        gpkg.check_wkb(bytes.fromhex("0102000000ffffff00") + b"\x00" * 32)


def test_memory_budget_refuses_before_reading(monkeypatch):
    monkeypatch.setattr(user_layers, "MEMORY_BUDGET", 1000)
    with pytest.raises(LayerImportError, match=r"good\.geojson: the file is too large to read safely \(\d+ bytes"):
        import_layer(CORPUS / "good.geojson", map_crs(BUILTIN))
    with pytest.raises(LayerImportError, match=r"sites\.zip: the file is too large to read safely \(.* unpacked"):
        import_layer(CORPUS / "sites.zip", map_crs(BUILTIN))


def test_feature_and_vertex_budgets(monkeypatch, tmp_path):
    monkeypatch.setattr(user_layers, "MAX_FEATURES", 1)
    with pytest.raises(LayerImportError, match=r"good\.geojson: too many features \(2; at most 1\)"):
        import_layer(CORPUS / "good.geojson", map_crs(BUILTIN))
    monkeypatch.setattr(user_layers, "MAX_FEATURES", 10)
    monkeypatch.setattr(user_layers, "MAX_VERTICES", 1)
    with pytest.raises(LayerImportError, match=r"too many vertices \(2; at most 1\)"):
        import_layer(CORPUS / "good.geojson", map_crs(BUILTIN))


def comb(n: int) -> list[list[float]]:
    """A polygon whose zigzag edge crosses its base n/2 times (a self-intersecting outline)."""
    k = n // 2
    x = np.linspace(44.0, 46.0, k)
    top = np.column_stack([x, 40.0 + np.where(np.arange(k) % 2 == 0, 0.2, -0.2)])
    base = np.column_stack([x[::-1], np.full(k, 40.0)])
    ring = np.vstack([top, base, top[:1]])
    return ring.tolist()


def test_a_large_self_intersecting_polygon_is_repaired_with_cancel_checks(tmp_path):
    path = tmp_path / "comb.geojson"
    geometry = {"type": "Polygon", "coordinates": [comb(5000)]}
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": geometry}), encoding="utf-8")
    messages = []
    layer = import_layer(path, map_crs(BUILTIN), lambda f, m: messages.append(m) or True)
    assert any("repaired: feature 1" in w for w in layer.warnings)
    g = layer.table.geometries[0]
    assert g.is_valid and g.geom_type == "MultiPolygon" and len(g.geoms) > 1000
    assert "Checking geometry 1 of 1" in messages
    with pytest.raises(Cancelled):
        import_layer(path, map_crs(BUILTIN), lambda f, m: not m.startswith("Checking geometry"))


def test_cancel_kills_the_reading_process():
    before = set(multiprocessing.active_children())
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        import_isolated(CORPUS / "good.geojson", map_crs(BUILTIN), cancelled=cancelled)
    assert set(multiprocessing.active_children()) <= before


def test_the_child_process_returns_the_layer_or_the_message():
    layer = import_isolated(CORPUS / "good.geojson", map_crs(BUILTIN))
    assert len(layer.table) == 2 and layer.table.properties[0]["name"] == "Yerevan office"
    with pytest.raises(LayerImportError, match=r"view\.gpkg: the file holds no layers"):
        import_isolated(CORPUS / "view.gpkg", map_crs(BUILTIN))


def test_no_text_is_parsed_as_mathtext(briefing, tables):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from briefmap.model.view import scenario_state
    from briefmap.render.sheet import SheetOptions, build_sheet

    state = scenario_state(briefing)
    fig, _ = build_sheet(briefing, tables, state, SheetOptions.from_pixels(600, 400, 60))
    texts = [t for t in fig.findobj(Text)]
    assert texts and not any(t.get_parse_math() for t in texts)
    texts[0].set_text(r"$\frac{a}{$ costs $5")
    FigureCanvasAgg(fig).draw()  # would raise in mathtext


def test_a_large_geojson_read_by_gdal_has_its_crs_checked_first(monkeypatch):
    monkeypatch.setattr(user_layers, "LARGE_GEOJSON_BYTES", 10)
    with pytest.raises(LayerImportError, match=r"init-crs\.geojson: coordinate reference system not accepted"):
        import_layer(CORPUS / "init-crs.geojson", map_crs(BUILTIN))
    assert len(import_layer(CORPUS / "good.geojson", map_crs(BUILTIN)).table) == 2
