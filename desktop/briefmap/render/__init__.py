"""Drawing briefings with matplotlib (no Qt, no pyplot): one renderer for the window and
the export."""

import matplotlib

# Text on a map comes from briefings and user files: a '$' in a name must be a dollar sign,
# never the start of mathtext (which raises, or recurses without end, on odd input).
# Every Text reads this when it is made, so one setting covers titles, labels and legends.
matplotlib.rcParams["text.parse_math"] = False
