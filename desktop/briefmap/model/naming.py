"""Naming policies: which of a place's names a label shows.

A briefing lists its policies in the catalog (`[[naming]]`: id, title, fields). A feature
that has a value for every field any policy names is contested: a policy shows the values
of its own fields, joined by " / " where they differ. Every other feature shows the layer's
label field. A briefing that lists no policy has one, `default`, which shows the label field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NamingPolicy:
    id: str
    title: str
    fields: tuple[str, ...]


DEFAULT_NAMING = (NamingPolicy("default", "Names as in the data", ()),)


def policy_for(policies: Sequence[NamingPolicy], policy_id: str) -> NamingPolicy:
    """The policy with this id, or the briefing's first (its default)."""
    policies = policies or DEFAULT_NAMING
    return next((p for p in policies if p.id == policy_id), policies[0])


def label_for(props: dict[str, Any], policy: NamingPolicy, field: str = "name",
              policies: Sequence[NamingPolicy] = ()) -> str:
    """The label of a feature under a naming policy (`policies`: all of the briefing's)."""
    contested = {f for p in (policies or (policy,)) for f in p.fields}
    if contested and all(props.get(f) for f in contested):
        values: list[str] = []
        for f in policy.fields:
            v = str(props.get(f) or "")
            if v and v not in values:
                values.append(v)
        if values:
            return " / ".join(values)
    return str(props.get(field) or "")
