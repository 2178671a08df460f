"""Line numbers for the keys of a TOML file, so problems can point at `file:line`.

tomllib gives values but no positions; this scanner reads the same text once more and
notes where each table header and key stands. It understands the subset a catalog uses
(tables, arrays of tables, bare or quoted keys, multi-line strings and arrays).
"""

from __future__ import annotations

Path_ = tuple[str | int, ...]


class KeyLines:
    def __init__(self, text: str):
        self._lines: dict[Path_, int] = {}
        counts: dict[str, int] = {}
        current: Path_ = ()
        in_string = ""
        depth = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if in_string:
                if in_string in line:
                    in_string = ""
                continue
            if depth > 0:
                depth += line.count("[") - line.count("]")
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith("[["):
                name = line[2:line.find("]]")].strip()
                counts[name] = counts.get(name, -1) + 1
                current = (*name.split("."), counts[name])
                self._lines[current] = number
            elif line.startswith("["):
                name = line[1:line.find("]")].strip()
                current = tuple(name.split("."))
                self._lines[current] = number
            elif "=" in line:
                key, _, value = line.partition("=")
                key = key.strip().strip('"').strip("'")
                self._lines[(*current, key)] = number
                value = value.strip()
                for quote in ('"""', "'''"):
                    if value.startswith(quote) and value.count(quote) == 1:
                        in_string = quote
                if value.startswith("["):
                    depth = value.count("[") - value.count("]")

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest enclosing table when the key is absent."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None
