"""briefmap: briefing maps for analysts, journalists and policy staff.

`briefmap.load()` opens a briefing for a notebook or a script (see briefmap.api); it is
imported on first use so that `import briefmap` (and the app's start-up) stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["BriefingError", "LoadedBriefing", "__version__", "load"]

_API = frozenset({"load", "LoadedBriefing", "BriefingError"})


def __getattr__(name: str) -> Any:
    if name in _API:
        from briefmap import api

        return getattr(api, name)
    raise AttributeError(f"module 'briefmap' has no attribute {name!r}")


def __dir__() -> list[str]:
    # Notebooks complete names from dir(): list the lazily imported ones too.
    return sorted(set(globals()) | _API)
