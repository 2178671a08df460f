"""Write a briefing back to its folder: atomic files, a new version, a change-log entry.

The catalog is edited with tomlkit, which keeps the comments, blank lines and key order of
a catalog someone wrote by hand: a table whose id is still there is updated key by key, a
new one is appended, a removed one is dropped. Each file goes to a temporary name in the
same folder, is flushed to disk and then renamed over the old one, so a crash or a full
disk leaves either the old file or the new one, never half of either. The built-in
briefing is read-only: saving it means saving a copy elsewhere (Save As).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomlkit

from briefmap.data.catalog import CATALOG
from briefmap.data.errors import BriefingError
from briefmap.data.paths import builtin_briefing_dir, safe_join
from briefmap.data.toml_merge import merge_section, merge_table
from briefmap.model.briefing import Bookmark, Briefing, Event, LayerSpec, Panel, Scenario, Source, Style


class ReadOnlyBriefing(Exception):
    """The folder may not be written (the built-in briefing): save a copy instead."""


# --------------------------------------------------------------------------- files


def atomic_write(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        # mkstemp makes the file private; a briefing's files are ordinary documents.
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_builtin(root: Path) -> bool:
    try:
        return Path(root).resolve() == builtin_briefing_dir().resolve()
    except OSError:
        return False


def check_writable(root: Path) -> None:
    if is_builtin(root):
        raise ReadOnlyBriefing("the built-in briefing is read-only: save it as a copy in another folder (Save As)")
    if not os.access(root, os.W_OK):
        raise ReadOnlyBriefing(f"{root}: no permission to write in this folder; save a copy elsewhere")


# --------------------------------------------------------------------------- model -> TOML


def _bare(obj: Any, defaults: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    """A dataclass's fields that differ from `defaults`, id first, as plain TOML values."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if f.name != "id" and defaults is not None and value == getattr(defaults, f.name, object()):
            continue
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, str | int | float | bool | list | dt.date):
            out[f.name] = value
    return out


def source_table(s: Source) -> dict[str, Any]:
    return _bare(s, Source(id="", title=""))


def style_table(s: Style) -> dict[str, Any]:
    return _bare(s, Style(id=""))


def layer_table(spec: LayerSpec) -> dict[str, Any]:
    out = _bare(spec, LayerSpec(id="", title="", group="", style="", order=0),
                skip=("style_by", "label_min_rank", "table", "sources"))
    out["title"], out["group"], out["style"], out["order"] = spec.title, spec.group, spec.style, spec.order
    if spec.table and spec.table != spec.id:
        out["table"] = spec.table
    if spec.label_min_rank:
        out["label_max_rank"] = spec.label_min_rank
    if spec.sources:
        out["sources"] = list(spec.sources)
    if spec.style_by:
        rule = tomlkit.inline_table()
        rule["field"] = spec.style_by.field
        styles = tomlkit.inline_table()
        styles.update(spec.style_by.styles)
        rule["styles"] = styles
        out["style_by"] = rule
    return out


def panel_table(p: Panel) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "file": p.file}


def bookmark_table(m: Bookmark) -> dict[str, Any]:
    return {"id": m.id, "title": m.title, "bounds": [float(v) for v in m.bounds]}


def scenario_table(s: Scenario) -> dict[str, Any]:
    out = _bare(s, Scenario(id="", title="", summary="", panel="", layers=()), skip=("annotations", "date"))
    out["title"], out["summary"], out["panel"], out["layers"] = s.title, s.summary, s.panel, list(s.layers)
    if s.date:
        out["date"] = s.date
    if s.annotations:
        notes = tomlkit.array()
        for a in s.annotations:
            t = tomlkit.inline_table()
            t.update({"text": a.text, "lat": a.lat, "lon": a.lon})
            notes.append(t)
        out["annotations"] = notes.multiline(True)
    return out


def event_table(e: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "date": e.date}
    if e.precision != "day":
        out["precision"] = e.precision
    out.update({"title": e.title, "text": e.text, "source": e.source})
    if e.features:
        out["features"] = list(e.features)
    if e.after_article:
        out["after_article"] = True
    if e.confidence:
        out["confidence"] = e.confidence
    return out


SECTIONS = (
    ("sources", lambda b: b.sources.values(), source_table),
    ("styles", lambda b: b.styles.values(), style_table),
    ("layers", lambda b: b.layers, layer_table),
    ("panels", lambda b: b.panels, panel_table),
    ("scenarios", lambda b: b.scenarios, scenario_table),
    ("events", lambda b: b.events, event_table),
    ("bookmarks", lambda b: b.bookmarks, bookmark_table),
)


def _used_styles(b: Briefing) -> set[str]:
    used = {spec.style for spec in b.layers}
    for spec in b.layers:
        if spec.style_by:
            used.update(spec.style_by.styles.values())
    return used


