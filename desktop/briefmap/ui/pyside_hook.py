"""A quicker answer to the question PySide6 asks of every module imported after it.

Once PySide6 is loaded, its import hook asks of each newly imported module whether the
module uses PySide6 (to know whether its `from __feature__ import` selections apply
there), and answers by reading the module's source through `inspect.getsource`: the
inspect and linecache machinery costs the window's start about 10 ms over its ~140
modules, and keeps every source in memory. The same answer, "PySide6" in the source
file, is read here from the file's bytes; anything that is not a plain .py file is left
to PySide6's own check.
"""

from __future__ import annotations

import sys
import types


def install() -> bool:
    """Answer PySide6's question from the source file's bytes; False where this PySide6
    has no such hook (its own check then runs, unchanged)."""
    import PySide6  # noqa: F401  (loads the hook)

    feature = sys.modules.get("shibokensupport.feature")
    own_check = getattr(feature, "_mod_uses_pyside", None)
    if own_check is None or getattr(own_check, "reads_bytes", False):
        return own_check is not None

    def uses_pyside(module: types.ModuleType) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not (isinstance(origin, str) and origin.endswith(".py")):
            return own_check(module)
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return own_check(module)

    uses_pyside.reads_bytes = True
    feature._mod_uses_pyside = uses_pyside
    return True
