"""Read the package's CSVs into pandas as text, the one way every layer and the build read them."""

from __future__ import annotations

import csv

import pandas as pd

from package import Package


def read_table(path) -> pd.DataFrame:
    """Every cell as a string and an empty cell as missing, so nothing is guessed (no "NA" → NaN, no 007 → 7)."""
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8")


def write_rows(path, header: list[str], rows: list[dict]) -> None:
    """Write rows as the package's CSVs are written (LF, minimal quoting), so an unchanged row stays byte-identical."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


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