def catalog_document(b: Briefing, existing: str | None = None) -> tomlkit.TOMLDocument:
    """The catalog of `b` as a TOML document, merged into `existing` text when given."""
    doc = tomlkit.parse(existing) if existing else tomlkit.document()
    head = {"id": b.id, "title": b.title}
    if b.subtitle:
        head["subtitle"] = b.subtitle
    head.update({"version": b.version, "default_scenario": b.default_scenario,
                 "default_bookmark": b.default_bookmark, "date_min": b.date_min, "date_max": b.date_max})
    if "briefing" not in doc:
        doc["briefing"] = tomlkit.table()
    article = doc["briefing"].get("article")
    merge_table(doc["briefing"], head | ({"article": article} if article is not None else {}))
    if b.article_title and article is None:
        art = tomlkit.table()
        art.update({"title": b.article_title, "author": b.article_author, "outlet": b.article_outlet,
                    "year": b.article_year, "as_of": b.article_as_of})
        doc["briefing"]["article"] = art
    if b.crs or b.base_map:
        if "map" not in doc:
            doc["map"] = tomlkit.table()
        doc["map"]["crs"] = b.crs
        if b.base_map:
            doc["map"]["base"] = b.base_map
    listed = {t.get("id") for t in doc.get("styles", [])}
    used = _used_styles(b)
    for key, items, to_table in SECTIONS:
        keep = list(items(b))
        if key == "styles":  # a style no layer uses is not added (one the file lists stays)
            keep = [x for x in keep if x.id in used or x.id in listed]
        merge_section(doc, key, [to_table(x) for x in keep], {x.id: _bare(x, None) for x in keep})
    return doc


# --------------------------------------------------------------------------- versions and change log


def bump_version(version: str) -> str:
    """1.0.0 -> 1.0.1; a version without a trailing number gets '.1'."""
    m = re.match(r"^(.*?)(\d+)$", version.strip())
    if not m:
        return f"{version.strip() or '0'}.1"
    return f"{m.group(1)}{int(m.group(2)) + 1}"


def change_log(doc: tomlkit.TOMLDocument) -> list[dict[str, Any]]:
    return [dict(t) for t in doc.get("changes", [])]


def _log_change(doc: tomlkit.TOMLDocument, version: str, when: dt.date, summary: str) -> None:
    entry = {"version": version, "date": when, "summary": summary}
    if "changes" not in doc:
        aot = tomlkit.aot()
        aot.append(tomlkit.item(entry))
        doc["changes"] = aot
    else:
        doc["changes"].append(tomlkit.item(entry))


# --------------------------------------------------------------------------- saving


def save_briefing(b: Briefing, summary: str, *, panels: dict[str, str] | None = None,
                  today: dt.date | None = None, check: bool = True) -> str:
    """Write `b` to its folder (b.root): panels first, the catalog last, each atomically.
    Bumps the version, appends a change-log entry and returns the new version.

    `panels` maps a panel's file to its new text; without it, every panel whose text in
    `b` differs from its file is written (an edit in the panel editor). The folder is then
    validated; a briefing that does not validate is refused: every file
    goes back to what it was and BriefingError lists the problems (`b` keeps the edits).
    """
    root = Path(b.root)
    check_writable(root)
    when = today or dt.date.today()
    catalog_path = root / CATALOG
    existing = catalog_path.read_text(encoding="utf-8") if catalog_path.exists() else None
    before: dict[Path, bytes | None] = {catalog_path: existing.encode("utf-8") if existing is not None else None}
    old_version = b.version
    if panels is None:
        panels = changed_panels(b)
    try:
        for panel in b.panels:
            text = (panels or {}).get(panel.file)
            if text is None:
                continue
            target = safe_join(root, panel.file, file=CATALOG, field="panels.file")
            before[target] = target.read_bytes() if target.is_file() else None
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, text)
        b.version = bump_version(old_version)
        doc = catalog_document(b, existing)
        _log_change(doc, b.version, when, summary)
        atomic_write(catalog_path, tomlkit.dumps(doc))
        if check:
            from briefmap.data.briefing import validate

            problems = validate(root)
            if problems:
                raise BriefingError(problems)
    except BaseException:
        b.version = old_version
        _put_back(before)
        raise
    return b.version


def changed_panels(b: Briefing) -> dict[str, str]:
    """Panel file -> text, for each panel whose text differs from its file in b.root."""
    out = {}
    for panel in b.panels:
        try:
            target = safe_join(Path(b.root), panel.file, file=CATALOG, field="panels.file")
            # Bytes, not read_text: a panel with CRLF line ends is read as it was loaded.
            on_disk = target.read_bytes().decode("utf-8") if target.is_file() else None
        except (BriefingError, OSError, UnicodeDecodeError):
            continue  # a panel file the loader could not read either: left as it is
        if on_disk != panel.text:
            out[panel.file] = panel.text
    return out


def _put_back(before: dict[Path, bytes | None]) -> None:
    for path, content in before.items():
        if content is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, content)


def save_as(b: Briefing, folder: Path, summary: str, *, panels: dict[str, str] | None = None,
            today: dt.date | None = None) -> str:
    """Copy the briefing's folder to a new `folder` (which must not exist) and save there;
    `b.root` then points at the copy."""
    folder = Path(folder)
    if folder.exists():
        raise FileExistsError(f"{folder}: already exists; choose a new folder")
    copy_folder(Path(b.root), folder)
    b.root = folder
    return save_briefing(b, summary, panels=panels, today=today)


def copy_folder(source: Path, target: Path) -> None:
    """Copy a briefing folder beside-then-rename, leaving out temporary and hidden files."""
    tmp = target.with_name(f".{target.name}.copy-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        shutil.copytree(source, tmp, symlinks=False,
                        ignore=shutil.ignore_patterns(".*", "*.part", "__pycache__"))
        if target.exists():
            raise FileExistsError(f"{target}: already exists")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
