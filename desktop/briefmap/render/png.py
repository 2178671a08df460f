"""A PNG writer for the sheet: the "Sub" row filter in numpy and deflate on both cores.

Written here rather than left to Pillow because Pillow's encoder spends most of an A4
300-dpi export (0.2–0.4 s of about 1 s) choosing filters row by row on one core. A map
sheet compresses well with one fixed filter; the deflate stream is cut into blocks that
threads compress side by side (the compressor releases the GIL) and joined with sync
flushes, as pigz does. The output is a standard PNG and the same bytes for the same image
on the same machine.

Deflate is zlib-ng's (the `zlib-ng` package) where it is installed: at level 1 it
compresses an A4 300-dpi sheet in about 12 ms of CPU (zlib: about 40 ms), for a file some
20 % larger than zlib's. zlib stands in where it is not (the same pixels, other bytes).
ISA-L, used before, is faster still (about 6 ms) but not reproducible: the same rows gave,
now and then, another valid stream (other Huffman choices; the same pixels), so two
exports of one view, or the two bands of one export and a whole drawing, differed in
their bytes.
"""

from __future__ import annotations

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

try:
    from zlib_ng import zlib_ng as _deflate
except ImportError:  # pragma: no cover - a build without zlib-ng
    _deflate = zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", _deflate.crc32(kind + data) & 0xFFFFFFFF)


_BASE = 65521  # the largest prime below 2**16, adler32's modulus


def _adler32_combine(a1: int, a2: int, len2: int) -> int:
    """adler32 of A+B from adler32(A), adler32(B) and len(B), as zlib's adler32_combine."""
    rem = len2 % _BASE
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % _BASE
    s1 += (a2 & 0xFFFF) + _BASE - 1
    s2 += ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + _BASE - rem
    s1 %= _BASE
    s2 %= _BASE
    return (s2 << 16) | s1


def _block(band: np.ndarray, bpp: int, last: bool, level: int) -> tuple[bytes, int, int]:
    """Filter a band of rows (Sub), deflate it, and checksum it; runs in a worker thread
    (numpy and the compressor both release the GIL). `band` is (h, W, 4): its alpha is
    dropped here when bpp is 3 (the copy is made band by band, on both cores)."""
    pixels = np.ascontiguousarray(band[:, :, :bpp])
    rows = pixels.reshape(len(band), -1)
    h, width = rows.shape
    filtered = np.empty((h, width + 1), dtype=np.uint8)
    filtered[:, 0] = 1  # filter type Sub: each byte minus the byte one pixel to its left
    filtered[:, 1:bpp + 1] = rows[:, :bpp]
    np.subtract(rows[:, bpp:], rows[:, :-bpp], out=filtered[:, bpp + 1:], dtype=np.uint8, casting="unsafe")
    raw = filtered.reshape(-1)
    c = _deflate.compressobj(level, _deflate.DEFLATED, -15)
    data = c.compress(raw) + c.flush(_deflate.Z_FINISH if last else _deflate.Z_SYNC_FLUSH)
    return data, _deflate.adler32(raw), raw.size


def block_bounds(height: int) -> list[int]:
    """The rows where the deflate stream's blocks start (and the image's end): fixed by the
    height alone, not by the thread count, so the bytes do not depend on the machine."""
    n = max(1, min(16, height // 64))  # 16: a fine enough cut for two bands (banded_png)
    return [round(i * height / n) for i in range(n + 1)]


Block = tuple[bytes, int, int]  # deflated bytes, adler32 of the filtered rows, their length


def encode_blocks(rgba: np.ndarray, first: int, stop: int, bpp: int, level: int = 1,
                  threads: int = 2) -> list[Block]:
    """Blocks first..stop-1 of the whole image `rgba` (rows as `block_bounds` cuts them)."""
    bounds = block_bounds(rgba.shape[0])
    last = len(bounds) - 2

    def block(i: int) -> Block:
        return _block(rgba[bounds[i]:bounds[i + 1]], bpp, i == last, level)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(block, range(first, stop)))


def is_opaque(rgba: np.ndarray) -> bool:
    return bool((rgba[:, :, 3] == 255).all())


def assemble(width: int, height: int, opaque: bool, parts: list[Block], text: dict[str, str] | None = None,
             dpi: float | None = None) -> bytes:
    """PNG bytes from all the image's deflated blocks, in order."""
    checksum = 1
    for _data, adler, size in parts:
        checksum = _adler32_combine(checksum, adler, size)
    stream = b"\x78\x01" + b"".join(p[0] for p in parts) + struct.pack(">I", checksum & 0xFFFFFFFF)
    out = [_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0))]
    if dpi:
        per_metre = round(dpi / 0.0254)
        out.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))  # unit 1: the metre
    for key, value in (text or {}).items():
        try:
            out.append(_chunk(b"tEXt", key.encode("latin-1") + b"\x00" + value.encode("latin-1")))
        except UnicodeEncodeError:  # international text goes in an iTXt chunk, as UTF-8
            out.append(_chunk(b"iTXt", key.encode("latin-1") + b"\x00\x00\x00\x00\x00" + value.encode("utf-8")))
    # IDAT in chunks of 1 MiB, as most encoders do.
    for i in range(0, len(stream), 1 << 20):
        out.append(_chunk(b"IDAT", stream[i:i + (1 << 20)]))
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


def encode(rgba: np.ndarray, text: dict[str, str] | None = None, level: int = 1, threads: int = 2,
           dpi: float | None = None) -> bytes:
    """PNG bytes of an (H, W, 4) uint8 image; RGB when every pixel is opaque. With `dpi`, a
    pHYs chunk carries the resolution, so word processors place the sheet at its print size."""
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError("expected an (H, W, 4) uint8 array")
    h, w, _ = rgba.shape
    opaque = is_opaque(rgba)
    parts = encode_blocks(rgba, 0, len(block_bounds(h)) - 1, 3 if opaque else 4, level, threads)
    return assemble(w, h, opaque, parts, text, dpi)


def write(path: Path, rgba: np.ndarray, text: dict[str, str] | None = None, dpi: float | None = None) -> None:
    Path(path).write_bytes(encode(rgba, text, dpi=dpi))
