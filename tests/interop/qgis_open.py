"""Open an exported GeoPackage in QGIS (headless) and report what QGIS made of each layer.

Run with the system python3 that has python3-qgis (not the project's venv):
    python3 qgis_open.py FILE.gpkg [OUT.png [TABLE,TABLE,... [YYYY-MM-DD,...]]]
Prints one JSON object: per table, whether QGIS loaded its default style from the
GeoPackage, the renderer, the symbols' colours and types, and the labelling. With OUT.png,
also renders every table in briefmap's drawing order (the tables are written in that order)
(or only the tables named) to a 1600x1000 PNG of the region in the map's own projection.
With dates, also reports which features QGIS's temporal filter shows on each date.
"""

import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsRenderContext,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, QTime
from qgis.PyQt.QtGui import QColor

app = QgsApplication([], False)
app.initQgis()
path = sys.argv[1]
meta = QgsProviderRegistry.instance().providerMetadata("ogr")
report = {}
layers = []
for sub in meta.querySublayers(path):
    name = sub.name()
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if not layer.isSpatial():
        report[name] = {"valid": layer.isValid(), "spatial": False, "features": layer.featureCount(),
                        "fields": [f.name() for f in layer.fields()]}
        continue
    message, loaded = layer.loadDefaultStyle()
    renderer = layer.renderer()
    symbols = renderer.symbols(QgsRenderContext()) if renderer else []
    entry = {"valid": layer.isValid(), "spatial": True, "features": layer.featureCount(),
             "geometry": layer.geometryType(), "style_loaded": bool(loaded), "message": message,
             "renderer": renderer.type() if renderer else None,
             "symbols": [{"type": s.type(), "color": s.color().name(), "layers": [sl.layerType() for sl in s.symbolLayers()],
                          "width": getattr(s, "width", lambda: None)(), "size": getattr(s, "size", lambda: None)()}
                         for s in symbols],
             "labels": layer.labelsEnabled() and layer.labeling() is not None,
             "labeling": layer.labeling().type() if layer.labeling() else None}
    if renderer and renderer.type() == "categorizedSymbol":
        entry["attribute"] = renderer.classAttribute()
        entry["categories"] = {c.value() if c.value() is not None else "": c.symbol().color().name()
                               for c in renderer.categories()}
    if layer.labeling() is not None and layer.labeling().type() == "simple":
        s = layer.labeling().settings()
        text_format = s.format()  # kept in a name: a chained temporary's buffer() would dangle
        buffer = text_format.buffer()
        entry["label_expression"] = s.fieldName
        entry["label_size"] = text_format.size()
        entry["label_color"] = text_format.color().name()
        entry["label_buffer"] = buffer.enabled()
    temporal = layer.temporalProperties()
    entry["temporal"] = temporal.isActive()
    if temporal.isActive() and len(sys.argv) > 4:
        context = QgsVectorLayerTemporalContext()
        context.setLayer(layer)
        entry["shown_on"] = {}
        for day in sys.argv[4].split(","):
            moment = QDateTime(QDate.fromString(day, "yyyy-MM-dd"), QTime(0, 0))
            expression = temporal.createFilterString(context, QgsDateTimeRange(moment, moment))
            request = QgsFeatureRequest().setFilterExpression(expression) if expression else QgsFeatureRequest()
            entry["shown_on"][day] = sorted(f["id"] for f in layer.getFeatures(request))
    report[name] = entry
    layers.append(layer)

if len(sys.argv) > 2:
    project = QgsProject.instance()
    for layer in layers:
        project.addMapLayer(layer, False)
    crs = QgsCoordinateReferenceSystem()
    crs.createFromProj("+proj=lcc +lat_0=40.5 +lon_0=45 +lat_1=38 +lat_2=43 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")
    settings = QgsMapSettings()
    chosen = sys.argv[3].split(",") if len(sys.argv) > 3 else [layer.name() for layer in layers]
    settings.setLayers([layer for layer in reversed(layers) if layer.name() in chosen])  # top layer first
    settings.setDestinationCrs(crs)
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    extent = QgsCoordinateTransform(wgs84, crs, project).transformBoundingBox(QgsRectangle(41.6, 37.9, 50.2, 43.0))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(1600, 1000))
    settings.setOutputDpi(150)
    settings.setBackgroundColor(QColor("#ffffff"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    visible = settings.visibleExtent()
    report["_render"] = {"saved": job.renderedImage().save(sys.argv[2], "PNG"), "errors": len(job.errors()),
                         "extent": [visible.xMinimum(), visible.yMinimum(), visible.xMaximum(), visible.yMaximum()]}

print(json.dumps(report))
sys.stdout.flush()
os._exit(0)  # QGIS's teardown can crash headless; everything is printed by now
