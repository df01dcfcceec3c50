"""What a rule is: a name, the table and column it blames, a vectorised test, and a message for the fixer.

Two shapes: a `Rule` reads whole tables and blames one column of one table (dates against their source, a
figure's parent); a `ColumnRule` tests each cell of a column on its own and applies to every field of every
table its `applies` says (strict dates, text hygiene), so a new column is covered without naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from archive import Archive


@dataclass
class Context:
    """Everything a rule may look at: all tables (as text), the source archive and the package's descriptor."""

    tables: dict[str, pd.DataFrame]
    archive: Archive
    descriptor: dict = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    def memo(self, key, compute):
        """Compute once per validation what rules and their messages look up again and again (lookups, verdicts):
        a message is built per failing row, and a table-wide lookup per row made bad packages quadratic."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Rule:
    name: str
    table: str
    column: str  # the column blamed: problems are reported at (row, column)
    passes: Callable[[Context, pd.DataFrame], pd.Series]  # one boolean per row: True where the row passes
    explain: Callable[[Context, dict], str]  # why one failing row fails, given the row as {column: value}
    needs_archive: bool = False
    needs: tuple[str, ...] = ()  # other tables the rule reads; skipped when one cannot be read


@dataclass(frozen=True)
class ColumnRule:
    name: str
    applies: Callable[[dict], bool]  # does the rule cover this schema field?
    passes: Callable[[pd.Series, dict], pd.Series]  # one boolean per cell, given the cells as text and the field
    explain: Callable[[dict, object], str]  # why one cell fails, given the field and the cell
    screen: str | None = None  # a regular expression (RE2) every cell the rule can fail matches: no match, no need to run


def dates(series: pd.Series) -> pd.Series:
    """Parse ISO dates; a malformed one becomes NaT (the `type` rule reports it)."""
    text = series.astype("string[pyarrow]")
    strict = text.str.fullmatch(DATE_FORM).fillna(False)
    return pd.to_datetime(text.where(strict), format="%Y-%m-%d", errors="coerce")


def unreadable(series: pd.Series, parsed: pd.Series) -> pd.Series:
    """Cells that hold something their type cannot read; the type check reports them, so rules let them pass."""
    return series.notna() & parsed.isna()


# The only forms the package accepts (rules/values.py reports any other): YYYY-MM-DD and plain decimals.
DATE_FORM = r"\d{4}-\d{2}-\d{2}"
NUMBER_FORM = r"-?(0|[1-9][0-9]*)(\.[0-9]+)?"


def numbers(series: pd.Series) -> pd.Series:
    """Plain, finite decimals as floats; anything else is NaN (the `type` rule reports it), so rules never see 1e309."""
    text = series.astype("string[pyarrow]")
    value = pd.to_numeric(text.where(text.str.fullmatch(NUMBER_FORM).fillna(False)), errors="coerce").astype("float64")
    return value.where(np.isfinite(value))


def cells(frame: pd.DataFrame, *columns: str):
    """The columns' values row by row, as plain Python values: iterating a pandas string column
    cell by cell is ten times slower than converting it to a list first."""
    return zip(*(frame[column].tolist() for column in columns))


def lookup(context: Context, table: str, key: str, column: str) -> dict:
    """A column of another table by its key, e.g. each source's published_date by source_id (computed once)."""

    def compute() -> dict:
        other = context.table(table)
        if other.empty or key not in other or column not in other:
            return {}
        return dict(cells(other, key, column))

    return context.memo(("lookup", table, key, column), compute)


def series(values, frame: pd.DataFrame) -> pd.Series:
    """Per-row booleans computed in Python, as the Series a rule returns."""
    return pd.Series(list(values), index=frame.index, dtype=bool)
