"""The ordered layer list: the one place that says which layers exist, in which drawing
order, which are visible and how opaque they are.

A change is announced once, naming what changed:
  `changed(ids, fields)`  layers `ids` changed `fields` (a subset of {"visible", "opacity"})
  `inserted(layer)`       a layer joined the list (the user's own)
  `removed(layer)`        a layer left it
  `moved(a, b)`           layers a and b exchanged their drawing order
Setting several layers at once (`set_visible_ids`, or inside `batch()`) gives one
`changed` for all of them, so a scenario switch lays the labels out once, not per layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from briefmap.model.briefing import LayerSpec, Style
from briefmap.model.events import Emitter
from briefmap.model.features import FeatureTable


class Layer:
    """One layer: what it is (spec), its features (table), and how it is shown."""

    def __init__(self, spec: LayerSpec, table: FeatureTable, visible: bool = False, opacity: float = 1.0):
        self.spec = spec
        self.table = table
        self._visible = bool(visible)
        self._opacity = float(opacity)
        self._owner: LayerList | None = None

    def __repr__(self) -> str:
        return f"Layer({self.id!r}, visible={self._visible}, opacity={self._opacity:g})"

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def order(self) -> int:
        """Drawing order: higher draws on top."""
        return self.spec.order

    @property
    def style(self) -> Style | None:
        """The layer's own style, from its list's style sheet (features may pick others by
        the layer's style rule)."""
        return self._owner.styles.get(self.spec.style) if self._owner is not None else None

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, on: bool) -> None:
        on = bool(on)
        if on != self._visible:
            self._visible = on
            self._notify("visible")

    @contextmanager
    def shown_as(self, on: bool) -> Iterator[None]:
        """The layer reads as shown (or hidden) for this block only, telling no one: for
        working out what a toggle would give (ui/plan_ahead.py) without anything following."""
        was, self._visible = self._visible, bool(on)
        try:
            yield
        finally:
            self._visible = was

    @property
    def opacity(self) -> float:
        """0 (transparent) to 1; the window paints it, the export bakes it into the artists."""
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        value = min(1.0, max(0.0, float(value)))
        if abs(value - self._opacity) > 1e-6:
            self._opacity = value
            self._notify("opacity")

    def _notify(self, field: str) -> None:
        if self._owner is not None:
            self._owner._layer_changed(self.id, field)


class LayerList:
    """Layers in drawing order (bottom first), with the styles they draw with."""

    def __init__(self, layers: Iterable[Layer] = (), styles: dict[str, Style] | None = None):
        self.styles: dict[str, Style] = dict(styles or {})
        self._layers: list[Layer] = []
        self.changed = Emitter()
        self.inserted = Emitter()
        self.removed = Emitter()
        self.moved = Emitter()
        self._batch: dict[str, set[str]] | None = None
        for layer in sorted(layers, key=lambda la: la.order):
            layer._owner = self
            self._layers.append(layer)

    @classmethod
    def from_briefing(cls, briefing, tables: dict[str, FeatureTable]) -> LayerList:
        """The catalog's layers that have features, all hidden until a view is applied."""
        return cls((Layer(spec, tables[spec.id]) for spec in briefing.layers if spec.id in tables),
                   styles=briefing.styles)

    # ------------------------------------------------------------------ reading
    def __iter__(self) -> Iterator[Layer]:
        return iter(list(self._layers))

    def __len__(self) -> int:
        return len(self._layers)

    def __contains__(self, layer_id: object) -> bool:
        return any(la.id == layer_id for la in self._layers)

    def __getitem__(self, layer_id: str) -> Layer:
        for la in self._layers:
            if la.id == layer_id:
                return la
        raise KeyError(layer_id)

    def get(self, layer_id: str) -> Layer | None:
        return next((la for la in self._layers if la.id == layer_id), None)

    @property
    def ids(self) -> list[str]:
        return [la.id for la in self._layers]

    @property
    def visible_ids(self) -> tuple[str, ...]:
        return tuple(la.id for la in self._layers if la.visible)

    @property
    def specs(self) -> list[LayerSpec]:
        return [la.spec for la in self._layers]

    @property
    def tables(self) -> dict[str, FeatureTable]:
        return {la.id: la.table for la in self._layers}

    def groups(self) -> list[str]:
        """Group names, top of the drawing order first (as a layer panel lists them)."""
        out: list[str] = []
        for la in reversed(self._layers):
            if la.spec.group not in out:
                out.append(la.spec.group)
        return out

    def in_group(self, group: str) -> list[Layer]:
        """The group's layers, top of the drawing order first."""
        return [la for la in reversed(self._layers) if la.spec.group == group]

    # ------------------------------------------------------------------ changing
    @contextmanager
    def batch(self):
        """Collect the changes made inside into one `changed` per set of fields."""
        if self._batch is not None:
            yield
            return
        self._batch = {}
        try:
            yield
        finally:
            pending, self._batch = self._batch, None
            by_fields: dict[frozenset[str], list[str]] = {}
            for lid in self.ids:
                if lid in pending:
                    by_fields.setdefault(frozenset(pending[lid]), []).append(lid)
            for fields, ids in by_fields.items():
                self.changed.emit(tuple(ids), fields)

    def _layer_changed(self, layer_id: str, field: str) -> None:
        if self._batch is not None:
            self._batch.setdefault(layer_id, set()).add(field)
        else:
            self.changed.emit((layer_id,), frozenset({field}))

    def set_visible_ids(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        with self.batch():
            for la in self._layers:
                la.visible = la.id in wanted

    def set_opacities(self, opacity: dict[str, float]) -> None:
        with self.batch():
            for la in self._layers:
                la.opacity = opacity.get(la.id, 1.0)

    def insert(self, layer: Layer) -> None:
        """Add a layer at its place in the drawing order."""
        if layer.id in self:
            raise ValueError(f"a layer {layer.id!r} is already on the map")
        layer._owner = self
        at = next((i for i, la in enumerate(self._layers) if la.order > layer.order), len(self._layers))
        self._layers.insert(at, layer)
        self.inserted.emit(layer)

    def remove(self, layer_id: str) -> Layer:
        layer = self[layer_id]
        self._layers.remove(layer)
        layer._owner = None
        self.removed.emit(layer)
        return layer

    def neighbour(self, layer_id: str, step: int) -> str:
        """The layer drawn just above (step +1) or below (-1) in the same group, or ''."""
        layer = self[layer_id]
        same = [la for la in self._layers if la.spec.group == layer.spec.group]
        k = same.index(layer) + step
        return same[k].id if 0 <= k < len(same) else ""

    def move(self, layer_id: str, step: int) -> bool:
        """Draw a layer above (+1) or below (-1) its neighbour in its group."""
        other = self.neighbour(layer_id, step)
        if not other:
            return False
        a, b = self[layer_id], self[other]
        a.spec, b.spec = replace(a.spec, order=b.spec.order), replace(b.spec, order=a.spec.order)
        self._layers.sort(key=lambda la: la.order)
        self.moved.emit(layer_id, other)
        return True

    def top_order(self) -> int:
        return max((la.order for la in self._layers), default=0)
