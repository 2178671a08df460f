"""Build the built-in briefing's layers from its feature sheet and the base map.

    .venv/bin/python geodata/build_briefing.py

Reads geodata/south-caucasus/features.toml (facts, each with source, date and confidence)
and geodata/base.gpkg (Natural Earth geometry), and writes
resources/briefings/south-caucasus/layers.gpkg. Geometry that follows a border is cut
from the base map's own border line, so delimitation sections lie exactly on it.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pyogrio
import shapely
import shapely.ops
from pyproj import Transformer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as base_build

HERE = Path(__file__).resolve().parent
SHEET = HERE / "south-caucasus" / "features.toml"
BASE = HERE / "base.gpkg"
OUT = HERE.parent / "resources" / "briefings" / "south-caucasus" / "layers.gpkg"

_to_map = Transformer.from_crs("EPSG:4326", base_build.MAP_CRS, always_xy=True)

GEOMETRY_TYPES = {"Point": "point", "LineString": "line", "MultiLineString": "line",
                  "Polygon": "polygon", "MultiPolygon": "polygon"}


def xy(lat: float, lon: float) -> shapely.Point:
    x, y = _to_map.transform(lon, lat)
    return shapely.Point(x, y)


def read_base(layer: str) -> dict[str, shapely.Geometry]:
    _meta, _fids, wkb, fields = pyogrio.raw.read(BASE, layer=layer, columns=["id"])
    return dict(zip(fields[0], shapely.from_wkb(wkb), strict=True))


class Geometry:
    """Turns the sheet's geometry recipes into projected shapes."""

    def __init__(self, geonames: dict[int, tuple[float, float]]):
        self.countries = read_base("countries")
        self.borders = read_base("borders")
        self.geonames = geonames
        self.built: dict[str, dict[str, shapely.Geometry]] = {}
        arm_main = max(shapely.get_parts(self.countries["ARM"]), key=lambda p: p.area)
        aze_parts = sorted(shapely.get_parts(self.countries["AZE"]), key=lambda p: -p.area)
        self.border_parts = {
            "ARM-AZE:mainland": self._shared(arm_main, aze_parts[0]),
            "ARM-AZE:nakhchivan": self._shared(arm_main, aze_parts[1]),
        }
        self.chains: dict[str, dict[str, tuple[float, float]]] = {}

    @staticmethod
    def _shared(a: shapely.Geometry, b: shapely.Geometry) -> shapely.LineString:
        line = base_build.lines_of(shapely.intersection(a.boundary, b.boundary))
        return max(shapely.get_parts(line), key=lambda p: p.length)

    def border(self, name: str) -> shapely.Geometry:
        if name in self.border_parts:
            return self.border_parts[name]
        return self.borders[name]

    def place_chain(self, chain: str, features: list[dict]) -> None:
        """Lay out the sections of one chain on the mainland border without overlaps.

        Each section wants to be centred at its target (the villages projected onto the
        border); where neighbours collide, the block is shifted as a whole so that the
        mean displacement is zero (pool-adjacent-violators on interval centres).
        """
        line = self.border_parts["ARM-AZE:mainland"]
        items = sorted((f for f in features if f["geometry"].get("chain") == chain),
                       key=lambda f: f["geometry"]["order"])
        targets: dict[str, float] = {}
        for f in items:
            g = f["geometry"]
            if "near" in g:
                targets[f["id"]] = float(np.mean([line.project(xy(*p)) for p in g["near"]]))
        for f in items:
            g = f["geometry"]
            if "between" in g:
                a, b = g["between"]
                targets[f["id"]] = (targets[a] + targets[b]) / 2
        widths = [f["geometry"]["drawn_length_km"] * 1000.0 for f in items]
        # blocks of [sum of (target - offset), total width, count, first index]
        blocks: list[list[float]] = []
        for i, f in enumerate(items):
            blocks.append([targets[f["id"]] - widths[i] / 2, widths[i], 1, i])
            while len(blocks) > 1:
                prev, cur = blocks[-2], blocks[-1]
                prev_start = prev[0] / prev[2]
                cur_start = cur[0] / cur[2]
                if prev_start + prev[1] <= cur_start:
                    break
                # merge: cur's start expressed relative to prev's start
                merged_sum = prev[0] + cur[0] - cur[2] * prev[1]
                blocks[-2:] = [[merged_sum, prev[1] + cur[1], prev[2] + cur[2], prev[3]]]
        spans: dict[str, tuple[float, float]] = {}
        for total, _width, count, first in blocks:
            start = total / count
            for i in range(int(first), int(first + count)):
                spans[items[i]["id"]] = (start, start + widths[i])
                start += widths[i]
        self.chains[chain] = spans

    def make(self, layer_id: str, feature: dict) -> shapely.Geometry:
        g = feature["geometry"]
        kind = g["kind"]
        if kind in ("point", "anchor"):
            return xy(g["lat"], g["lon"])
        if kind == "geonames":
            lat, lon = self.geonames[int(g["geonameid"])]
            return xy(lat, lon)
        if kind == "border":
            return self.border(g["border"])
        if kind == "border_section":
            start, end = self.chains[g["chain"]][feature["id"]]
            return shapely.ops.substring(self.border_parts["ARM-AZE:mainland"], start, end)
        if kind == "union_of":
            return shapely.line_merge(shapely.union_all(list(self.built[g["layer"]].values())))
        if kind == "border_rest":
            cut = shapely.union_all(list(self.built[g["minus"]].values()))
            rest = shapely.difference(self.border(g["border"]), shapely.buffer(cut, 0.5, cap_style="flat"))
            return base_build.lines_of(rest)
        if kind == "on_border":
            section = self.built["delimitation_sections"][g["section"]]
            mid = section.interpolate(0.5, normalized=True)
            ahead = section.interpolate(min(section.length, section.project(mid) + 50.0))
            dx, dy = ahead.x - mid.x, ahead.y - mid.y
            norm = math.hypot(dx, dy) or 1.0
            off = g["offset_km"] * 1000.0
            for sign in (1, -1):
                p = shapely.Point(mid.x - sign * dy / norm * off, mid.y + sign * dx / norm * off)
                if self.countries[g["side"]].contains(p):
                    return p
            raise SystemExit(f"{layer_id}/{feature['id']}: no point on the {g['side']} side")
        if kind == "border_band":
            line = self.border(g["border"])
            band = shapely.buffer(line, g["width_km"] * 1000.0, cap_style="flat")
            return base_build.polygonal(shapely.intersection(band, self.countries[g["side"]]))
        if kind == "route":
            pts = [xy(*p) for p in g["waypoints"]]
            if "snap_start" in g:
                b = self.border(g["snap_start"])
                pts.insert(0, b.interpolate(b.project(pts[0])))
            if "snap_end" in g:
                b = self.border(g["snap_end"])
                pts.append(b.interpolate(b.project(pts[-1])))
            pts += [xy(*p) for p in g.get("then", [])]
            return shapely.LineString([(p.x, p.y) for p in pts])
        if kind == "link":
            anchors = self.built["actor_anchors"]
            a, b = anchors[g["from"]], anchors[g["to"]]
            if "via_mid" in g:
                # A link to both parties ends between them (mediation of their talks).
                c = anchors[g["via_mid"]]
                b = shapely.Point((b.x + c.x) / 2, (b.y + c.y) / 2)
            return arc(a, b, g.get("bend", 0.15))
        raise SystemExit(f"{layer_id}/{feature['id']}: unknown geometry kind {kind!r}")


