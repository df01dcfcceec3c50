"""Every committed CSV as the common readers take it: csvkit, DuckDB's read_csv_auto and Python's csv.Sniffer
guess the dialect from the file itself, and must find every column and row the schema and the file hold."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from csvkit.utilities.csvstat import CSVStat

from conftest import REPO
from package import load_package

RESOURCES = load_package(REPO / "datapackage.json").resources


def rows_and_header(resource) -> tuple[int, list[str]]:
    with resource.path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return sum(1 for _ in reader), list(reader.fieldnames or [])


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_csvstat_finds_every_column_and_row(resource):
    rows, header = rows_and_header(resource)
    columns, count = io.StringIO(), io.StringIO()
    CSVStat(["--csv", str(resource.path)], output_file=columns).run()  # csvkit sniffs the dialect from the first 1 KB
    CSVStat(["--count", str(resource.path)], output_file=count).run()
    described = list(csv.DictReader(io.StringIO(columns.getvalue())))
    assert [column["column_name"] for column in described] == header == resource.field_names
    assert int(count.getvalue()) == rows


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_duckdb_read_csv_auto_finds_every_column_and_row(resource):
    rows, header = rows_and_header(resource)
    relation = duckdb.sql("SELECT * FROM read_csv_auto(?)", params=[str(resource.path)])
    assert relation.columns == header == resource.field_names
    assert len(relation.fetchall()) == rows


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_csv_sniffer_finds_the_comma_and_the_double_quote_in_the_first_kilobyte(resource):
    sample = resource.path.read_bytes()[:1024].decode("utf-8", errors="ignore")
    dialect = csv.Sniffer().sniff(sample)
    assert (dialect.delimiter, dialect.quotechar) == (",", '"')
