"""Drawing briefings with matplotlib (no Qt, no pyplot): one renderer for the window and
the export."""
