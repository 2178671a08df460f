"""Briefings in notebooks and scripts: `briefmap.load()` and the frames it gives.

    >>> import briefmap
    >>> b = briefmap.load()                     # the built-in South Caucasus briefing
    >>> sections = b.frame("delimitation_sections")
    >>> b.sources()

A briefing is opened through the same checks as the app; a bad path or an invalid
briefing raises `BriefingError`, whose message is what `briefmap validate` reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefmap.data.errors import BriefingError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from briefmap.model.briefing import Briefing
    from briefmap.model.features import FeatureTable

__all__ = ["BriefingError", "LoadedBriefing", "load"]


class LoadedBriefing:
    """An opened, checked briefing: its layers as GeoDataFrames, its sources and events as
    DataFrames. Frames are built on request; each call returns a fresh copy to change at will."""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable]):
        self.briefing = briefing
        self._tables = tables

    @property
    def id(self) -> str:
        return self.briefing.id

    @property
    def title(self) -> str:
        return self.briefing.title

    @property
    def layer_ids(self) -> list[str]:
        """Every layer's id, in the catalog's order."""
        return [lid for lid in self.briefing.layer_ids if lid in self._tables]

    def frame(self, layer_id: str, crs: Any = "EPSG:4326") -> gpd.GeoDataFrame:
        """A layer's features with every property (`id`, names in both usages, `source`,
        `as_of`, `confidence`, dates as datetimes), reprojected to `crs` (anything pyproj
        accepts; None keeps the map's own Lambert conformal conic in metres)."""
        from briefmap.data.frames import layer_frame
        from briefmap.data.layers import map_crs

        if layer_id not in self._tables:
            raise KeyError(f"unknown layer {layer_id!r}; layers: {', '.join(self.layer_ids)}")
        return layer_frame(self._tables[layer_id], map_crs(self.briefing), crs)

    def sources(self) -> pd.DataFrame:
        """Every source the briefing cites: id, title, publisher, author, url, date, licence, note."""
        from briefmap.data.frames import sources_frame

        return sources_frame(self.briefing)

    def events(self) -> pd.DataFrame:
        """The timeline: id, date, precision, title, text, source, features, after_article."""
        from briefmap.data.frames import events_frame

        return events_frame(self.briefing)

    def __repr__(self) -> str:
        return f"<briefing {self.id!r}: {len(self.layer_ids)} layers>"


def load(path: str | Path | None = None) -> LoadedBriefing:
    """Open a briefing folder (the built-in briefing when `path` is None).

    Raises BriefingError, listing every problem as `briefmap validate` does, when the
    folder is missing or the briefing is not valid.
    """
    from briefmap.data.briefing import open_briefing, validate
    from briefmap.data.paths import builtin_briefing_dir

    folder = Path(path) if path is not None else builtin_briefing_dir()
    try:
        briefing, tables = open_briefing(folder)
    except BriefingError as exc:
        # The validator reads on past the first faults, so the message lists them all.
        raise BriefingError(validate(folder) or exc.problems) from None
    return LoadedBriefing(briefing, tables)
