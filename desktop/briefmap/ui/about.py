"""Help → About: version, the article's credit, data and library licences."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from briefmap import __version__
from briefmap.model.briefing import Briefing


def about_html(briefing: Briefing) -> str:
    import matplotlib
    import PySide6

    e = html.escape
    return (
        f"<h2>briefmap {e(__version__)}</h2>"
        "<p>Briefing maps for analysts, journalists and policy staff.</p>"
        f"<p><b>Briefing:</b> {e(briefing.title)} ({e(briefing.id)} {e(briefing.version)})</p>"
        f"<p><b>Analysis summarised:</b> {e(briefing.credit())}. The panels paraphrase it in our own words; "
        "short quotations are attributed.</p>"
        "<p><b>Data</b><br>"
        "Natural Earth 1:10m — public domain. Boundaries are de facto and imply no endorsement.<br>"
        "GeoNames — CC BY 4.0 (www.geonames.org).</p>"
        "<p><b>Libraries</b><br>"
        f"Qt for Python (PySide6 {e(PySide6.__version__)}) — LGPL v3.<br>"
        f"matplotlib {e(matplotlib.__version__)} — matplotlib licence (BSD-style).<br>"
        "shapely, pyproj, pyogrio, geopandas — BSD/MIT licences; GDAL and PROJ — MIT.<br>"
        "matplotlib-scalebar — BSD.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, briefing: Briefing, parent=None):
        super().__init__(parent)
        self.setWindowTitle("About briefmap")
        label = QLabel(about_html(briefing))
        label.setWordWrap(True)
        label.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
