"""Writing a sheet to PNG, SVG or PDF: deterministic bytes, the view in the metadata,
and never a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from briefmap import __version__
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState
from briefmap.render.sheet import FONT_FALLBACKS, FONT_FAMILY, SheetOptions, SheetReport, build_sheet, check_size

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
VIEW_KEY = "briefmap:view"
TEXT_KEY = "briefmap:sheet-text"  # the user's title, subtitle and note, for --from


class ExportError(Exception):
    """An export that could not be written; the message says why and where."""


def format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                          f"use one of {', '.join(FORMATS)}")
    return fmt


def check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{path}: {str(folder)!r} is not a folder")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{path}: no permission to write in {str(folder)!r}")
    if path.exists() and (path.is_dir() or not os.access(path, os.W_OK)):
        raise ExportError(f"{path}: cannot replace it (a folder, or read-only)")


def sheet_text_json(opts: SheetOptions) -> str | None:
    words = {k: v for k, v in (("title", opts.title), ("subtitle", opts.subtitle), ("note", opts.note))
             if v is not None}
    return json.dumps(words, sort_keys=True, ensure_ascii=False) if words else None


def metadata(fmt: str, briefing: Briefing, state: ViewState,
             opts: SheetOptions | None = None) -> dict[str, str | None]:
    title = f"{(opts and opts.title) or briefing.title} — {state.scenario}"
    if fmt == "png":
        out = {"Software": f"briefmap {__version__}", "Title": title, "Source": briefing.credit(),
               VIEW_KEY: state.to_json()}
        words = sheet_text_json(opts) if opts else None
        if words:
            out[TEXT_KEY] = words
        return out
    if fmt == "svg":
        return {"Creator": f"briefmap {__version__}", "Date": None, "Title": title,
                "Description": state.to_json()}
    return {"Creator": f"briefmap {__version__}", "Producer": f"briefmap {__version__}",
            "CreationDate": None, "ModDate": None, "Title": title, "Subject": state.to_json()}


def _remove_stale_parts(folder: Path, name: str) -> None:
    """Temporary files left by an export that was killed (its process is gone)."""
    for part in folder.glob(f".{name}.*.part"):
        try:
            pid = int(part.name[len(name) + 2:].split(".", 1)[0])
        except ValueError:
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            part.unlink(missing_ok=True)
        except PermissionError:
            pass


def write_atomic(path: Path, write) -> None:
    """Call write(tmp_path), then rename into place; on any failure the old file stays."""
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_parts(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=folder)
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
    return {"svg.hashsalt": "briefmap", "svg.fonttype": "none", "pdf.fonttype": 42, "font.family": FONT_FAMILY,
            "font.sans-serif": FONT_FALLBACKS, "text.parse_math": False,
            # Unhinted glyphs scale exactly with dpi: the layout stays put.
            "text.hinting": "no_hinting"}


def export_sheet(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState, path: Path,
                 opts: SheetOptions, report: SheetReport | None = None) -> Path:
    """Write the sheet; SheetTooSmall (before anything is written) when no layout fits."""
    path = Path(path)
    fmt = format_for(path)
    check_writable(path)
    check_size(opts)
    import matplotlib

    with matplotlib.rc_context(sheet_rc()):
        fig, _renderer = build_sheet(briefing, tables, state, opts, report)

        def write(tmp: Path) -> None:
            try:
                if fmt == "png":
                    from matplotlib.backends.backend_agg import FigureCanvasAgg

                    from briefmap.render import png

                    canvas = FigureCanvasAgg(fig)
                    canvas.draw()
                    png.write(tmp, np.asarray(canvas.buffer_rgba()), metadata(fmt, briefing, state, opts), dpi=opts.dpi)
                else:
                    _halos_apart(fig)
                    fig.savefig(tmp, format=fmt, dpi=opts.dpi, metadata=metadata(fmt, briefing, state, opts),
                                facecolor="white")
            except OSError as exc:
                raise ExportError(f"{path}: could not write: {exc.strerror or exc}") from None

        write_atomic(path, write)
    return path


def read_view(path: Path) -> ViewState:
    """The view stored in a PNG written by briefmap; ValueError says what is wrong."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            text = getattr(im, "text", {}).get(VIEW_KEY)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"{path}: not a readable PNG ({exc})") from None
    if not text:
        raise ValueError(f"{path}: this PNG carries no briefmap view (was it exported by briefmap?)")
    try:
        return ViewState.from_json(text)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def read_sheet_text(path: Path) -> dict[str, str]:
    """The user's title, subtitle and note stored in a PNG (empty when none were given)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            text = getattr(im, "text", {}).get(TEXT_KEY)
    except OSError:
        return {}
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"{path}: the stored sheet text is not JSON") from None
    if not isinstance(data, dict) or not all(k in ("title", "subtitle", "note") and isinstance(v, str)
                                             for k, v in data.items()):
        raise ValueError(f"{path}: the stored sheet text must map title, subtitle, note to text")
    return data


def sheet_image(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                opts: SheetOptions, fmt: str = "png") -> bytes | np.ndarray:
    """The sheet in memory: an RGBA array for "rgba", or the bytes of an "svg" file (for
    the clipboard and the printer; nothing is written to disk)."""
    import io

    import matplotlib

    check_size(opts)
    with matplotlib.rc_context(sheet_rc()):
        fig, _renderer = build_sheet(briefing, tables, state, opts)
        if fmt == "rgba":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            return np.asarray(canvas.buffer_rgba()).copy()
        _halos_apart(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=opts.dpi, metadata=metadata(fmt, briefing, state, opts), facecolor="white")
        return buf.getvalue()
