"""Parts of matplotlib that load with it but that briefmap never uses, loaded only if
something does use them: every command (an export, the window) starts that much sooner.

  fontTools.agl          Adobe's glyph list, read by matplotlib.dviread for TeX text only
                         (briefmap never sets usetex)
  mpl_toolkits.mplot3d   the 3D axes matplotlib.projections registers at import
                         (briefmap makes none)

Each is replaced by a stand-in module until first used: reading any of its names (or
making a 3D axes) imports the real module then. And matplotlib writes, for each of its
ninety artist classes as it is defined, a docstring listing every property of the class
(`matplotlib.artist.kwdoc`, about 0.13 s of every start): those docstrings say where the
list is instead (the properties, signatures and behaviour are untouched; `help()` on an
artist's `set` is all that changes). Run before matplotlib is imported (`briefmap.cli.main`
does); later it changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types


def defer_unused_imports() -> None:
    if "matplotlib" in sys.modules:
        return  # matplotlib has imported them already
    sys.meta_path.insert(0, _ShortArtistDocs())
    _stand_in("fontTools.agl")
    axes3d = _stand_in("mpl_toolkits.mplot3d")
    if axes3d is not None:

        class Axes3D:  # registered under "3d" by matplotlib.projections; the real class when one is made
            name = "3d"

            def __new__(cls, *args, **kwargs):
                real = _real("mpl_toolkits.mplot3d")
                from matplotlib.projections import register_projection

                register_projection(real.Axes3D)
                return real.Axes3D(*args, **kwargs)

        axes3d.Axes3D = Axes3D


def _stand_in(name: str) -> types.ModuleType | None:
    """A module standing in for `name` until one of its names is read."""
    if name in sys.modules:
        return None
    parent_name, _, child = name.rpartition(".")
    try:
        spec = importlib.util.find_spec(name)  # imports the (small) parent package
    except ImportError:
        return None
    if spec is None:
        return None
    stand_in = types.ModuleType(name)
    stand_in.__spec__ = spec

    def load_on_use(attr: str):  # a module-level __getattr__ (PEP 562)
        if attr.startswith("__"):
            raise AttributeError(attr)  # the import system asks for __path__ and the like
        return getattr(_real(name), attr)

    stand_in.__getattr__ = load_on_use
    sys.modules[name] = stand_in
    setattr(sys.modules[parent_name], child, stand_in)
    return stand_in


def _real(name: str) -> types.ModuleType:
    """Put the real module in place of its stand-in (once) and return it."""
    current = sys.modules.get(name)
    if current is not None and getattr(current, "__file__", None) is None:
        del sys.modules[name]
    module = importlib.import_module(name)
    parent_name, _, child = name.rpartition(".")
    setattr(sys.modules[parent_name], child, module)
    return module


def _property_list_elsewhere(artist) -> str:
    return "Properties: listed by matplotlib.artist.kwdoc(artist)."


class _ShortArtistDocs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds matplotlib.artist (once) and, once it has run, gives it the short kwdoc."""

    def find_spec(self, name, path, target=None):
        if name != "matplotlib.artist":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self._loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        module.kwdoc = _property_list_elsewhere
