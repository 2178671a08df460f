"""Both usages for the contested places of the base map's third-party layers.

geodata/contested-names.toml lists them; the names are checked against the briefing's own
places (geodata/south-caucasus/features.toml), so the table cannot bring in a name the fact
sheet does not give.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely

HERE = Path(__file__).resolve().parent
TABLE = HERE / "contested-names.toml"
SHEET = HERE / "south-caucasus" / "features.toml"
# How far a matched city or unit may lie from the briefing's point for the place.
MAX_OFFSET_M = 5000.0


@dataclass(frozen=True)
class ContestedName:
    place: str
    hy: str
    az: str
    lonlat: tuple[float, float]
    admin1: tuple[str, ...]
    cities: tuple[int, ...]


def load(table: Path = TABLE, sheet: Path = SHEET) -> list[ContestedName]:
    """The table's rows, each checked against the briefing place it names."""
    places = {f["id"]: f for layer in tomllib.loads(sheet.read_text(encoding="utf-8"))["layer"]
              for f in layer.get("feature", [])}
    out = []
    for i, row in enumerate(tomllib.loads(table.read_text(encoding="utf-8"))["place"], start=1):
        where = f"{table.name}: place {i} ({row.get('place')!r})"
        place = places.get(row.get("place"))
        if place is None:
            raise SystemExit(f"{where}: no such place in {sheet.name}")
        usages = (place.get("name_hy_usage"), place.get("name_az_usage"))
        if (row.get("hy"), row.get("az")) != usages or not all(usages):
            raise SystemExit(f"{where}: hy/az must be the place's usages {usages}, found {(row.get('hy'), row.get('az'))}")
        geom = place["geometry"]
        out.append(ContestedName(row["place"], row["hy"], row["az"], (geom["lon"], geom["lat"]),
                                 tuple(row.get("admin1", [])), tuple(row.get("cities", []))))
    return out


def usage_columns(kind: str, keys: Sequence[Hashable], geoms: Sequence[shapely.Geometry],
                  names: list[ContestedName], to_map: Callable) -> dict[str, list[str]]:
    """`name_hy_usage` and `name_az_usage` for a layer's features (empty where not contested).

    `kind` is "admin1" or "cities"; `keys` are what the table matches (the unit's English
    name, the city's GeoNames id); `to_map` projects lon/lat to the layer's CRS.
    """
    hy, az = [""] * len(keys), [""] * len(keys)
    for n in names:
        for key in getattr(n, kind):
            hits = [i for i, k in enumerate(keys) if k == key]
            if len(hits) != 1:
                raise SystemExit(f"{TABLE.name}: {kind} {key!r} ({n.place}) matches {len(hits)} features, expected 1")
            i = hits[0]
            offset = geoms[i].distance(shapely.Point(*to_map(*n.lonlat)))
            if offset > MAX_OFFSET_M:
                raise SystemExit(f"{TABLE.name}: {kind} {key!r} lies {offset / 1000:.0f} km from {n.place}")
            hy[i], az[i] = n.hy, n.az
    return {"name_hy_usage": hy, "name_az_usage": az}
