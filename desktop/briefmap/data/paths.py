"""Where the shipped data lives, and safe paths inside a briefing's folder."""

from __future__ import annotations

import errno
import os
import stat
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
    if "\x00" in relative or len(relative) > MAX_PATH_CHARS:
        raise fail("not a usable path (a NUL character, or too long)")
    try:
        root_resolved = root.resolve()
        target = (root_resolved / Path(*pure.parts)).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links, a name too long
        raise fail("the path cannot be resolved (a loop of symbolic links?)") from None
    if root_resolved != target and root_resolved not in target.parents:
        raise fail("the path leads outside the briefing folder")
    return target


MAX_PATH_CHARS = 4096


class PathProblem(ValueError):
    """A path that cannot be read as asked; str() says why, without the path."""


def _short(text: str) -> str:
    return repr(text if len(text) <= 120 else text[:80] + "…" + text[-30:])


def describe_path_problem(path: Path, *, folder: bool = False, with_path: bool = True) -> str | None:
    """Why `path` cannot be read as a regular file (or a folder), or None when it can; the
    reason starts with the path unless `with_path` is False.

    Only regular files are read anywhere: a FIFO or a device would block or never end."""
    why = _path_problem(path, folder)
    if why is None or not with_path or why.startswith(("the path ",)):
        return why
    return f"{_short(str(path))}: {why}"


def shown_path(path: Path) -> str:
    """A path as a message shows it: NUL characters escaped, long ones shortened."""
    return _short(str(path))[1:-1]


def _path_problem(path: Path, folder: bool) -> str | None:
    text = str(path)
    if "\x00" in text:
        return f"the path contains a NUL character: {_short(text)}"
    if len(text) > MAX_PATH_CHARS:
        return f"the path is too long ({len(text):,} characters; at most {MAX_PATH_CHARS:,})"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return f"no such {'folder' if folder else 'file'}"
    except OSError as exc:
        return {errno.ELOOP: "a loop of symbolic links", errno.ENAMETOOLONG: "a name in the path is too long",
                errno.ENOTDIR: "a part of the path is not a folder"}.get(exc.errno, exc.strerror or str(exc))
    if folder:
        return None if stat.S_ISDIR(st.st_mode) else "not a folder"
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO, socket or device"
        return f"not a regular file ({kind})"
    return None


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; PathProblem otherwise.

    Opened without blocking and checked on the open descriptor, so a file swapped for a
    FIFO between a check and the read cannot hang the app."""
    why = describe_path_problem(path, with_path=False)
    if why:
        raise PathProblem(why)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise PathProblem(f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise PathProblem("not a regular file")
        if st.st_size > max_bytes:
            raise PathProblem(f"file too large ({st.st_size:,} bytes; at most {max_bytes:,})")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PathProblem(f"file too large (more than {max_bytes:,} bytes)")
    return data
