"""Recovery files: what the editor has not saved yet, kept safe from a crash.

Every minute the editor writes the files of the briefing as they would be saved (the
catalog text, changed panels, changed layer files) into one recovery file per briefing,
in the user's state folder. The file is JSON (no code can run from it), written to a
temporary name and renamed, so a crash while writing leaves the previous one. After a
crash the next start lists the recovery files and offers to restore one: its files are
written over a copy of the briefing in a folder the user chooses (never over the built-in
briefing), and the result is checked like any briefing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefmap.data.writer import atomic_write, copy_folder

FORMAT = "briefmap-recovery"
VERSION = 1
MAX_RECOVERY_BYTES = 200_000_000


class RecoveryError(Exception):
    """A recovery file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Recovery:
    path: Path  # the recovery file
    briefing: Path  # the briefing folder it belongs to
    saved_at: dt.datetime
    summary: str  # what the unsaved edits were (the undo stack's texts)
    files: dict[str, bytes]  # relative path inside the briefing -> content


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "briefmap" / "recovery"


def recovery_path(briefing: Path, state_dir: Path | None = None) -> Path:
    """Where the recovery file of the briefing in `briefing` lives: one per folder."""
    key = hashlib.sha256(str(Path(briefing).resolve()).encode("utf-8")).hexdigest()[:16]
    return (state_dir or default_state_dir()) / f"{key}.json"


def _check_relative(name: str) -> str:
    pure = PurePosixPath(name)
    if (not name or pure.is_absolute() or ":" in name or name.startswith("~")
            or any(part in ("..", "") for part in pure.parts)):
        raise RecoveryError(f"a file name that leaves the briefing folder: {name!r}")
    return pure.as_posix()


def write_recovery(briefing: Path, files: dict[str, bytes | str], summary: str = "", *,
                   state_dir: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Store `files` (relative path -> text or bytes) as the recovery of `briefing`."""
    path = recovery_path(briefing, state_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    entries = {}
    for name, content in files.items():
        raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        entries[_check_relative(name)] = base64.b64encode(raw).decode("ascii")
    doc = {"format": FORMAT, "version": VERSION, "briefing": str(Path(briefing).resolve()),
           "saved_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
           "summary": summary, "files": entries}
    # Unsaved work is the user's alone: the file is private.
    atomic_write(path, json.dumps(doc, ensure_ascii=False, indent=1), mode=0o600)
    return path


def read_recovery(path: Path) -> Recovery:
    """Read and check a recovery file; RecoveryError says what is wrong with it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_RECOVERY_BYTES:
            raise RecoveryError(f"{path}: too large ({size:,} bytes)")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecoveryError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RecoveryError(f"{path}: not a briefmap recovery file")
    if doc.get("version") != VERSION:
        raise RecoveryError(f"{path}: recovery format version {doc.get('version')!r} is not supported")
    entries = doc.get("files")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        raise RecoveryError(f"{path}: 'files' must map names to contents")
    try:
        files = {_check_relative(k): base64.b64decode(v, validate=True) for k, v in entries.items()}
        saved_at = dt.datetime.fromisoformat(str(doc.get("saved_at")))
    except (ValueError, TypeError) as exc:
        raise RecoveryError(f"{path}: {exc}") from None
    return Recovery(path, Path(str(doc.get("briefing", ""))), saved_at, str(doc.get("summary", "")), files)


def pending(state_dir: Path | None = None) -> list[Recovery]:
    """The recovery files left by sessions that did not save, newest first; unreadable
    ones are left out (and left in place for a person to look at)."""
    folder = state_dir or default_state_dir()
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            out.append(read_recovery(path))
        except RecoveryError:
            continue
    return sorted(out, key=lambda r: r.saved_at, reverse=True)


def restore(recovery: Recovery, target: Path) -> Path:
    """Write the recovered files over a copy of the briefing in `target` (a new folder);
    the original folder is left as it was. Returns `target`."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target}: already exists; choose a new folder")
    if not recovery.briefing.is_dir():
        raise RecoveryError(f"{recovery.briefing}: the briefing this recovery belongs to is gone")
    copy_folder(recovery.briefing, target)
    root = target.resolve()
    for name, content in recovery.files.items():
        dest = (root / name).resolve()
        if root not in dest.parents:
            raise RecoveryError(f"a file name that leaves the briefing folder: {name!r}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, content)
    return target


def discard(recovery: Recovery) -> None:
    recovery.path.unlink(missing_ok=True)
