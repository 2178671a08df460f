"""Line numbers for the keys of a TOML file, so problems can point at `file:line`.

tomllib gives values but no positions; this scanner reads the same text once more and
notes where each table header and key stands. It understands the subset a catalog uses
(tables, arrays of tables, bare, quoted and dotted keys, multi-line strings and arrays);
brackets inside strings and comments do not count.
"""

from __future__ import annotations

import re

Path_ = tuple[str | int, ...]
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def _code(text: str) -> str:
    """The text without its strings and its comment."""
    return _STRING.sub('""', text).split("#", 1)[0]


def _key_path(key: str) -> tuple[str, ...]:
    """`a."b.c".d` -> ('a', 'b.c', 'd')."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', key)
    return tuple(next(p for p in groups if p) for groups in parts)


class KeyLines:
    """Scanned when a line is first asked for: a file that is read without a problem (every
    start opens the catalog, and the sheet settings read it again) never needs one."""

    def __init__(self, text: str):
        self._text = text
        self._index: dict[Path_, int] | None = None

    @property
    def _lines(self) -> dict[Path_, int]:
        if self._index is None:
            self._index = _scan(self._text)
        return self._index

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest enclosing table when the key is absent."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None


def _scan(text: str) -> dict[Path_, int]:
    lines: dict[Path_, int] = {}
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
            code = _code(line)
            depth += code.count("[") - code.count("]")
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            name = ".".join(_key_path(line[2:line.find("]]")]))
            counts[name] = counts.get(name, -1) + 1
            current = (*name.split("."), counts[name])
            lines[current] = number
        elif line.startswith("["):
            current = _key_path(line[1:line.find("]")])
            lines[current] = number
        elif "=" in line:
            key, value = _split_key(line)
            path = (*current, *_key_path(key))
            for k in range(len(current) + 1, len(path) + 1):
                lines.setdefault(path[:k], number)  # a dotted key defines its tables here
            lines[path] = number
            value = value.strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
            if value.startswith("["):
                code = _code(value)
                depth = code.count("[") - code.count("]")
    return lines


def _split_key(line: str) -> tuple[str, str]:
    """Split `key = value` at the first '=' outside a quoted key."""
    masked = _STRING.sub(lambda m: "x" * len(m.group(0)), line)
    at = masked.index("=")
    return line[:at], line[at + 1:]
