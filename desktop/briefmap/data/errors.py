"""Problems found in a briefing or a user's file, each saying where and what."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One fault: the file, its line or feature, the field, and what was expected."""

    file: str
    line: int | None
    field: str
    message: str
    feature: str = ""

    def location(self) -> str:
        if self.feature:
            return f"{self.file}#{self.feature}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class BriefingError(Exception):
    """A briefing (or a file handed to the app) that cannot be used as it is."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