def arc(a: shapely.Point, b: shapely.Point, bend: float, n: int = 32) -> shapely.LineString:
    """A quadratic curve from a to b whose apex stands `bend` × the chord off the chord."""
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    dx, dy = b.x - a.x, b.y - a.y
    cx, cy = mx - dy * bend, my + dx * bend
    t = np.linspace(0.0, 1.0, n)
    x = (1 - t) ** 2 * a.x + 2 * (1 - t) * t * cx + t**2 * b.x
    y = (1 - t) ** 2 * a.y + 2 * (1 - t) * t * cy + t**2 * b.y
    return shapely.LineString(np.column_stack([x, y]))


def load_geonames(cities_dir: Path) -> dict[int, tuple[float, float]]:
    data = json.loads((cities_dir / "cities5000.json").read_text(encoding="utf-8"))
    return {int(c["geonameid"]): (float(c["latitude"]), float(c["longitude"])) for c in data.values()}


def columns_for(features: list[dict]) -> list[str]:
    keys: list[str] = []
    for f in features:
        for k in f:
            if k not in ("geometry", "id") and k not in keys:
                keys.append(k)
    return keys


def write(out: Path, layer_id: str, features: list[dict], geoms: list[shapely.Geometry]) -> None:
    cols = columns_for(features)
    fields = {}
    for c in cols:
        vals = [f.get(c, "") for f in features]
        given = [v for v in vals if v != ""]
        if given and all(isinstance(v, int | float) and not isinstance(v, bool) for v in given):
            # Numbers stay numbers; a feature without one gets NaN (read back as empty).
            fields[c] = [float(v) if v != "" else float("nan") for v in vals]
        else:
            fields[c] = ["" if v == "" else str(v) for v in vals]
    rounded = [base_build.rounded(g) for g in geoms]
    # A layer may mix points, lines and areas (an actor's sites, borders and zones).
    mixed = len({GEOMETRY_TYPES[g.geom_type] for g in geoms}) > 1
    base_build.write_layer(out, layer_id, [f["id"] for f in features], rounded, fields,
                           geometry_type="Unknown" if mixed else None)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--sources", type=Path, default=Path(tempfile.gettempdir()) / "briefmap-sources",
                    help="folder for the fetched source packages (reused when present)")
    args = ap.parse_args(argv)
    out = args.out
    sheet = tomllib.loads(SHEET.read_text(encoding="utf-8"))
    archives = base_build.fetch(args.sources)
    with tempfile.TemporaryDirectory() as work:
        paths = base_build.unpack({k: v for k, v in archives.items()}, Path(work))
        geonames = load_geonames(paths["geonames"].parent)
    geo = Geometry(geonames)
    layers = sheet["layer"]
    for layer in layers:
        chains = {f["geometry"]["chain"] for f in layer["feature"] if "chain" in f["geometry"]}
        for chain in sorted(chains):
            geo.place_chain(chain, layer["feature"])
    tmp = out.with_name(out.stem + ".tmp" + out.suffix)
    tmp.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    # Layers that others refer to are built first, whatever their order in the sheet.
    order = sorted(layers, key=lambda la: (la["id"] not in ("delimitation_sections", "actor_anchors"), 0))
    for layer in order:
        built = {}
        for f in layer["feature"]:
            built[f["id"]] = geo.make(layer["id"], f)
        geo.built[layer["id"]] = built
    for layer in layers:
        feats = layer["feature"]
        write(tmp, layer["id"], feats, [geo.built[layer["id"]][f["id"]] for f in feats])
        counts[layer["id"]] = len(feats)
    tmp.replace(out)
    spans = geo.chains.get("tavush-gazakh", {})
    print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for fid, (s, e) in spans.items():
        print(f"  section {fid}: {s / 1000:.2f}–{e / 1000:.2f} km along the mainland border")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
