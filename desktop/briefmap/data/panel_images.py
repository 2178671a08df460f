"""Images in a briefing's panels: one rule for the validator and the window.

A panel may show an image only when it is a regular file inside the briefing folder,
named by a relative path (as the catalog's files are) and not too large. Anything else —
an absolute path, a device, a web address, a link out of the folder — is refused.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from briefmap.data.errors import BriefingError, Problem
from briefmap.data.paths import safe_join

MAX_IMAGE_BYTES = 5_000_000
MAX_IMAGE_PIXELS = 4096 * 4096
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
# ![alt](target "title"): the target is what Qt would load.
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")


def panel_images(text: str) -> list[tuple[str, int]]:
    """The image targets of a panel's Markdown with their line numbers."""
    return [(m.group(1), text.count("\n", 0, m.start()) + 1) for m in MARKDOWN_IMAGE.finditer(text)]


def resolve_panel_image(root: Path, target: str, *, file: str = "", line: int | None = None) -> Path:
    """The image file `target` names inside `root`; BriefingError says why it is refused."""
    def fail(why: str) -> BriefingError:
        return BriefingError([Problem(file, line, "image", f"{why}: {target[:200]!r}")])

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not re.match(r"^[a-zA-Z]:[\\/]", target):
        raise fail("images must be files inside the briefing folder, not addresses")
    try:
        path = safe_join(root, target, file=file, field="image", line=line)
    except BriefingError as exc:
        raise BriefingError([Problem(p.file, p.line, "image", p.message) for p in exc.problems]) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise fail(f"not a usable path ({type(exc).__name__})") from None
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise fail(f"not an image file (expected {', '.join(IMAGE_SUFFIXES)})")
    try:
        st = path.stat()
    except OSError:
        raise fail("image file not found in the briefing folder") from None
    if not stat.S_ISREG(st.st_mode):
        raise fail("not a regular file")
    if st.st_size > MAX_IMAGE_BYTES:
        raise fail(f"image too large ({st.st_size:,} bytes; at most {MAX_IMAGE_BYTES:,})")
    return path


def panel_image_problems(root: Path, panel_file: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    for target, line in panel_images(text):
        try:
            resolve_panel_image(root, target, file=panel_file, line=line)
        except BriefingError as exc:
            problems.extend(exc.problems)
    return problems
