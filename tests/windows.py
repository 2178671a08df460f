"""Showing a window as a user meets it: 1400×900, painted once."""

from __future__ import annotations


def shown(qtbot, win, size: tuple[int, int] = (1400, 900)):
    """`win` registered with qtbot, resized, shown and painted; returned for chaining."""
    from briefmap.ui.app import wait_for_paint

    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    wait_for_paint(win)
    return win
