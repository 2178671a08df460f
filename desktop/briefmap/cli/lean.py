"""Parts of matplotlib that load with it but that briefmap never uses, loaded only if
something does use them: every command (an export, the window) starts that much sooner.

  fontTools.agl          Adobe's glyph list, read by matplotlib.dviread for TeX text only
                         (briefmap never sets usetex)
  mpl_toolkits.mplot3d   the 3D axes matplotlib.projections registers at import
                         (briefmap makes none)
  matplotlib.tri         triangular grids behind `Axes.tricontour`, `tripcolor`, `triplot`
  matplotlib.table       tables in an axes (`Axes.table`)
  dateutil.parser        date strings read by matplotlib's date and category units
                         (briefmap gives matplotlib numbers only)

Each is replaced by a stand-in module until first used: reading any of its names (or
making a 3D axes, or calling one of those Axes methods) imports the real module then, and
the Axes methods become matplotlib's own functions again. And matplotlib writes, for each of its
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

# Functions the Axes class reads from a module as it is defined (`Axes.tripcolor =
# matplotlib.tri.tripcolor`...), and those matplotlib.dates reads at import: a forwarder
# each until the module loads.
_READ_AT_IMPORT = {
    "matplotlib.tri": ("tricontour", "tricontourf", "tripcolor", "triplot"),
    "matplotlib.table": ("table",),
    "dateutil.parser": ("parse",),
}
_AXES_METHODS = ("matplotlib.tri", "matplotlib.table")


def defer_unused_imports() -> None:
    if "matplotlib" in sys.modules:
        return  # matplotlib has imported them already
    sys.meta_path.insert(0, _BeforeImport({
        "matplotlib.artist": None,  # gets the short kwdoc (_ShortArtistDocs)
        # Installed as matplotlib loads (a stand-in's parent package is imported to find it).
        "matplotlib.category": lambda: _stand_in("dateutil.parser"),
        "matplotlib.dates": lambda: _stand_in("dateutil.parser"),
        "matplotlib.axes._base": lambda: [_stand_in(name) for name in _AXES_METHODS],
    }))
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
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = list(spec.submodule_search_locations)  # its submodules import as usual

    def load_on_use(attr: str):  # a module-level __getattr__ (PEP 562)
        if attr.startswith("__"):
            raise AttributeError(attr)  # the import system asks for __file__ and the like
        return getattr(_real(name), attr)

    stand_in.__getattr__ = load_on_use
    for attr in _READ_AT_IMPORT.get(name, ()):
        setattr(stand_in, attr, _forwarder(name, attr))
    sys.modules[name] = stand_in
    setattr(sys.modules[parent_name], child, stand_in)
    return stand_in


def _forwarder(module: str, attr: str):
    def forward(*args, **kwargs):
        return getattr(_real(module), attr)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = attr
    forward.__doc__ = f"{module}.{attr} (loaded when first called)"
    return forward


def _real(name: str) -> types.ModuleType:
    """Put the real module in place of its stand-in (once) and return it."""
    current = sys.modules.get(name)
    stand_in = current if current is not None and getattr(current, "__file__", None) is None else None
    if stand_in is not None:
        del sys.modules[name]
    module = importlib.import_module(name)
    parent_name, _, child = name.rpartition(".")
    setattr(sys.modules[parent_name], child, module)
    if stand_in is not None:
        # Modules that imported the stand-in keep it: it now holds the real names.
        forwarders = {a: vars(stand_in).get(a) for a in _READ_AT_IMPORT.get(name, ())}
        vars(stand_in).update({k: v for k, v in vars(module).items() if not k.startswith("__")})
        if name in _AXES_METHODS:
            _restore_axes_methods(module, forwarders)
    return module


def _restore_axes_methods(module: types.ModuleType, forwarders: dict) -> None:
    """The Axes methods as matplotlib defines them (its `_make_axes_method`)."""
    axes = sys.modules.get("matplotlib.axes._axes")
    if axes is None:
        return
    for attr, forward in forwarders.items():
        if forward is not None and vars(axes.Axes).get(attr) is forward:
            func = getattr(module, attr)
            func.__qualname__ = f"Axes.{func.__name__}"
            setattr(axes.Axes, attr, func)


def _property_list_elsewhere(artist) -> str:
    return "Properties: listed by matplotlib.artist.kwdoc(artist)."


class _BeforeImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Runs a step just before each named module is imported (once each); gives
    matplotlib.artist, once it has run, the short kwdoc."""

    def __init__(self, steps: dict):
        self._steps = dict(steps)
        self._loader = None

    def find_spec(self, name, path, target=None):
        if name not in self._steps:
            return None
        step = self._steps.pop(name)
        if not self._steps:
            sys.meta_path.remove(self)
        if step is not None:
            step()
            return None  # found as usual
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
