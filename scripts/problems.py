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
    """Sort by file, then row; one problem per file, row, column and rule.

    Both layers check the schema's constraints, so the same fault can come twice; the first one given
    (frictionless's wording, as the layers run in that order) is kept.
    """
    kept: dict[tuple, Problem] = {}
    for problem in problems:
        kept.setdefault((problem.file, problem.row, problem.column, problem.rule), problem)
    return sorted(kept.values(), key=Problem.sort_key)
