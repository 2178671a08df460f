"""Read a briefing's catalog (catalog.toml) into the model, checking every field.

Every problem is collected, not only the first, and each names its file, line and field.
The catalog is data only: TOML cannot run code, and every file it names must stay inside
the briefing's folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from briefmap.data.bbox import box_problem
from briefmap.data.errors import BriefingError, Problem
from briefmap.data.paths import PathProblem, describe_path_problem, read_regular, safe_join, shown_path
from briefmap.data.projection import LambertConformalConic, shipped_crs
from briefmap.data.toml_lines import KeyLines
from briefmap.model.briefing import (
    Annotation,
    Bookmark,
    Briefing,
    Event,
    LayerSpec,
    Panel,
    Scenario,
    Source,
    Style,
    StyleRule,
)

CATALOG = "catalog.toml"
MAX_CATALOG_BYTES = 1_000_000
MAX_PANEL_BYTES = 1_000_000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
BASE_LAYERS = ("countries", "borders", "admin1", "lakes", "seas", "nk_oblast_1991",
               "ceasefire_1994", "cities")
PRECISIONS = ("day", "month", "year")
MAX_TEXT_CHARS = 5000  # a title, description or key point is read by people, not megabytes
MAX_LIST_ITEMS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str) -> str | None:
    """Why a catalog text cannot be used (too long, control characters), or None."""
    if len(value) > MAX_TEXT_CHARS:
        return f"text too long ({len(value):,} characters; at most {MAX_TEXT_CHARS:,})"
    m = _CONTROL.search(value)
    if m:
        return f"control character U+{ord(m.group()):04X} at character {m.start() + 1} is not allowed in text"
    return None

_STYLE_FIELDS = {f: t for f, t in Style.__annotations__.items() if f != "id"}
_COLOR = re.compile(r"^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|none)$")
_LINESTYLES = ("solid", "dashed", "dotted", "dashdot")
_MARKERS = ("o", "s", "^", "v", "D", "*", "P", "X", "h", "p", "d", "<", ">")


class _Reader:
    """Typed access to the parsed TOML that records problems with their line numbers."""

    def __init__(self, file: str, lines: KeyLines):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str) -> None:
        field = ".".join(str(p) for p in path if isinstance(p, str))
        self.problems.append(Problem(self.file, self.lines.line(path), field, message))

    def get(self, table: dict, path: tuple, key: str, kind: type | tuple, *,
            required: bool = True, default: Any = None) -> Any:
        if not isinstance(table, dict):
            return default
        if key not in table:
            if required:
                self.problem((*path, key), f"missing (expected {_kind_name(kind)})")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.problem((*path, key), f"expected {_kind_name(kind)}, found {type(value).__name__} {value!r}"[:200])
            return default
        if isinstance(value, str) and (why := text_problem(value)):
            self.problem((*path, key), why)
            return default
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
            self.problem((*path, key), f"too many items ({len(value):,}; at most {MAX_LIST_ITEMS:,})")
            return default
        return value

    def ident(self, table: dict, path: tuple, key: str = "id") -> str:
        value = self.get(table, path, key, str, default="")
        if value and not ID_PATTERN.match(value):
            self.problem((*path, key), f"expected an id of lower-case letters, digits, '-' or '_', found {value!r}")
        return value

    def date(self, table: dict, path: tuple, key: str, *, required: bool = True) -> dt.date | None:
        value = self.get(table, path, key, (dt.date, str), required=required)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.problem((*path, key), f"expected a date YYYY-MM-DD, found {value!r}")
                return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not DATE_MIN <= value <= DATE_MAX:
            self.problem((*path, key), f"date {value.isoformat()} is out of range "
                                       f"({DATE_MIN.isoformat()} to {DATE_MAX.isoformat()})")
            return None
        return value

    def strings(self, table: dict, path: tuple, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.get(table, path, key, list, required=required, default=[])
        if not all(isinstance(v, str) for v in value):
            self.problem((*path, key), "expected a list of strings")
            return ()
        for v in value:
            if why := text_problem(v):
                self.problem((*path, key), why)
                return ()
        return tuple(value)

    def tables(self, data: dict, key: str, *, required: bool = True) -> list[dict]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((key,), "missing: the catalog must list at least one")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem((key,), f"expected an array of tables ([[{key}]])")
            return []
        return value


def _kind_name(kind: type | tuple) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table", dt.date: "a date"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_catalog_text(root: Path) -> str:
    why = describe_path_problem(root, folder=True, with_path=False)
    if why:
        raise BriefingError([Problem(shown_path(root), None, "", f"not a briefing folder ({why})")])
    if not (root / CATALOG).exists() and not (root / CATALOG).is_symlink():
        raise BriefingError([Problem(CATALOG, None, "", f"missing: a briefing folder needs {CATALOG}")])
    path = safe_join(root, CATALOG, file=CATALOG, field="")
    try:
        raw = read_regular(path, MAX_CATALOG_BYTES)
    except PathProblem as exc:
        raise BriefingError([Problem(CATALOG, None, "", str(exc))]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefingError([Problem(CATALOG, None, "", f"not UTF-8 text (byte {exc.start})")]) from None


def load_catalog(root: Path) -> Briefing:
    """Parse and check `root/catalog.toml`; raise BriefingError listing every problem."""
    briefing, problems = parse_catalog(root)
    if problems:
        raise BriefingError(problems)
    return briefing


def parse_catalog(root: Path) -> tuple[Briefing, list[Problem]]:
    """The briefing as far as it could be read, and every problem found on the way.

    Raises BriefingError only when nothing can be read (no folder, no catalog, not TOML).
    """
    root = Path(root)
    text = read_catalog_text(root)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise BriefingError([Problem(CATALOG, None, "", "not usable TOML: arrays or tables nested too deeply")]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise BriefingError([Problem(CATALOG, int(m.group(1)) if m else None, "",
                                     f"not valid TOML: {exc}")]) from None
    r = _Reader(CATALOG, KeyLines(text))
    b = _briefing(r, root, data)
    return b, r.problems


def _briefing(r: _Reader, root: Path, data: dict) -> Briefing:
    head = r.get(data, (), "briefing", dict, default={})
    p = ("briefing",)
    # A briefing that summarises one article names it; a briefing made with `briefmap new`
    # has none, and then the article's date defaults to the end of the briefing's range.
    has_article = isinstance(head, dict) and "article" in head
    article = r.get(head, p, "article", dict, required=False, default={})
    pa = ("briefing", "article")
    b = Briefing(
        id=r.ident(head, p),
        title=r.get(head, p, "title", str, default=""),
        version=r.get(head, p, "version", str, default=""),
        subtitle=r.get(head, p, "subtitle", str, required=False, default=""),
        root=root,
        article_title=r.get(article, pa, "title", str, required=has_article, default=""),
        article_author=r.get(article, pa, "author", str, required=has_article, default=""),
        article_outlet=r.get(article, pa, "outlet", str, required=has_article, default=""),
        article_year=r.get(article, pa, "year", str, required=has_article, default=""),
        article_as_of=r.date(article, pa, "as_of") or DATE_MIN if has_article else DATE_MIN,
        default_scenario=r.get(head, p, "default_scenario", str, default=""),
        default_bookmark=r.get(head, p, "default_bookmark", str, default=""),
        date_min=r.date(head, p, "date_min") or DATE_MIN,
        date_max=r.date(head, p, "date_max") or DATE_MAX,
    )
    if b.date_min > b.date_max:
        r.problem((*p, "date_max"), "must not be before date_min")
    if not has_article:
        b.article_as_of = b.date_max
    _map(r, root, data, b)

    b.sources = _unique(r, "sources", [_source(r, t, ("sources", i))
                                       for i, t in enumerate(r.tables(data, "sources"))])
    b.styles = _unique(r, "styles", [_style(r, t, ("styles", i))
                                     for i, t in enumerate(r.tables(data, "styles"))])
    b.layers = list(_unique(r, "layers", [_layer(r, root, t, ("layers", i), b)
                                          for i, t in enumerate(r.tables(data, "layers"))]).values())
    b.panels = list(_unique(r, "panels", [_panel(r, root, t, ("panels", i))
                                          for i, t in enumerate(r.tables(data, "panels"))]).values())
    b.bookmarks = list(_unique(r, "bookmarks", [_bookmark(r, t, ("bookmarks", i))
                                                for i, t in enumerate(r.tables(data, "bookmarks"))]).values())
    b.scenarios = list(_unique(r, "scenarios", [_scenario(r, t, ("scenarios", i), b)
                                                for i, t in enumerate(r.tables(data, "scenarios"))]).values())
    b.events = sorted(_unique(r, "events", [_event(r, t, ("events", i), b)
                                            for i, t in enumerate(r.tables(data, "events", required=False))]).values(),
                      key=lambda e: (e.date, e.id))
    if b.default_scenario and b.default_scenario not in {s.id for s in b.scenarios}:
        r.problem((*p, "default_scenario"), f"unknown scenario {b.default_scenario!r}")
    if b.default_bookmark and b.default_bookmark not in {m.id for m in b.bookmarks}:
        r.problem((*p, "default_bookmark"), f"unknown bookmark {b.default_bookmark!r}")
    return b


def _map(r: _Reader, root: Path, data: dict, b: Briefing) -> None:
    """`[map]`: the projection (a PROJ string) and the briefing's own base map. Without it
    the briefing uses the base map that ships with briefmap, in that map's projection."""
    table = r.get(data, (), "map", dict, required=False, default={})
    crs = r.get(table, ("map",), "crs", str, required=False, default="")
    base = r.get(table, ("map",), "base", str, required=False, default="")
    if crs:
        try:
            LambertConformalConic(crs)
        except (ValueError, KeyError) as exc:
            detail = str(exc) if isinstance(exc, ValueError) else f"missing +{exc.args[0]}"
            r.problem(("map", "crs"), detail)
            crs = ""
    elif base:
        r.problem(("map", "crs"), "missing: a briefing with its own base map must give the map's projection")
    if base:
        try:
            target = safe_join(root, base, file=CATALOG, field="map.base", line=r.lines.line(("map", "base")))
            if not target.is_file():
                r.problem(("map", "base"), f"file not found in the briefing folder: {base!r}")
            elif target.suffix.lower() != ".gpkg":
                r.problem(("map", "base"), f"expected a GeoPackage (.gpkg), found {target.suffix!r}")
        except BriefingError as exc:
            r.problems.extend(exc.problems)
    b.crs = crs or shipped_crs()
    b.base_map = base


