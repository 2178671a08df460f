"""The widths the text measure found (render/text_metrics.py), kept on disk between runs:
the sheet's words are the same export after export, and shaping them is most of what
building a sheet spends on text (some 25 ms of each process of an A4 export).

A width is kept under a key of everything it depends on: matplotlib's version (its
shaper and FreeType come with it), the kerning factor, and each font file the measure
uses, by path, size and modification time; a font that changes, or another font chosen
for the family, makes another key, and the widths are measured again. The file is JSON
(nothing in it can run code) in matplotlib's cache folder, written whole to a temporary
name and renamed into place; one that cannot be read is measured over and replaced.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

NAME = "briefmap-text-widths-v1.json"
# A cap on the file (some 60 kB, read in a millisecond or two; an A4 sheet uses some 300):
# this run's widths first, then earlier ones while there is room.
MAX_WIDTHS = 2000

_lock = threading.Lock()
_widths: dict[str, dict[str, float]] | None = None  # key of the fonts -> {line: width at 100 pt}
_used: dict[str, dict[str, float]] = {}  # looked up or measured in this run
_new = False  # measured in this run: the file is written again


def folder() -> Path:
    import matplotlib as mpl

    return Path(mpl.get_cachedir())


def fonts_key(files: tuple) -> str:
    """The key of the widths measured with these font files (FontPath: a path, a face)."""
    import matplotlib as mpl

    parts = [mpl.__version__, repr(mpl.rcParams["text.kerning_factor"])]
    for font in files:
        path = getattr(font, "path", font)
        try:
            st = os.stat(path)
        except OSError:
            return ""  # a font that cannot be looked at is never kept
        parts.append(f"{path}#{getattr(font, 'face_index', 0)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _load() -> dict[str, dict[str, float]]:
    global _widths
    if _widths is None:
        with _lock:
            if _widths is None:
                _widths = _read(folder() / NAME)
    return _widths


def _read(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: {line: float(w) for line, w in widths.items() if isinstance(w, int | float)}
            for key, widths in data.items() if isinstance(key, str) and isinstance(widths, dict)}


def get(key: str, line: str) -> float | None:
    width = _load().get(key, {}).get(line) if key else None
    if width is not None:
        _used.setdefault(key, {})[line] = width
    return width


def put(key: str, line: str, width: float) -> None:
    global _new
    if key:
        _load().setdefault(key, {})[line] = width
        _used.setdefault(key, {})[line] = width
        _new = True


def _kept() -> dict[str, dict[str, float]]:
    """What the file keeps: this run's widths, then earlier ones up to MAX_WIDTHS."""
    out: dict[str, dict[str, float]] = {}
    room = MAX_WIDTHS
    for source in (_used, _load()):
        for key, widths in source.items():
            for line, width in widths.items():
                if room <= 0:
                    return out
                if line not in out.setdefault(key, {}):
                    out[key][line] = width
                    room -= 1
    return out


def save() -> None:
    """Write the widths, when this run measured any; a folder that cannot be written to
    leaves the measures to the next run."""
    global _new
    if not _new:
        return
    widths = _kept()
    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".briefmap-widths-", suffix=".part", dir=target)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(widths, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target / NAME)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
    _new = False


def forget() -> None:
    """Read the file again on the next measure (tests; a folder that changed)."""
    global _widths, _new
    with _lock:
        _widths = None
        _used.clear()
        _new = False
