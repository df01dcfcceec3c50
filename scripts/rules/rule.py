"""What a rule is: a name, the table and column it blames, a vectorised test, and a message for the fixer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from archive import Archive


@dataclass
class Context:
    """Everything a rule may look at: all tables (as text) and the source archive."""

    tables: dict[str, pd.DataFrame]
    archive: Archive
    string_fields: dict[str, list[str]] = field(default_factory=dict)  # table -> its string-typed fields

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())


@dataclass(frozen=True)
class Rule:
    name: str
    table: str
    column: str | None  # the column blamed; None when passes() returns a frame and blames each failing column
    passes: Callable[[Context, pd.DataFrame], pd.Series | pd.DataFrame]  # True where a row (or cell) passes
    explain: Callable[[Context, pd.Series], str]  # why one failing row fails (given just the failing cell when column is None)
    needs_archive: bool = False
    needs: tuple[str, ...] = ()  # other tables the rule reads; skipped when one cannot be read


def dates(series: pd.Series) -> pd.Series:
    """Parse ISO dates; a malformed one becomes NaT (frictionless reports it as a type error)."""
    return pd.to_datetime(series.astype("string"), format="%Y-%m-%d", errors="coerce")


def unreadable(series: pd.Series, parsed: pd.Series) -> pd.Series:
    """Cells that hold something their type cannot read; the type check reports them, so rules let them pass."""
    return series.notna() & parsed.isna()


def numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype("string"), errors="coerce")


def cells(frame: pd.DataFrame, *columns: str):
    """The columns' values row by row, as plain Python values: iterating a pandas string column
    cell by cell is ten times slower than converting it to a list first."""
    return zip(*(frame[column].tolist() for column in columns))


def lookup(context: Context, table: str, key: str, column: str) -> dict:
    """A column of another table by its key, e.g. each source's published_date by source_id."""
    other = context.table(table)
    if other.empty or key not in other or column not in other:
        return {}
    return dict(cells(other, key, column))
