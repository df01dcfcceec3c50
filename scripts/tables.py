"""Read the package's CSVs into pandas as text, the one way every layer and the build read them."""

from __future__ import annotations

import csv
import warnings

import pandas as pd

from package import Package


def read_table(path) -> pd.DataFrame:
    """Every cell as a string and an empty cell as missing, so nothing is guessed (no "NA" → NaN, no 007 → 7).

    A row with more cells than the header is an error, not a hint: pandas would otherwise take the first
    column for the index, or drop the extra cells with only a warning.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8", index_col=False)


def write_rows(path, header: list[str], rows: list[dict], text_columns) -> None:
    """Write rows as every CSV of the package is written, so a row nobody changed stays byte-identical.

    LF line ends; every non-empty text cell quoted, numbers and dates bare, empty cells empty. Tools that guess
    a CSV's dialect from its first kilobyte (csvkit, `sqlite-utils --sniff`) then find the comma and the double
    quote; with minimal quoting, quoted phrases in notes made them guess a space and a single quote. Python's csv
    module quotes by cell, not by column (QUOTE_STRINGS, from 3.12, would quote numbers held as text), so the
    quoting is written here.
    """
    text = set(text_columns)

    def cell(name: str, value) -> str:
        value = "" if value is None else str(value)
        if value and (name in text or any(c in value for c in ',"\r\n')):
            return '"' + value.replace('"', '""') + '"'
        return value

    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        for row in rows:
            fh.write(",".join(cell(name, row.get(name)) for name in header) + "\n")


def text_columns(resource) -> list[str]:
    """The fields written quoted: every field the schema types as text."""
    return [f["name"] for f in resource.fields if f.get("type", "string") == "string"]


def read_rows(path) -> list[dict[str, str]]:
    """Every row as a dict of its cells as written, for the code that needs no pandas (docs, build, diffs)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_tables(package: Package) -> dict[str, pd.DataFrame]:
    """The tables that can be read at all; frictionless reports why any other cannot."""
    tables = {}
    for resource in package.resources:
        try:
            tables[resource.name] = read_table(resource.path)
        except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError):
            continue
    return tables
