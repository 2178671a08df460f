"""A briefing's layers, sources and timeline as (Geo)DataFrames, for notebooks and data export.

Imported only by the notebook API and `briefmap export-data`: geopandas and pandas stay off
the paths to the first painted map and to an image export.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import geopandas as gpd
import pandas as pd

from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _column(values: list[Any]) -> pd.Series:
    """One property as a typed column: numbers as numbers, YYYY-MM-DD dates as datetimes,
    everything else as text; a property a feature lacks (stored as '') is missing (NA)."""
    present = [v for v in values if not _missing(v)]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        if len(present) == len(values) and all(isinstance(v, int) for v in present):
            return pd.Series(values, dtype="int64")
        return pd.Series([float("nan") if _missing(v) else float(v) for v in values], dtype="float64")
    if present and all(isinstance(v, str) and ISO_DATE.fullmatch(v) for v in present):
        try:
            return pd.to_datetime(pd.Series([None if _missing(v) else v for v in values], dtype="object"),
                                  format="%Y-%m-%d")
        except ValueError:
            pass  # not every value is a real date: keep the text as written
    return pd.Series([None if _missing(v) else str(v) for v in values])


def layer_frame(table: FeatureTable, map_crs: str, crs: Any = "EPSG:4326") -> gpd.GeoDataFrame:
    """Every feature of a layer with every property, its `id` first, in `crs`; `map_crs`
    is the briefing's projection, which the table's geometry is in."""
    names: dict[str, None] = {}
    for props in table.properties:
        names.update(dict.fromkeys(props))
    columns = {"id": pd.Series(list(table.ids), dtype="str")}
    for name in names:
        if name not in columns:
            columns[name] = _column([props.get(name, "") for props in table.properties])
    frame = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(list(table.geometries), crs=map_crs))
    return frame.to_crs(crs) if crs is not None else frame


def sources_frame(briefing: Briefing) -> pd.DataFrame:
    """One row per source, in catalog order."""
    fields = [f.name for f in dataclasses.fields(next(iter(briefing.sources.values())))] if briefing.sources else ["id"]
    rows = [{f: getattr(s, f) or None for f in fields} for s in briefing.sources.values()]
    return pd.DataFrame(rows, columns=fields)


def events_frame(briefing: Briefing) -> pd.DataFrame:
    """One row per timeline event; `features` lists the layer/feature ids it concerns,
    separated by commas."""
    rows = [{
        "id": e.id,
        "date": pd.Timestamp(e.date),
        "precision": e.precision,
        "title": e.title,
        "text": e.text,
        "source": e.source,
        "features": ",".join(e.features) or None,
        "after_article": bool(e.after_article),
    } for e in briefing.events]
    columns = ["id", "date", "precision", "title", "text", "source", "features", "after_article"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
