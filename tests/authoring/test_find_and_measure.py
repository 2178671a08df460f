"""Find by any name, and geodesic distance."""

from __future__ import annotations

import math

import pytest

from briefmap.data.measure import geodesic_length_km, leg_lengths_km
from briefmap.model.search import find, fold


def test_stepanakert_and_khankendi_find_the_same_feature(tables):
    by_hy = find("Stepanakert", tables.values())
    by_az = find("Khankendi", tables.values())
    refs_hy = {h.ref for h in by_hy if h.score == 0}
    refs_az = {h.ref for h in by_az if h.score == 0}
    assert "places/stepanakert" in refs_hy & refs_az


def test_native_scripts_case_and_diacritics(tables):
    assert "places/stepanakert" in {h.ref for h in find("Ստեփանակերտ", tables.values())}
    assert "places/stepanakert" in {h.ref for h in find("xankendi", tables.values())}
    assert "places/stepanakert" in {h.ref for h in find("XANKƏNDI", tables.values())}
    hits = find("yere", tables.values())
    assert hits and all("yere" in fold(h.matched) for h in hits)
    assert find("", tables.values()) == []
    assert find("no such place anywhere", tables.values()) == []


def test_whole_names_come_before_partial_ones(tables):
    hits = find("Ganja", tables.values())
    scores = [h.score for h in hits]
    assert scores == sorted(scores) and scores[0] == 0


def vincenty_km(lon1, lat1, lon2, lat2):
    """Vincenty's inverse formula on WGS84 (1975), written out independently of pyproj."""
    a, f = 6378137.0, 1 / 298.257223563
    b = (1 - f) * a
    L = math.radians(lon2 - lon1)
    U1, U2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    lam = L
    for _ in range(200):
        sin_s = math.hypot(math.cos(U2) * math.sin(lam),
                           math.cos(U1) * math.sin(U2) - math.sin(U1) * math.cos(U2) * math.cos(lam))
        cos_s = math.sin(U1) * math.sin(U2) + math.cos(U1) * math.cos(U2) * math.cos(lam)
        sigma = math.atan2(sin_s, cos_s)
        sin_a = math.cos(U1) * math.cos(U2) * math.sin(lam) / sin_s
        cos2_a = 1 - sin_a ** 2
        cos_2sm = cos_s - 2 * math.sin(U1) * math.sin(U2) / cos2_a
        C = f / 16 * cos2_a * (4 + f * (4 - 3 * cos2_a))
        prev = lam
        lam = L + (1 - C) * f * sin_a * (sigma + C * sin_s * (cos_2sm + C * cos_s * (-1 + 2 * cos_2sm ** 2)))
        if abs(lam - prev) < 1e-12:
            break
    u2 = cos2_a * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = B * sin_s * (cos_2sm + B / 4 * (cos_s * (-1 + 2 * cos_2sm ** 2)
                                         - B / 6 * cos_2sm * (-3 + 4 * sin_s ** 2) * (-3 + 4 * cos_2sm ** 2)))
    return b * A * (sigma - ds) / 1000.0


# facts.md: Yerevan 40.18, 44.52 · Baku 40.40, 49.88 · Tbilisi 41.72, 44.78 (lat, lon).
YEREVAN, BAKU, TBILISI = (44.52, 40.18), (49.88, 40.40), (44.78, 41.72)


def test_yerevan_to_baku_agrees_with_vincenty():
    expected = vincenty_km(*YEREVAN, *BAKU)
    assert 400 < expected < 500  # a sanity bound on the independent formula itself
    assert geodesic_length_km([YEREVAN, BAKU]) == pytest.approx(expected, abs=0.001)


def test_a_path_is_the_sum_of_its_legs():
    path = [YEREVAN, TBILISI, BAKU]
    legs = leg_lengths_km(path)
    assert legs[0] == pytest.approx(vincenty_km(*YEREVAN, *TBILISI), abs=0.001)
    assert geodesic_length_km(path) == pytest.approx(sum(legs), abs=1e-6)
    assert geodesic_length_km([YEREVAN]) == 0.0
