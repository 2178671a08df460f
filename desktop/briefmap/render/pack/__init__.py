"""The briefing pack: a PDF handout and a PowerPoint deck from one request, and the
timeline as an animation.

    write_pack(PackRequest(...), "pack.pdf")    # or "deck.pptx"
"""

from __future__ import annotations

from pathlib import Path

from briefmap.render.pack.content import PackCancelled, PackRequest, Progress

__all__ = ["PackCancelled", "PackRequest", "Progress", "write_pack"]


def write_pack(req: PackRequest, path: Path, progress: Progress | None = None, cancelled=None,
               side_by_side: bool = False) -> int:
    """Write the handout (.pdf) or the deck (.pptx); returns its page or slide count.
    Raises PackCancelled (nothing written) when `cancelled()` turns true. `side_by_side`
    draws half of a handout's pages in a forked process: only for a process without
    threads, like the command line."""
    path = Path(path)
    if path.suffix.lower() == ".pptx":
        from briefmap.render.pack.deck import write_deck

        return write_deck(req, path, progress, cancelled)
    from briefmap.render.pack.handout import write_handout

    return write_handout(req, path, progress, cancelled, side_by_side)
