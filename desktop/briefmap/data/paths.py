"""Where the shipped data lives, and safe paths inside a briefing's folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from briefmap.data.errors import BriefingError, Problem

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    # In a wheel the data sits inside the package (briefmap/_data/...); in a source
    # checkout (editable install) it is the repository's top-level folder.
    inside = _PACKAGE / "_data" / name
    if inside.exists():
        return inside
    return _PACKAGE.parent.parent / name


def geodata_dir() -> Path:
    return _shipped("geodata")


def resources_dir() -> Path:
    return _shipped("resources")


def basemap_path() -> Path:
    return geodata_dir() / "base.gpkg"


def builtin_briefing_dir() -> Path:
    return resources_dir() / "briefings" / "south-caucasus"


def safe_join(root: Path, relative: str, *, file: str, field: str, line: int | None = None) -> Path:
    """Resolve `relative` inside `root`, refusing anything that would leave it.

    Absolute paths, drive letters, '..' and symbolic links that point outside the folder
    are all rejected with a Problem naming the catalog field.
    """
    def fail(why: str) -> BriefingError:
        return BriefingError([Problem(file, line, field, f"{why}: {relative!r}")])

    if not isinstance(relative, str) or not relative.strip():
        raise fail("expected a relative path inside the briefing folder")
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ":" in relative or relative.startswith("~"):
        raise fail("absolute paths are not allowed; use a path inside the briefing folder")
    if any(part == ".." for part in pure.parts):
        raise fail("paths may not leave the briefing folder ('..')")
    root_resolved = root.resolve()
    target = (root_resolved / Path(*pure.parts)).resolve()
    if root_resolved != target and root_resolved not in target.parents:
        raise fail("the path leads outside the briefing folder")
    return target