def _unique(r: _Reader, key: str, items: list[tuple[tuple, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, item in items:
        if item is None:
            continue
        if item.id in out:
            r.problem((*path, "id"), f"duplicate id {item.id!r} in [[{key}]]")
            continue
        out[item.id] = item
    return out


def _source(r: _Reader, t: dict, path: tuple) -> tuple[tuple, Source | None]:
    sid = r.ident(t, path)
    s = Source(
        id=sid,
        title=r.get(t, path, "title", str, default=""),
        publisher=r.get(t, path, "publisher", str, required=False, default=""),
        author=r.get(t, path, "author", str, required=False, default=""),
        url=r.get(t, path, "url", str, required=False, default=""),
        date=r.get(t, path, "date", str, required=False, default=""),
        licence=r.get(t, path, "licence", str, required=False, default=""),
        note=r.get(t, path, "note", str, required=False, default=""),
    )
    if s.url and not s.url.startswith(("https://", "http://")):
        r.problem((*path, "url"), f"expected a web address (https://…), found {s.url!r}")
    return path, s if sid else None


def _style(r: _Reader, t: dict, path: tuple) -> tuple[tuple, Style | None]:
    sid = r.ident(t, path)
    values: dict[str, Any] = {}
    for key in t:
        if key == "id":
            continue
        if key not in _STYLE_FIELDS:
            r.problem((*path, key), f"unknown style field (expected one of {', '.join(sorted(_STYLE_FIELDS))})")
            continue
        kind = {"str": str, "float": float, "bool": bool}[_STYLE_FIELDS[key]]
        value = r.get(t, path, key, kind)
        if value is None:
            continue
        if key.endswith("color") and not _COLOR.match(value):
            r.problem((*path, key), f"expected a colour #rrggbb or 'none', found {value!r}")
            continue
        if key == "linestyle" and value not in _LINESTYLES:
            r.problem((*path, key), f"expected one of {', '.join(_LINESTYLES)}, found {value!r}")
            continue
        if key == "marker" and value not in _MARKERS:
            r.problem((*path, key), f"expected one of {' '.join(_MARKERS)}, found {value!r}")
            continue
        if key in ("linewidth", "markersize", "fontsize") and not 0 <= value <= 72:
            r.problem((*path, key), f"expected a size from 0 to 72 points, found {value}")
            continue
        if key in ("marker_dx", "marker_dy") and not -36 <= value <= 36:
            r.problem((*path, key), f"expected a marker offset from -36 to 36 points, found {value}")
            continue
        if key == "alpha" and not 0 <= value <= 1:
            r.problem((*path, key), f"expected an opacity from 0 to 1, found {value}")
            continue
        values[key] = value
    return path, Style(id=sid, **values) if sid else None


def _layer(r: _Reader, root: Path, t: dict, path: tuple, b: Briefing) -> tuple[tuple, LayerSpec | None]:
    lid = r.ident(t, path)
    style = r.get(t, path, "style", str, default="")
    if style and style not in b.styles:
        r.problem((*path, "style"), f"unknown style {style!r} (not in [[styles]])")
    file = r.get(t, path, "file", str, required=False, default="")
    base = r.get(t, path, "base", str, required=False, default="")
    table = r.get(t, path, "table", str, required=False, default="")
    if bool(file) == bool(base):
        r.problem((*path, "file"), "give either 'file' (a layer file in the briefing folder) or 'base' (a base-map layer)")
    if base and base not in BASE_LAYERS:
        r.problem((*path, "base"), f"unknown base-map layer {base!r} (expected one of {', '.join(BASE_LAYERS)})")
    if file:
        try:
            target = safe_join(root, file, file=CATALOG, field="layers.file", line=r.lines.line((*path, "file")))
            if not target.exists():
                r.problem((*path, "file"), f"file not found in the briefing folder: {file!r}")
            elif not target.is_file() or target.is_fifo():
                r.problem((*path, "file"), f"not a regular file (a FIFO, device or folder): {file!r}")
            elif target.suffix.lower() not in (".gpkg", ".geojson", ".json"):
                r.problem((*path, "file"), f"unsupported layer file type {target.suffix!r} (expected .gpkg or .geojson)")
        except BriefingError as exc:
            r.problems.extend(exc.problems)
    rule = None
    style_by = r.get(t, path, "style_by", dict, required=False)
    if style_by is not None:
        sp = (*path, "style_by")
        fld = r.get(style_by, sp, "field", str, default="")
        styles = r.get(style_by, sp, "styles", dict, default={})
        for value, sid in styles.items():
            if not isinstance(sid, str) or sid not in b.styles:
                r.problem((*sp, "styles"), f"value {value!r} names an unknown style {sid!r}")
        rule = StyleRule(fld, {str(k): str(v) for k, v in styles.items()})
    sources = r.strings(t, path, "sources")
    for s in sources:
        if s not in b.sources:
            r.problem((*path, "sources"), f"unknown source {s!r} (not in [[sources]])")
    order = r.get(t, path, "order", int, default=0)
    spec = LayerSpec(
        id=lid,
        title=r.get(t, path, "title", str, default=""),
        group=r.get(t, path, "group", str, default=""),
        style=style,
        order=order,
        visible=r.get(t, path, "visible", bool, required=False, default=True),
        legend=r.get(t, path, "legend", str, required=False, default=""),
        description=r.get(t, path, "description", str, required=False, default=""),
        file=file,
        table=table or lid,
        base=base,
        label=r.get(t, path, "label", str, required=False, default=""),
        label_min_rank=r.get(t, path, "label_max_rank", int, required=False, default=0),
        style_by=rule,
        historical=r.get(t, path, "historical", bool, required=False, default=False),
        schematic=r.get(t, path, "schematic", bool, required=False, default=False),
        after_article=r.get(t, path, "after_article", bool, required=False, default=False),
        sources=sources,
        in_legend=r.get(t, path, "in_legend", bool, required=False, default=True),
    )
    return path, spec if lid else None


def _panel(r: _Reader, root: Path, t: dict, path: tuple) -> tuple[tuple, Panel | None]:
    pid = r.ident(t, path)
    file = r.get(t, path, "file", str, default="")
    text = ""
    if file:
        try:
            target = safe_join(root, file, file=CATALOG, field="panels.file", line=r.lines.line((*path, "file")))
            if not target.exists():
                r.problem((*path, "file"), f"file not found in the briefing folder: {file!r}")
            elif target.is_file() and target.stat().st_size > MAX_PANEL_BYTES:
                r.problem((*path, "file"), f"panel too large ({target.stat().st_size:,} bytes; at most {MAX_PANEL_BYTES:,})")
            else:
                try:
                    text = read_regular(target, MAX_PANEL_BYTES).decode("utf-8")
                except PathProblem as exc:
                    r.problem((*path, "file"), f"{file}: {exc}")
                except UnicodeDecodeError as exc:
                    r.problem((*path, "file"), f"{file}: not UTF-8 text (byte {exc.start})")
        except BriefingError as exc:
            r.problems.extend(exc.problems)
    return path, Panel(id=pid, title=r.get(t, path, "title", str, default=""), file=file, text=text) if pid else None


def _bookmark(r: _Reader, t: dict, path: tuple) -> tuple[tuple, Bookmark | None]:
    bid = r.ident(t, path)
    bounds = r.get(t, path, "bounds", list, default=[])
    ok = len(bounds) == 4 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in bounds)
    if not ok:
        r.problem((*path, "bounds"), "expected four numbers [lon_west, lat_south, lon_east, lat_north]")
        bounds = [0.0, 0.0, 1.0, 1.0]
    lon0, lat0, lon1, lat1 = (float(v) for v in bounds)
    why = box_problem((lon0, lat0, lon1, lat1)) if ok else ""
    if why:
        r.problem((*path, "bounds"), f"coordinates outside the world or in the wrong order: {why}")
    return path, Bookmark(bid, r.get(t, path, "title", str, default=""), (lon0, lat0, lon1, lat1)) if bid else None


def _scenario(r: _Reader, t: dict, path: tuple, b: Briefing) -> tuple[tuple, Scenario | None]:
    sid = r.ident(t, path)
    layers = r.strings(t, path, "layers", required=True)
    known = {spec.id for spec in b.layers}
    for lid in layers:
        if lid not in known:
            r.problem((*path, "layers"), f"unknown layer {lid!r}")
    panel = r.get(t, path, "panel", str, default="")
    if panel and panel not in {p.id for p in b.panels}:
        r.problem((*path, "panel"), f"unknown panel {panel!r}")
    bookmark = r.get(t, path, "bookmark", str, required=False, default="")
    if bookmark and bookmark not in {m.id for m in b.bookmarks}:
        r.problem((*path, "bookmark"), f"unknown bookmark {bookmark!r}")
    highlight = _feature_refs(r, t, path, "highlight", b)
    notes = []
    for i, a in enumerate(r.get(t, path, "annotations", list, required=False, default=[])):
        ap = (*path, "annotations")
        if not isinstance(a, dict):
            r.problem(ap, f"annotation {i + 1}: expected {{ text = …, lat = …, lon = … }}")
            continue
        text = a.get("text")
        lat, lon = a.get("lat"), a.get("lon")
        if not isinstance(text, str) or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            r.problem(ap, f"annotation {i + 1}: expected text, lat and lon")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            r.problem(ap, f"annotation {i + 1}: coordinates outside the world ({lat}, {lon})")
            continue
        notes.append(Annotation(text, float(lat), float(lon)))
    return path, Scenario(
        id=sid,
        title=r.get(t, path, "title", str, default=""),
        summary=r.get(t, path, "summary", str, default=""),
        panel=panel,
        layers=layers,
        highlight=highlight,
        annotations=tuple(notes),
        key_points=r.strings(t, path, "key_points"),
        bookmark=bookmark,
        date=r.date(t, path, "date", required=False),
    ) if sid else None


def _feature_refs(r: _Reader, t: dict, path: tuple, key: str, b: Briefing) -> tuple[str, ...]:
    """A list of 'layer/feature' references whose layers the catalog defines (the features
    themselves are checked once the layers are read)."""
    refs = r.strings(t, path, key)
    known = {spec.id for spec in b.layers}
    for ref in refs:
        if "/" not in ref or ref.split("/", 1)[0] not in known:
            r.problem((*path, key), f"expected 'layer/feature' naming a known layer, found {ref!r}")
    return refs


def _event(r: _Reader, t: dict, path: tuple, b: Briefing) -> tuple[tuple, Event | None]:
    eid = r.ident(t, path)
    date = r.date(t, path, "date")
    source = r.get(t, path, "source", str, default="")
    if source and source not in b.sources:
        r.problem((*path, "source"), f"unknown source {source!r} (not in [[sources]])")
    precision = r.get(t, path, "precision", str, required=False, default="day")
    if precision not in PRECISIONS:
        r.problem((*path, "precision"), f"expected one of {', '.join(PRECISIONS)}, found {precision!r}")
    features = _feature_refs(r, t, path, "features", b)
    if date is None:
        return path, None
    return path, Event(
        id=eid,
        date=date,
        title=r.get(t, path, "title", str, default=""),
        text=r.get(t, path, "text", str, default=""),
        source=source,
        precision=precision,
        features=features,
        after_article=r.get(t, path, "after_article", bool, required=False, default=False),
    ) if eid else None
