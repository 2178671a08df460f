"""The Qt front end: the only package that imports PySide6.

The window's drawing half (matplotlib's figure and Agg renderer, briefmap.render) is
imported here, before any module of the package imports Qt: once PySide6 is loaded, its
import hook reads the source of every module imported after it (looking for
`from __feature__ import`), which costs the window's start about 20 ms for these alone;
for the modules imported after it, ui/pyside_hook.py reads less.
"""

import matplotlib.figure  # noqa: F401
from matplotlib.backends import backend_agg  # noqa: F401

from briefmap.render import label_layout, legend, map_layers, scale  # noqa: F401
from briefmap.ui import pyside_hook

pyside_hook.install()  # PySide6's check of each module imported from here on, quicker
