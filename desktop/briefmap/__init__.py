"""briefmap: briefing maps for analysts, journalists and policy staff."""

__version__ = "0.1.0"
