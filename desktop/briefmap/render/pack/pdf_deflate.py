"""A handout's PDF streams deflated with ISA-L.

matplotlib deflates every content stream with zlib at `pdf.compression` (6): a map sheet's
page is about 0.8 MB of path operators, and zlib spends about 35 ms on each. ISA-L's
deflate (the `isal` package, which the PNG export uses too) at its best level does the
same in about 2.5 ms, for a file about 3 % larger. Any PDF reader inflates either; the
bytes are the same on every run (ISA-L's output depends only on its input and level).
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def isal_streams() -> Iterator[None]:
    """For this block, the PDF backend's streams are deflated by ISA-L (where installed)."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a build without ISA-L keeps zlib
        yield
        return
    from matplotlib.backends import backend_pdf

    def compressobj(level: int = 6):
        return isal_zlib.compressobj(min(level, isal_zlib.ISAL_BEST_COMPRESSION))

    original = backend_pdf.zlib
    backend_pdf.zlib = types.SimpleNamespace(compressobj=compressobj)
    try:
        yield
    finally:
        backend_pdf.zlib = original
