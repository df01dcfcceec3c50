"""Text hygiene: no stray white space or control characters, no spreadsheet formulas, unique titles."""

from __future__ import annotations

import pandas as pd

from rules.rule import Context, Rule

# A cell starting with one of these runs as a formula when the CSV is opened in a spreadsheet
# (CSV injection). Rows are rejected rather than rewritten: prefixing "'" would corrupt the data.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"

# Each test takes one text column and says where it is clean; the message names the column.
_HYGIENE = {
    "no-surrounding-whitespace": (
        lambda s: ~(s != s.str.strip()).fillna(False),
        lambda column, value: f"{column} starts or ends with white space",
    ),
    "no-double-spaces": (
        lambda s: ~s.str.contains("  ", regex=False).fillna(False),
        lambda column, value: f"{column} has two spaces in a row",
    ),
    "no-control-characters": (
        lambda s: ~s.str.contains(_CONTROL, regex=True).fillna(False),
        lambda column, value: f"{column} holds a control character (a line break or tab?): keep each cell on one line",
    ),
    "no-formula-prefix": (
        lambda s: ~s.str.startswith(FORMULA_PREFIXES).fillna(False),
        lambda column, value: f"{column} starts with {str(value)[:1]!r}, which a spreadsheet runs as a formula: reword it",
    ),
}


def _hygiene_rule(name: str, table: str, columns: list[str]) -> Rule:
    clean, explain = _HYGIENE[name]

    def passes(context: Context, frame: pd.DataFrame) -> pd.DataFrame:
        present = [c for c in columns if c in frame]
        return pd.DataFrame({c: clean(frame[c].astype("string")) for c in present}, index=frame.index)

    # One check for all the table's text columns (one a column was four times slower); the column
    # it fails in comes from pandera's failure case, and explain gets the row cut to that cell.
    return Rule(name, table, None, passes, lambda c, row: explain(row.index[0], row.iloc[0]))


def _title_unique(context: Context, table: pd.DataFrame) -> pd.Series:
    return ~(table["title"].duplicated(keep="first") & table["title"].notna())


def rules_for(context: Context) -> list[Rule]:
    """Hygiene for every string field of every table (from the schemas), and unique titles."""
    rules = []
    for table, columns in context.string_fields.items():
        rules += [_hygiene_rule(name, table, columns) for name in _HYGIENE]
        if "title" in columns:
            rules.append(
                Rule(
                    "title-unique",
                    table,
                    "title",
                    _title_unique,
                    lambda c, r: f'another row of this table already has the title "{r["title"]}"',
                )
            )
    return rules
