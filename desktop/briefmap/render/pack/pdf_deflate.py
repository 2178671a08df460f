"""A handout's PDF streams deflated with zlib-ng.

matplotlib deflates every content stream with zlib at `pdf.compression` (6): a map sheet's
page is about 1.4 MB of path operators, and zlib spends about 35 ms on each. zlib-ng (the
`zlib-ng` package, which the PNG export uses too) at level 3 does the same in about 8 ms,
for a file about 2 % larger. Any PDF reader inflates either. zlib-ng's output depends only
on its input and level, so the handout keeps the same bytes on every run; ISA-L, tried
first, gave another valid stream now and then and was dropped for that.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from contextlib import contextmanager

LEVEL = 3  # zlib-ng's fastest level that keeps a sheet's page within 2 % of zlib's size


@contextmanager
def fast_streams() -> Iterator[None]:
    """For this block, the PDF backend's streams are deflated by zlib-ng (where installed)."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - a build without zlib-ng keeps zlib
        yield
        return
    from matplotlib.backends import backend_pdf

    def compressobj(level: int = 6):
        return zlib_ng.compressobj(min(level, LEVEL))

    original = backend_pdf.zlib
    backend_pdf.zlib = types.SimpleNamespace(compressobj=compressobj)
    try:
        yield
    finally:
        backend_pdf.zlib = original
