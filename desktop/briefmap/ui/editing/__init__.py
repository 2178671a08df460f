"""Editing a briefing in the window: the Edit mode, the feature form, undo and saving."""
