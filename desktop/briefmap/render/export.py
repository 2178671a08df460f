"""Writing a sheet to PNG, SVG or PDF: deterministic bytes, the view in the metadata,
and never a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from briefmap import __version__
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState

if TYPE_CHECKING:
    from briefmap.render.sheet import SheetOptions, SheetReport

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
VIEW_KEY = "briefmap:view"
TEXT_KEY = "briefmap:sheet-text"  # the user's title, subtitle and note, for --from
USER_LAYERS_KEY = "briefmap:user-layers"  # {layer id: the file it was read from}


class ExportError(Exception):
    """An export that could not be written; the message says why and where."""


def format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                          f"use one of {', '.join(FORMATS)}")
    return fmt


MAX_NAME_BYTES = 255


def check_writable(path: Path) -> None:
    text = str(path)
    if "\x00" in text:
        raise ExportError(f"{text[:80]!r}: the file name contains a NUL character")
    if len(os.fsencode(path.name)) > MAX_NAME_BYTES:
        raise ExportError(f"{path.name[:40]}…: the file name is too long "
                          f"({len(os.fsencode(path.name)):,} bytes; at most {MAX_NAME_BYTES})")
    try:
        _check_folder(path)
    except OSError as exc:
        raise ExportError(f"{text[:200]}: cannot write there: {exc.strerror or exc}") from None


def _check_folder(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{path}: {str(folder)!r} is not a folder")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{path}: no permission to write in {str(folder)!r}")
    if path.exists() and (path.is_dir() or not os.access(path, os.W_OK)):
        raise ExportError(f"{path}: cannot replace it (a folder, or read-only)")


_CONTROL = str.maketrans({c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]})


def plain(text: str) -> str:
    """Text without control characters: a NUL would make an SVG that is not XML."""
    return text.translate(_CONTROL)


def sheet_text_json(opts: SheetOptions) -> str | None:
    words = {k: plain(v) for k, v in (("title", opts.title), ("subtitle", opts.subtitle), ("note", opts.note))
             if v is not None}
    return json.dumps(words, sort_keys=True, ensure_ascii=False) if words else None


def metadata(fmt: str, briefing: Briefing, state: ViewState,
             opts: SheetOptions | None = None) -> dict[str, str | None]:
    title = plain(f"{(opts and opts.title) or briefing.title} — {state.scenario}")
    if fmt == "png":
        out = {"Software": f"briefmap {__version__}", "Title": title, "Source": plain(briefing.credit()),
               VIEW_KEY: state.to_json()}
        words = sheet_text_json(opts) if opts else None
        if words:
            out[TEXT_KEY] = words
        user = {s.id: s.user_file for s in briefing.layers if s.user_file and s.id in state.visible}
        if user:
            out[USER_LAYERS_KEY] = json.dumps(user, sort_keys=True, ensure_ascii=False)
        return out
    if fmt == "svg":
        return {"Creator": f"briefmap {__version__}", "Date": None, "Title": title,
                "Description": state.to_json()}
    return {"Creator": f"briefmap {__version__}", "Producer": f"briefmap {__version__}",
            "CreationDate": None, "ModDate": None, "Title": title, "Subject": state.to_json()}


PART_PREFIX = ".briefmap-"


def _remove_stale_parts(folder: Path) -> None:
    """Temporary files of ours left in `folder` by an export that was killed (its process is gone)."""
    try:
        parts = list(folder.glob(f"{PART_PREFIX}*.part"))
    except OSError:
        return
    for part in parts:
        try:
            pid = int(part.name[len(PART_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            part.unlink(missing_ok=True)
        except (PermissionError, OverflowError):
            pass


def write_atomic(path: Path, write) -> None:
    """Call write(tmp_path), then rename into place; on any failure the old file stays.

    The temporary name is short (never longer than a name the folder accepts) and carries
    our process id, so the next export to the folder removes one a killed export left."""
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_parts(folder)
    fd, tmp = tempfile.mkstemp(prefix=f"{PART_PREFIX}{os.getpid()}-", suffix=".part", dir=folder)
    os.close(fd)
    try:
        write(Path(tmp))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes the file private; an export gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _halos_apart(fig) -> None:
    """A text drawn with a path effect (the white halo behind map labels) is written as
    outlines. For SVG and PDF the halo becomes a copy of its own, under the text, and the
    text itself stays text: selectable, searchable, editable."""
    from matplotlib import patheffects
    from matplotlib.text import Annotation

    for ax in fig.axes:
        for t in list(ax.texts):
            effects = t.get_path_effects()
            if not effects or not t.get_visible() or not isinstance(t, Annotation):
                continue
            stroke = next((e for e in effects if isinstance(e, patheffects.withStroke)), None)
            if stroke is None:
                continue
            gc = stroke._gc
            halo = ax.annotate(t.get_text(), t.xy, xytext=t.xyann, textcoords=t.anncoords, ha=t.get_ha(),
                               va=t.get_va(), fontproperties=t.get_fontproperties(), color=gc.get("foreground"),
                               zorder=t.get_zorder() - 0.001, annotation_clip=t.get_annotation_clip(),
                               parse_math=False, alpha=t.get_alpha())
            halo.set_path_effects([patheffects.Stroke(linewidth=gc.get("linewidth", 2.2),
                                                      foreground=gc.get("foreground", "white"))])
            t.set_path_effects([])


def sheet_rc() -> dict:
    """Text stays text: <text> in SVG (editable, with fallback families), embedded
    TrueType (Type 42) in PDF, so it can be searched, copied and read aloud."""
    # The sheet's modules load when a sheet is made, not with this module (the window's
    # snapshot and the checks of a file name need none of them).
    from briefmap.render.sheet import FONT_FALLBACKS, FONT_FAMILY

    return {"svg.hashsalt": "briefmap", "svg.fonttype": "none", "pdf.fonttype": 42, "font.family": FONT_FAMILY,
            "font.sans-serif": FONT_FALLBACKS, "text.parse_math": False,
            # Unhinted glyphs scale exactly with dpi: the layout stays put.
            "text.hinting": "no_hinting"}


def export_sheet(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState, path: Path,
                 opts: SheetOptions, report: SheetReport | None = None, two_cores: bool = False) -> Path:
    """Write the sheet; SheetTooSmall when no layout fits (nothing is written).

    `two_cores`: a PNG is built, drawn and deflated in two bands, by a forked process and
    this one (render/banded_png.py), in a process with no other threads: the same bytes.
    The sheet is then built once the temporary file is there, as a drawing is."""
    from briefmap.render.sheet import build_sheet, check_size

    path = Path(path)
    fmt = format_for(path)
    check_writable(path)
    check_size(opts)
    import matplotlib

    with matplotlib.rc_context(sheet_rc()):
        banded = None
        if fmt == "png" and two_cores:
            from briefmap.render import banded_png

            banded = banded_png if banded_png.available() else None
        fig = None if banded else build_sheet(briefing, tables, state, opts, report)[0]

        def write(tmp: Path) -> None:
            nonlocal fig
            data = None  # the PNG's bytes, when made in two bands
            if banded:
                fig, data = banded.sheet_png(lambda: build_sheet(briefing, tables, state, opts, report)[0],
                                             metadata(fmt, briefing, state, opts), opts.dpi)
            try:
                if fmt == "png":
                    from briefmap.render import png
                    from briefmap.render.sheet_canvas import SheetCanvas

                    if data is not None:
                        tmp.write_bytes(data)
                        return
                    canvas = SheetCanvas(fig)
                    canvas.draw()
                    png.write(tmp, np.asarray(canvas.buffer_rgba()), metadata(fmt, briefing, state, opts), dpi=opts.dpi)
                else:
                    _halos_apart(fig)
                    fig.savefig(tmp, format=fmt, dpi=opts.dpi, metadata=metadata(fmt, briefing, state, opts),
                                facecolor="white")
            except OSError as exc:
                raise ExportError(f"{path}: could not write: {exc.strerror or exc}") from None
            except zlib.error as exc:  # the PDF writer's stream, after the disk filled up
                raise ExportError(f"{path}: could not write (disk full?): {exc}") from None

        write_atomic(path, write)
    return path


MAX_VIEW_CHARS = 100_000
MAX_VIEW_LAYERS = 1000
MAX_TEXT_CHUNK = 1_000_000
MAX_CHUNKS = 100_000
NAME_POLICIES = ("both", "armenian", "azerbaijani")
WORLD = 2.1e7  # metres: the map's projected world, with a margin


def png_text(path: Path) -> dict[str, str]:
    """The text chunks of a PNG, read chunk by chunk: pixels are never decoded, so a huge
    (or lying) image header costs nothing. ValueError says what is wrong."""
    import struct
    import zlib

    from briefmap.data.paths import describe_path_problem

    why = describe_path_problem(Path(path))
    if why:
        raise ValueError(why)
    out: dict[str, str] = {}
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if fh.read(8) != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"{path}: not a readable PNG (no PNG signature)")
        for _ in range(MAX_CHUNKS):
            head = fh.read(8)
            if len(head) < 8:
                break
            length, kind = struct.unpack(">I4s", head)
            if kind not in (b"tEXt", b"iTXt", b"zTXt"):
                if kind == b"IEND":
                    break
                fh.seek(length + 4, os.SEEK_CUR)
                continue
            if length > MAX_TEXT_CHUNK:
                raise ValueError(f"{path}: a text chunk of {length:,} bytes is too large")
            data = fh.read(length)
            fh.seek(4, os.SEEK_CUR)
            key, _, rest = data.partition(b"\x00")
            try:
                if kind == b"tEXt":
                    value = rest.decode("latin-1")
                elif kind == b"zTXt":
                    d = zlib.decompressobj()
                    value = d.decompress(rest[1:], MAX_TEXT_CHUNK).decode("latin-1")
                else:
                    compressed, _method = rest[0], rest[1]
                    _lang, _, rest = rest[2:].partition(b"\x00")
                    _tkey, _, text = rest.partition(b"\x00")
                    if compressed:
                        text = zlib.decompressobj().decompress(text, MAX_TEXT_CHUNK)
                    value = text.decode("utf-8")
            except (IndexError, UnicodeDecodeError, zlib.error):
                continue
            out[key.decode("latin-1")] = value
    return out


def check_view(state: ViewState) -> ViewState:
    """A stored view with sane values, or ValueError naming the field."""
    import datetime as dt
    import math

    if len(state.visible) > MAX_VIEW_LAYERS:
        raise ValueError(f"the stored view lists {len(state.visible):,} layers; at most {MAX_VIEW_LAYERS:,}")
    if state.extent is not None:
        x0, y0, x1, y1 = state.extent
        if not all(math.isfinite(v) and abs(v) <= WORLD for v in state.extent) or not (x0 < x1 and y0 < y1):
            raise ValueError(f"the stored view's extent is not an area on the map: {list(state.extent)}")
    if len(state.opacity) > MAX_VIEW_LAYERS:
        raise ValueError("the stored view's field 'opacity' lists too many layers")
    for lid, value in state.opacity.items():
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise ValueError(f"the stored view's opacity of {lid[:60]!r} must be from 0 to 1, found {value}")
    if state.date is not None and not dt.date(1900, 1, 1) <= state.date <= dt.date(2100, 12, 31):
        raise ValueError(f"the stored view's date {state.date} is out of range (1900-01-01 to 2100-12-31)")
    if state.names not in NAME_POLICIES:
        raise ValueError(f"the stored view's naming policy {state.names[:40]!r} is not one of "
                         f"{', '.join(NAME_POLICIES)}")
    return state


def read_view(path: Path) -> ViewState:
    """The view stored in a PNG written by briefmap; ValueError says what is wrong."""
    try:
        text = png_text(path).get(VIEW_KEY)
    except OSError as exc:
        raise ValueError(f"{path}: not a readable PNG ({exc.strerror or exc})") from None
    if not text:
        raise ValueError(f"{path}: this PNG carries no briefmap view (was it exported by briefmap?)")
    if len(text) > MAX_VIEW_CHARS:
        raise ValueError(f"{path}: the stored view is too large ({len(text):,} characters)")
    try:
        return check_view(ViewState.from_json(text))
    except RecursionError:
        raise ValueError(f"{path}: the stored view is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def read_sheet_text(path: Path) -> dict[str, str]:
    """The user's title, subtitle and note stored in a PNG (empty when none were given);
    read from the text chunks without decoding the pixels."""
    text = png_text(path).get(TEXT_KEY)
    if not text:
        return {}
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ValueError(f"{path}: the stored sheet text is not JSON") from None
    if not isinstance(data, dict) or not all(k in ("title", "subtitle", "note") and isinstance(v, str)
                                             for k, v in data.items()):
        raise ValueError(f"{path}: the stored sheet text must map title, subtitle, note to text")
    return data


def read_user_layers(path: Path) -> dict[str, str]:
    """The user's layers a PNG's view shows: {layer id: file}; ValueError when unreadable."""
    text = png_text(path).get(USER_LAYERS_KEY)
    if not text:
        return {}
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ValueError(f"{path}: the stored list of your layers is not readable") from None
    if not isinstance(data, dict) or len(data) > MAX_VIEW_LAYERS or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path}: the stored list of your layers is not readable")
    return data


def sheet_image(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                opts: SheetOptions, fmt: str = "png") -> bytes | np.ndarray:
    """The sheet in memory: an RGBA array for "rgba", or the bytes of an "svg" file (for
    the clipboard and the printer; nothing is written to disk)."""
    import io

    import matplotlib

    from briefmap.render.sheet import build_sheet, check_size

    check_size(opts)
    with matplotlib.rc_context(sheet_rc()):
        fig, _renderer = build_sheet(briefing, tables, state, opts)
        if fmt == "rgba":
            from briefmap.render.sheet_canvas import SheetCanvas

            canvas = SheetCanvas(fig)
            canvas.draw()
            return np.asarray(canvas.buffer_rgba()).copy()
        _halos_apart(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=opts.dpi, metadata=metadata(fmt, briefing, state, opts), facecolor="white")
        return buf.getvalue()
