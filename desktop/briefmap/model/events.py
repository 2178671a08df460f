"""Change notification without Qt: a list of callbacks, called in the order they connected.

The model's stores own one `Emitter` per kind of change; the renderer, the canvas and the
docks connect to what they show. Qt signals would tie the model to Qt; psygnal would add a
dependency for what is a dozen lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Emitter:
    """Calls every connected function with the arguments of `emit`."""

    def __init__(self) -> None:
        self._slots: list[Callable[..., Any]] = []

    def connect(self, slot: Callable[..., Any]) -> Callable[..., Any]:
        if slot not in self._slots:
            self._slots.append(slot)
        return slot

    def disconnect(self, slot: Callable[..., Any]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args: Any) -> None:
        for slot in list(self._slots):
            slot(*args)
