"""The briefing model: plain typed classes, no Qt and no matplotlib."""

from briefmap.model.briefing import (
    Annotation,
    Bookmark,
    Briefing,
    Event,
    LayerSpec,
    Panel,
    Scenario,
    Source,
    Style,
    StyleRule,
)
from briefmap.model.features import CONFIDENCE_LEVELS, FeatureTable
from briefmap.model.naming import DEFAULT_NAMING, NamingPolicy, label_for
from briefmap.model.view import ViewState

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_NAMING",
    "Annotation",
    "Bookmark",
    "Briefing",
    "Event",
    "FeatureTable",
    "LayerSpec",
    "NamingPolicy",
    "Panel",
    "Scenario",
    "Source",
    "Style",
    "StyleRule",
    "ViewState",
    "label_for",
]
