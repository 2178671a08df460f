"""The Qt bindings in use keep Python's reference counts straight.

PySide6 6.12.0 drops a reference to None on every call of a method that returns nothing;
after some thousands of calls (a few minutes of painting) the interpreter aborts. The
constraints pin a release without the fault; this test fails if one comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen


def test_void_methods_do_not_drop_references_to_none(qapp):
    image = QImage(20, 20, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(2000):
            painter.setPen(QPen(QColor("#123456"), 1.0))
            painter.drawRect(QRectF(0, 0, 5, 5))
            QColor("#123456").setAlphaF(0.5)
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after >= before - 100, f"None lost {before - after} references in 6000 calls"
