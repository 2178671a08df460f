"""Naming policy: which of a contested place's names a label shows."""

from __future__ import annotations

from typing import Any

NAMING_POLICIES = {
    "both": "Both usages (Armenian / Azerbaijani)",
    "armenian": "Armenian usage",
    "azerbaijani": "Azerbaijani usage",
}


def label_for(props: dict[str, Any], policy: str, field: str = "name") -> str:
    """The label of a feature under a naming policy.

    A feature whose name is contested carries `name_hy_usage` and `name_az_usage`; other
    features have one `name` that every policy shows.
    """
    hy = str(props.get("name_hy_usage") or "")
    az = str(props.get("name_az_usage") or "")
    if hy and az:
        if policy == "armenian":
            return hy
        if policy == "azerbaijani":
            return az
        return hy if hy == az else f"{hy} / {az}"
    return str(props.get(field) or "")
