"""Between longitude/latitude and a briefing's projected metres.

Every briefing's map is Lambert Conformal Conic on WGS84; the catalog's `[map] crs` gives
its PROJ string (the built-in briefing's is also in geodata/provenance.toml), so each
function here takes that string. The forward and inverse formulas are written out here (Snyder, "Map Projections:
A Working Manual", 1987, pp. 107–109) instead of calling pyproj, whose import and set-up
cost about 0.15 s on the way to the first painted map and to every export; a test holds
them to pyproj within a millimetre. Reprojecting users' files still goes through pyproj.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache

import numpy as np

from briefmap.data.paths import geodata_dir

_A = 6378137.0
_F = 1 / 298.257223563
_E = math.sqrt(2 * _F - _F * _F)


def _params(proj: str) -> dict[str, float]:
    out = {}
    for token in proj.split():
        if token.startswith("+") and "=" in token:
            key, value = token[1:].split("=", 1)
            try:
                out[key] = float(value)
            except ValueError:
                out[key] = value
    if out.get("proj") != "lcc" or out.get("datum", out.get("ellps")) != "WGS84":
        raise ValueError(f"the map projection must be Lambert Conformal Conic on WGS84, not {proj!r}")
    return out


def _t(phi):
    s = np.sin(phi)
    return np.tan(np.pi / 4 - phi / 2) / ((1 - _E * s) / (1 + _E * s)) ** (_E / 2)


def _m(phi):
    s = np.sin(phi)
    return np.cos(phi) / np.sqrt(1 - _E * _E * s * s)


class LambertConformalConic:
    def __init__(self, proj: str):
        p = _params(proj)
        phi1, phi2 = math.radians(p["lat_1"]), math.radians(p["lat_2"])
        self.phi0, self.lam0 = math.radians(p["lat_0"]), math.radians(p["lon_0"])
        self.x0, self.y0 = p.get("x_0", 0.0), p.get("y_0", 0.0)
        m1, m2 = _m(phi1), _m(phi2)
        t1, t2, t0 = _t(phi1), _t(phi2), _t(self.phi0)
        self.n = (math.log(m1) - math.log(m2)) / (math.log(t1) - math.log(t2)) if phi1 != phi2 else math.sin(phi1)
        self.f = m1 / (self.n * t1 ** self.n)
        self.rho0 = _A * self.f * t0 ** self.n

    def forward(self, lon, lat):
        lam, phi = np.radians(lon), np.radians(lat)
        rho = _A * self.f * _t(phi) ** self.n
        # Longitudes measured from the central meridian, so a map across the antimeridian works.
        theta = self.n * ((lam - self.lam0 + np.pi) % (2 * np.pi) - np.pi)
        return self.x0 + rho * np.sin(theta), self.y0 + self.rho0 - rho * np.cos(theta)

    def inverse(self, x, y):
        dx, dy = np.asarray(x, dtype=float) - self.x0, self.rho0 - (np.asarray(y, dtype=float) - self.y0)
        rho = np.sign(self.n) * np.sqrt(dx * dx + dy * dy)
        theta = np.arctan2(np.sign(self.n) * dx, np.sign(self.n) * dy)
        t = (rho / (_A * self.f)) ** (1 / self.n)
        phi = np.pi / 2 - 2 * np.arctan(t)
        for _ in range(8):  # converges to well below a millimetre in three or four steps
            s = np.sin(phi)
            phi = np.pi / 2 - 2 * np.arctan(t * ((1 - _E * s) / (1 + _E * s)) ** (_E / 2))
        lon = (np.degrees(theta / self.n + self.lam0) + 180.0) % 360.0 - 180.0
        return lon, np.degrees(phi)


@lru_cache(maxsize=1)
def shipped_crs() -> str:
    """The projection of the base map that ships with briefmap (the built-in briefing's)."""
    with open(geodata_dir() / "provenance.toml", "rb") as fh:
        return str(tomllib.load(fh)["map_crs"])


@lru_cache(maxsize=16)
def map_projection(crs: str) -> LambertConformalConic:
    return LambertConformalConic(crs)


def fitted_lcc(bounds: tuple[float, float, float, float]) -> str:
    """A Lambert conformal conic fitted to a lon/lat box: standard parallels at 1/6 and 5/6
    of its latitude span keep the scale error small across it; centred on the box."""
    lon0, lat0, lon1, lat1 = bounds
    if lon1 < lon0:  # the box crosses the antimeridian
        lon1 += 360.0
    span = lat1 - lat0
    centre_lon = (lon0 + lon1) / 2
    centre_lon = centre_lon - 360.0 if centre_lon > 180 else centre_lon
    return (f"+proj=lcc +lat_0={round((lat0 + lat1) / 2, 4):g} +lon_0={round(centre_lon, 4):g} "
            f"+lat_1={round(lat0 + span / 6, 4):g} +lat_2={round(lat0 + 5 * span / 6, 4):g} "
            "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")


def to_map(lon: float, lat: float, crs: str) -> tuple[float, float]:
    x, y = map_projection(crs).forward(lon, lat)
    return float(x), float(y)


def to_lonlat(x: float, y: float, crs: str) -> tuple[float, float]:
    lon, lat = map_projection(crs).inverse(x, y)
    return float(lon), float(lat)


def bounds_to_map(bounds: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    """A lon/lat box as the projected box that contains it (edges are curved once projected).
    West > east means the box crosses the antimeridian."""
    lon0, lat0, lon1, lat1 = bounds
    if lon1 < lon0:
        lon1 += 360.0
    t = np.linspace(0.0, 1.0, 17)
    lons = np.concatenate([lon0 + (lon1 - lon0) * t, lon0 + (lon1 - lon0) * t, np.full(17, lon0), np.full(17, lon1)])
    lats = np.concatenate([np.full(17, lat0), np.full(17, lat1), lat0 + (lat1 - lat0) * t, lat0 + (lat1 - lat0) * t])
    xs, ys = map_projection(crs).forward(lons, lats)
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())
