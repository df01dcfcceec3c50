"""A validation problem as data, so the same list can be printed, emitted as JSON or turned into CI annotations."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the package, located as precisely as the check allows.

    `row` is the CSV line number (the header is line 1), or None for a problem with a whole file.
    `column` is the field name, or None when the problem is not in one column.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str

    def sort_key(self) -> tuple:
        return (self.file, self.row or 0, self.column or "", self.rule, self.message)

    def to_dict(self) -> dict:
        return asdict(self)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Sort by file, then row, and drop exact repeats (several checks may see the same fault)."""
    return sorted(set(problems), key=Problem.sort_key)
