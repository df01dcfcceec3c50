"""Text hygiene on every string column: no stray or invisible characters, no spreadsheet formulas; unique titles."""

from __future__ import annotations

import unicodedata

import pandas as pd

from rules.rule import ColumnRule, Rule

# A cell starting with one of these runs as a formula when the CSV is opened in a spreadsheet
# (CSV injection). Rows are rejected rather than rewritten: prefixing "'" would corrupt the data.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
# Unicode "format" characters: zero-width spaces and joiners, direction marks and overrides, the soft hyphen.
# Invisible on screen, they make equal-looking names differ and can reorder what a reader sees.
_INVISIBLE = r"\p{Cf}"  # RE2 syntax: the columns are Arrow strings, searched by pyarrow


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string[pyarrow]")


def _first_invisible(value) -> str:
    char = next((c for c in str(value) if unicodedata.category(c) == "Cf"), "")
    return f"U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}" if char else "an invisible character"


def _is_string(field: dict) -> bool:
    return field.get("type", "string") == "string"


COLUMN_RULES = [
    ColumnRule(
        "no-surrounding-whitespace",
        _is_string,
        lambda s, field: ~(_text(s) != _text(s).str.strip()).fillna(False),
        lambda field, value: f"{field['name']} starts or ends with white space",
        screen=r"^\s|\s$",
    ),
    ColumnRule(
        "no-double-spaces",
        _is_string,
        lambda s, field: ~_text(s).str.contains("  ", regex=False).fillna(False),
        lambda field, value: f"{field['name']} has two spaces in a row",
        screen="  ",
    ),
    ColumnRule(
        "no-control-characters",
        _is_string,
        lambda s, field: ~_text(s).str.contains(_CONTROL, regex=True).fillna(False),
        lambda field, value: f"{field['name']} holds a control character (a line break or tab?): keep each cell on one line",
        screen=_CONTROL,
    ),
    ColumnRule(
        "no-invisible-characters",
        _is_string,
        lambda s, field: ~_text(s).str.contains(_INVISIBLE, regex=True).fillna(False),
        lambda field, value: f"{field['name']} holds {_first_invisible(value)}, which no reader sees: delete it",
        screen=_INVISIBLE,
    ),
    ColumnRule(
        "no-formula-prefix",
        _is_string,
        lambda s, field: ~_text(s).str.startswith(FORMULA_PREFIXES).fillna(False),
        lambda field, value: f"{field['name']} starts with {str(value)[:1]!r}, which a spreadsheet runs as a formula: reword it",
        screen=r"^[=+\-@\t\r]",
    ),
]


def _title_unique(context, table: pd.DataFrame) -> pd.Series:
    return ~(table["title"].duplicated(keep="first") & table["title"].notna())


def title_rules(resources) -> list[Rule]:
    """Unique titles in every table that has a `title` field (from the schemas)."""
    return [
        Rule(
            "title-unique",
            resource.name,
            "title",
            _title_unique,
            lambda c, r: f'another row of this table already has the title "{r["title"]}"',
        )
        for resource in resources
        if "title" in resource.field_names
    ]
