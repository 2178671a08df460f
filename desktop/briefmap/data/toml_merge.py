"""Merging new values into a catalog someone wrote by hand, with tomlkit: untouched keys
keep their comments and order, a key spelled out with its default value stays, a table
added to a section goes above the next section's heading comment, with a blank line
between tables as a person writes them."""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import Comment, Whitespace


def merge_table(old: Any, new: dict[str, Any], explicit: dict[str, Any] | None = None) -> None:
    """Update `old` in place to hold `new`, keeping untouched keys' comments and order. A
    key `new` leaves out because it has the default value stays when the file spelled that
    value out (`explicit` holds every field's value)."""
    for key in [k for k in old if k not in new]:
        if explicit is not None and key in explicit and old[key] == explicit[key]:
            continue
        del old[key]
    for key, value in new.items():
        if key not in old or old[key] != value:
            old[key] = value


def _take_trailing_comments(table: Any) -> list[Any]:
    """Take the comment block at the end of a table: in a hand-written catalog it is the
    heading of the next section, which must stay above that section."""
    body = table.value.body
    end = len(body)
    while end and body[end - 1][0] is None and isinstance(body[end - 1][1], Comment | Whitespace):
        end -= 1
    start = next((i for i in range(end, len(body)) if isinstance(body[i][1], Comment)), len(body))
    taken = [item for _key, item in body[start:]]
    del body[start:]
    return taken


def merge_section(doc: Any, key: str, tables: list[dict[str, Any]],
                   explicit: dict[str, dict[str, Any]] | None = None) -> None:
    if not tables:
        if key in doc:
            del doc[key]
        return
    if key not in doc:
        aot = tomlkit.aot()
        for t in tables:
            aot.append(tomlkit.item(t))
        doc[key] = aot
        return
    aot = doc[key]
    wanted = {t["id"]: t for t in tables}
    heading = _take_trailing_comments(aot[-1]) if len(aot) else []
    for i in reversed(range(len(aot))):
        if aot[i].get("id") not in wanted:
            del aot[i]
    present = {t.get("id"): t for t in aot}
    for t in tables:
        if t["id"] in present:
            merge_table(present[t["id"]], t, (explicit or {}).get(t["id"]))
        else:
            body = aot[-1].value.body if len(aot) else []
            if body and not isinstance(body[-1][1], Whitespace):
                aot[-1].add(tomlkit.nl())
            item = tomlkit.item(t)
            item.add(tomlkit.nl())  # a blank line between tables, as a person writes them
            aot.append(item)
    for trivia in heading:
        aot[-1].add(trivia)
