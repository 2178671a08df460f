"""File → Export: presets, a live preview drawn by the export's own renderer, and
"export every scenario" with progress and cancel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QImage, QPixmap
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
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState, scenario_state
from briefmap.render.export import ExportError, export_sheet, format_for
from briefmap.render.preflight import findings, left_out
from briefmap.render.sheet import PRESETS, SheetOptions, SheetReport, SheetTooSmall, build_sheet
from briefmap.ui import safe_text

PREVIEW_DPI = 40
LEFT_OUT_GREY = QColor(110, 110, 110)  # what the sheet leaves out by rule: listed, but not a fault


def render_preview(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                   opts: SheetOptions, report: SheetReport | None = None) -> QImage:
    """The sheet at low resolution, drawn exactly as the export draws it (the layout is
    in points, so the preview's preflight findings are the export's)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from briefmap.render.export import sheet_rc

    small = replace(opts, dpi=PREVIEW_DPI)
    with matplotlib.rc_context(sheet_rc()):
        fig, _ = build_sheet(briefing, tables, state, small, report)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    buf = canvas.buffer_rgba()
    h, w = int(fig.bbox.height), int(fig.bbox.width)
    image = QImage(bytes(buf), w, h, QImage.Format.Format_RGBA8888).copy()
    if report is not None:
        report.findings = findings(fig, report)
        report.left_out = left_out(report)
    return image


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
        # The sheet's words for this export, prefilled from the briefing and the scenario.
        scenario = next((sc for sc in briefing.scenarios if sc.id == state.scenario), None)
        self._default_title = briefing.title
        self._default_subtitle = scenario.title if scenario else briefing.subtitle
        self.title_edit = QLineEdit(self._default_title)
        self.subtitle_edit = QLineEdit(self._default_subtitle)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Optional note printed on the map")
        self.preflight = QListWidget()
        self.preflight.setAccessibleName("Preflight")
        self.preflight.setMaximumHeight(110)
        self.preflight.setToolTip("What the sheet would lose: dropped labels, overlaps, text under 6 pt, "
                                  "features and text cut by the frame")
        # Names the sheet leaves out by a cartographic rule, each with its reason: apart from
        # the findings and greyed, since they do not stop an export (`--check --strict` passes).
        self.left_out = QListWidget()
        self.left_out.setAccessibleName("Left out by rule")
        self.left_out.setMaximumHeight(80)
        self.left_out.setToolTip("Names left out by a cartographic rule (not faults), each with its reason")
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
        form.addRow("Title", self.title_edit)
        form.addRow("Subtitle", self.subtitle_edit)
        form.addRow("Note", self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.do_export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(QLabel("Preflight"))
        layout.addWidget(self.preflight)
        self.left_out_title = QLabel("Left out by rule")
        layout.addWidget(self.left_out_title)
        layout.addWidget(self.left_out)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_preview)
        self.preset.currentIndexChanged.connect(self._on_preset)
        for w in (self.width_px, self.height_px, self.dpi):
            w.valueChanged.connect(self._timer.start)
        self.side.toggled.connect(self._timer.start)
        for edit in (self.title_edit, self.subtitle_edit, self.note_edit):
            edit.textChanged.connect(self._timer.start)
        self._on_preset(0)

    def options(self) -> SheetOptions:
        opts = SheetOptions.from_pixels(self.width_px.value(), self.height_px.value(), self.dpi.value(),
                                        self.side.isChecked())
        title, subtitle, note = (e.text().strip() for e in (self.title_edit, self.subtitle_edit, self.note_edit))
        # Only the user's own words are passed (and stored in the PNG); the defaults follow the state.
        return replace(opts, title=title if title and title != self._default_title else None,
                       subtitle=subtitle if subtitle != self._default_subtitle else None, note=note or None)

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
        self.preflight.clear()
        self.left_out.clear()
        report = SheetReport()
        try:
            img = render_preview(self.briefing, self.tables, self.state, self.options(), report)
        except SheetTooSmall as exc:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(f"Too small for a sheet: {exc}")
            self._show_left_out([])
            self.export_button.setEnabled(False)
            return
        self.export_button.setEnabled(True)
        found = report.findings
        self.preflight.addItems([str(f) for f in found] or ["Nothing to report: every label fits, no text "
                                                           "under 6 pt, nothing cut by the frame."])
        self._show_left_out(report.left_out)
        pix = QPixmap.fromImage(img)
        self.preview.setPixmap(pix.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))

    def _show_left_out(self, lines) -> None:
        """The `left out:` lines, greyed, as plain text (a QListWidgetItem never reads its
        text as markup, and a name from the data may contain anything)."""
        for line in lines:
            item = QListWidgetItem(str(line))
            item.setForeground(QBrush(LEFT_OUT_GREY))
            item.setToolTip(str(line))
            self.left_out.addItem(item)
        self.left_out_title.setText(f"Left out by rule ({len(lines)})")
        self.left_out.setVisible(bool(lines))

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
                opts = self.options()
                if len(jobs) > 1:  # each scenario keeps its own subtitle
                    opts = replace(opts, subtitle=None)
                export_sheet(self.briefing, self.tables, state, path, opts)
            except (ExportError, OSError, SheetTooSmall) as exc:
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

