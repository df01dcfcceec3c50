"""A validation problem as data, so the same list can be printed, emitted as JSON or turned into CI annotations."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

# A check that raised, returned something other than one verdict per row, or could not place a failure:
# the package was not fully checked, which is never a pass (exit 2).
RULE_ERROR = "rule-error"


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


@dataclass(frozen=True)
class Omitted:
    """How many more problems of one rule in one file were found than are listed."""

    file: str
    rule: str
    count: int

    def to_dict(self) -> dict:
        return asdict(self)


def is_disabled(disabled: frozenset[str], rule: str, table: str | None) -> bool:
    """`rule` knocked out everywhere, or `rule@table` on that table only (the knockout tests use both)."""
    return rule in disabled or (table is not None and f"{rule}@{table}" in disabled)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Sort by file, then row; one problem per file, row, column and rule.

    Both layers check the schema's constraints, so the same fault can come twice; the first one given
    (frictionless's wording, as the layers run in that order) is kept.
    """
    kept: dict[tuple, Problem] = {}
    for problem in problems:
        kept.setdefault((problem.file, problem.row, problem.column, problem.rule), problem)
    return sorted(kept.values(), key=Problem.sort_key)


def limit_per_rule(problems: list[Problem], found: Counter, limit: int | None) -> tuple[list[Problem], list[Omitted]]:
    """The first `limit` problems of each rule in each file, and how many more each had.

    `found` counts, per (file, rule), the failures a layer found but did not turn into problems; the larger
    of that count and the problems listed is the total, since both layers see the same cells.
    """
    listed = Counter((p.file, p.rule) for p in problems)
    totals = {key: max(count, found.get(key, 0)) for key, count in listed.items()}
    for key, count in found.items():
        totals.setdefault(key, count)
    if limit is None:
        kept = problems
    else:
        shown: Counter = Counter()
        kept = []
        for problem in problems:
            key = (problem.file, problem.rule)
            if shown[key] < limit:
                shown[key] += 1
                kept.append(problem)
    counted = Counter((p.file, p.rule) for p in kept)
    omitted = [
        Omitted(file, rule, total - counted[(file, rule)])
        for (file, rule), total in sorted(totals.items())
        if total > counted[(file, rule)]
    ]
    return kept, omitted
