"""A check that cannot run is a failure of its own (rule-error, exit 2), never a pass."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import pandera_checks
import validate
from conftest import REPO
from package import load_package
from rules import ColumnRule, Rule

pytestmark = pytest.mark.usefixtures("in_package")


def run_cli(capsys) -> tuple[int, str, str]:
    code = validate.main(["datapackage.json", "--archive", "no-archive", "--jobs", "1"])  # monkeypatches reach one process
    out = capsys.readouterr()
    return code, out.out, out.err


def with_rule(monkeypatch, rule: Rule) -> None:
    original = pandera_checks.all_rules
    monkeypatch.setattr(pandera_checks, "all_rules", lambda resources: [*original(resources), rule])


def test_a_rule_that_raises_makes_the_run_exit_2_and_names_the_rule_the_table_and_the_error(monkeypatch, capsys):
    def raises(context, frame):
        raise ValueError("kaput\nsecond line")

    with_rule(monkeypatch, Rule("broken-rule", "events", "title", raises, lambda c, r: "never"))
    code, out, err = run_cli(capsys)
    assert code == 2
    assert 'data/events.csv:title: broken-rule on events.title could not run: ValueError("kaput second line") [rule-error]' in out
    assert "could not be checked in full" in err


@pytest.mark.parametrize(
    "result, why",
    [
        (lambda frame: pd.Series([True]), "returned 1 values for"),
        (lambda frame: True, "returned bool, not one boolean per row"),
        (lambda frame: pd.Series(pd.NA, index=frame.index, dtype="boolean"), "returned no verdict for"),
        (lambda frame: frame["title"], "values, not booleans"),
    ],
)
def test_a_rule_that_returns_the_wrong_shape_is_a_rule_error(monkeypatch, capsys, result, why):
    with_rule(monkeypatch, Rule("odd-rule", "events", "title", lambda c, frame: result(frame), lambda c, r: "never"))
    code, out, _ = run_cli(capsys)
    assert code == 2
    assert "odd-rule on events.title could not run" in out and why in out


def test_a_cell_rule_that_raises_is_a_rule_error_on_every_column_it_covers(monkeypatch, capsys):
    def raises(values, field):
        raise RuntimeError("no")

    rule = ColumnRule("fragile", lambda field: field["name"] == "notes", raises, lambda f, v: "never")
    original = pandera_checks.column_rules
    monkeypatch.setattr(pandera_checks, "column_rules", lambda: [*original(), rule])
    code, out, _ = run_cli(capsys)
    assert code == 2
    package = load_package(REPO / "datapackage.json")
    tables_with_notes = [r.name for r in package.resources if "notes" in r.field_names]
    assert len(tables_with_notes) > 1
    for table in tables_with_notes:
        assert f"data/{table}.csv:notes: fragile on {table}.notes could not run: RuntimeError('no') [rule-error]" in out


def test_frictionless_failing_is_a_rule_error(monkeypatch, capsys):
    import frictionless

    def fails(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(frictionless, "validate", fails)
    code, out, _ = run_cli(capsys)
    assert code == 2
    assert "datapackage.json: frictionless could not validate the package: disk gone [rule-error]" in out


def test_a_table_pandas_cannot_read_while_no_other_layer_complains_is_a_rule_error(monkeypatch, capsys):
    real = pandera_checks.read_table

    def unreadable(path):
        if path.name == "places.csv":
            raise MemoryError("out of memory")
        return real(path)

    monkeypatch.setattr(pandera_checks, "read_table", unreadable)
    code, out, _ = run_cli(capsys)
    assert code == 2
    assert "data/places.csv: pandas cannot read data/places.csv: out of memory; none of its rules ran [rule-error]" in out


def test_a_check_pandera_reports_without_a_row_is_kept_as_a_rule_error(monkeypatch, capsys):
    # A check of pandera's own that raises (an enum pandas cannot apply) comes back from pandera without a row.
    original = pandera_checks._schema_checks

    def broken_enum(field):
        checks = original(field)
        return [pandera_checks.pa.Check(lambda s: 1 / 0, name="isin")] if field["name"] == "place_type" else checks

    monkeypatch.setattr(pandera_checks, "_schema_checks", broken_enum)
    code, out, _ = run_cli(capsys)
    assert code == 2
    assert "enum on places.place_type could not run: ZeroDivisionError" in out


def test_tables_with_a_header_and_no_rows_are_checked_by_every_rule(in_package, capsys):
    """A rule that builds its verdicts from a list got an empty object Series on an empty table (a
    truncated figures.csv): every rule must run on every table that has no rows."""
    for csv_path in sorted((in_package.root / "data").glob("*.csv")):
        header = csv_path.read_text(encoding="utf-8").split("\n", 1)[0]
        csv_path.write_text(header + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys)
    assert "[rule-error]" not in out and "could not be checked in full" not in err
    assert code == 0  # no row, so no row breaks a rule; what matters is that every rule ran


def emptied_or_cut(number: int, row: list[str], width: int) -> list[str]:
    """Even rows cut short after a cell, odd rows with one cell emptied, each at a column that moves with the row."""
    at = (number // 2) % width
    return row[: 1 + at] if number % 2 == 0 else [*row[:at], "", *row[at + 1 :]]


def test_rows_with_missing_cells_in_any_column_are_checked_by_every_rule(in_package, capsys):
    """A line that ends early (a truncated file, a bad edit) or an emptied cell leaves values missing, the key
    included. Row by row the missing cell moves along the columns, so every rule meets a missing value in every
    column of the larger tables (the small ones in as many columns as they have rows)."""
    for csv_path in sorted((in_package.root / "data").glob("*.csv")):
        with csv_path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        cut = [emptied_or_cut(number, row, len(header)) for number, row in enumerate(rows)]
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *cut])
    code, out, err = run_cli(capsys)
    assert "[rule-error]" not in out and "could not be checked in full" not in err, [
        line for line in out.splitlines() if "rule-error" in line
    ]
    assert code == 1
