"""Read a briefing's catalog (catalog.toml) into the model, checking every field.

Every problem is collected, not only the first, and each names its file, line and field.
The catalog is data only: TOML cannot run code, and every file it names must stay inside
the briefing's folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from briefmap.data.catalog_story import bookmark, event, naming, scenario
from briefmap.data.catalog_toml import parse_catalog_toml
from briefmap.data.errors import BriefingError, Problem
from briefmap.data.paths import PathProblem, describe_path_problem, read_regular, safe_join, shown_path
from briefmap.data.projection import LambertConformalConic, shipped_crs
from briefmap.data.schema import field_keys, read_fields
from briefmap.data.toml_lines import KeyLines
from briefmap.model.briefing import (
    Briefing,
    LayerSpec,
    Panel,
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


class _Reader:
    """Typed access to the parsed TOML that records problems with their line numbers."""

    def __init__(self, file: str, lines: KeyLines):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def join(self, root: Path, relative: str, path: tuple, field: str) -> Path:
        """safe_join; a problem points at the key's line (looked up only for a problem)."""
        try:
            return safe_join(root, relative, file=self.file, field=field)
        except BriefingError as exc:
            raise BriefingError([dataclasses.replace(p, line=self.lines.line(path)) for p in exc.problems]) from None

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
        data = parse_catalog_toml(text)
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
    b.bookmarks = list(_unique(r, "bookmarks", [bookmark(r, t, ("bookmarks", i))
                                                for i, t in enumerate(r.tables(data, "bookmarks"))]).values())
    b.scenarios = list(_unique(r, "scenarios", [scenario(r, t, ("scenarios", i), b)
                                                for i, t in enumerate(r.tables(data, "scenarios"))]).values())
    b.events = sorted(_unique(r, "events", [event(r, t, ("events", i), b)
                                            for i, t in enumerate(r.tables(data, "events", required=False))]).values(),
                      key=lambda e: (e.date, e.id))
    policies = list(_unique(r, "naming", [naming(r, t, ("naming", i))
                                          for i, t in enumerate(r.tables(data, "naming", required=False))]).values())
    if policies:
        b.naming = tuple(policies)
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
            target = r.join(root, base, ("map", "base"), "map.base")
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
    s = Source(**read_fields(r, Source, t, path))
    return path, s if s.id else None


def _style(r: _Reader, t: dict, path: tuple) -> tuple[tuple, Style | None]:
    known = field_keys(Style) - {"id"}
    for key in t:
        if key != "id" and key not in known:
            r.problem((*path, key), f"unknown style field (expected one of {', '.join(sorted(known))})")
    values = read_fields(r, Style, t, path, only_present=True)
    return path, Style(**values) if values.get("id") else None


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
            target = r.join(root, file, (*path, "file"), "layers.file")
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
    values = read_fields(r, LayerSpec, t, path, skip=("id", "style", "file", "base", "table", "sources"))
    spec = LayerSpec(id=lid, style=style, file=file, base=base, table=table or lid, style_by=rule, sources=sources,
                     **values)
    return path, spec if lid else None


def _panel(r: _Reader, root: Path, t: dict, path: tuple) -> tuple[tuple, Panel | None]:
    pid = r.ident(t, path)
    file = r.get(t, path, "file", str, default="")
    text = ""
    if file:
        try:
            target = r.join(root, file, (*path, "file"), "panels.file")
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
    title = read_fields(r, Panel, t, path, skip=("id", "file", "text"))["title"]
    return path, Panel(id=pid, title=title, file=file, text=text) if pid else None
