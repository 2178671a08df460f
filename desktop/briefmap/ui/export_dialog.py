"""File → Export: presets, a live preview drawn by the export's own renderer, and
"export every scenario" with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState, scenario_state
from briefmap.render.export import ExportError, export_sheet, format_for
from briefmap.render.sheet import PRESETS, SheetOptions, build_sheet
from briefmap.ui import safe_text

PREVIEW_DPI = 40


def render_preview(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                   opts: SheetOptions) -> QImage:
    """The sheet at low resolution, drawn exactly as the export draws it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    small = SheetOptions(opts.width_in, opts.height_in, PREVIEW_DPI, opts.side_column, opts.inset)
    fig, _ = build_sheet(briefing, tables, state, small)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buf = canvas.buffer_rgba()
    h, w = int(fig.bbox.height), int(fig.bbox.width)
    return QImage(bytes(buf), w, h, QImage.Format.Format_RGBA8888).copy()


class ExportDialog(QDialog):
    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                 folder: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export briefing sheet")
        self.briefing = briefing
        self.tables = tables
        self.state = state
        self.folder = folder or str(Path.home())
        self.result_message = ""
        self.written: list[Path] = []

        self.preset = QComboBox()
        for p in PRESETS.values():
            self.preset.addItem(p.title, p.id)
        self.preset.addItem("Custom size…", "custom")
        self.width_px = QSpinBox()
        self.height_px = QSpinBox()
        for box in (self.width_px, self.height_px):
            box.setRange(200, 20000)
            box.setSuffix(" px")
        self.dpi = QSpinBox()
        self.dpi.setRange(30, 1200)
        self.side = QCheckBox("Key-points column")
        self.side.setChecked(True)
        self.path = QLineEdit(str(Path(self.folder) / f"{briefing.id}-{state.scenario}.png"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.every = QCheckBox("Export every scenario (one file each)")
        self.preview = QLabel()
        self.preview.setMinimumSize(480, 300)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setAccessibleName("Preview")

        form = QFormLayout()
        form.addRow("Preset", self.preset)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_px)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_px)
        form.addRow("Size", size_row)
        form.addRow("Resolution (dpi)", self.dpi)
        form.addRow("", self.side)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path)
        path_row.addWidget(browse)
        form.addRow("File (.png, .svg, .pdf)", path_row)
        form.addRow("", self.every)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.do_export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_preview)
        self.preset.currentIndexChanged.connect(self._on_preset)
        for w in (self.width_px, self.height_px, self.dpi):
            w.valueChanged.connect(self._timer.start)
        self.side.toggled.connect(self._timer.start)
        self._on_preset(0)

    def options(self) -> SheetOptions:
        return SheetOptions.from_pixels(self.width_px.value(), self.height_px.value(), self.dpi.value(),
                                        self.side.isChecked())

    def _on_preset(self, _i: int) -> None:
        pid = self.preset.currentData()
        custom = pid == "custom"
        for w in (self.width_px, self.height_px):
            w.setEnabled(custom)
        if not custom:
            p = PRESETS[pid]
            w, h = p.pixels
            for box, v in ((self.width_px, w), (self.height_px, h), (self.dpi, p.dpi)):
                box.blockSignals(True)
                box.setValue(v)
                box.blockSignals(False)
        self._timer.start()

    def update_preview(self) -> None:
        img = render_preview(self.briefing, self.tables, self.state, self.options())
        pix = QPixmap.fromImage(img)
        self.preview.setPixmap(pix.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(),
                                              "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)")
        if path:
            self.path.setText(path)

    def targets(self) -> list[tuple[ViewState, Path]]:
        path = Path(self.path.text()).expanduser()
        if not self.every.isChecked():
            return [(self.state, path)]
        out = []
        for s in self.briefing.scenarios:
            st = scenario_state(self.briefing, s.id).with_(names=self.state.names, date=self.state.date)
            out.append((st, path.with_name(f"{path.stem}-{s.id}{path.suffix}")))
        return out

    def do_export(self) -> None:
        try:
            format_for(Path(self.path.text()))
        except ExportError as exc:
            safe_text.warn(self, "Export", str(exc))
            return
        jobs = self.targets()
        progress = QProgressDialog("Exporting…", "Cancel", 0, len(jobs), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        self.written = []
        for i, (state, path) in enumerate(jobs):
            if progress.wasCanceled():
                break
            progress.setLabelText(f"Writing {path.name}…")
            progress.setValue(i)
            try:
                export_sheet(self.briefing, self.tables, state, path, self.options())
            except (ExportError, OSError) as exc:
                progress.close()
                safe_text.warn(self, "Export failed", f"{exc}\n\nNothing was overwritten.")
                return
            self.written.append(path)
        progress.setValue(len(jobs))
        if not self.written:
            return
        self.folder = str(self.written[0].parent)
        self.result_message = (f"Exported {len(self.written)} file(s) to {self.folder}"
                               if len(self.written) > 1 else f"Exported {self.written[0]}")
        self.accept()

