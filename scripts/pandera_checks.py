"""Second validation layer: pandera models derived from the table schemas, extended with the rules in rules/.

Columns are never declared here: `from_frictionless_schema` turns each Table Schema into a model (types,
required, unique, enum, pattern). It leaves dates as plain strings, so a date check is added for every
date field. The rules across columns, rows and tables are attached as named dataframe checks.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.io.pandas_io import from_frictionless_schema

from archive import Archive
from package import Package, Resource, display_path
from problems import Problem
from rules import Context, Rule, all_rules
from tables import read_tables

# pandera's names for the checks it derives, as the frictionless layer names the same constraint,
# so that one fault seen by both layers is reported once.
_DERIVED_RULES = {
    "str_matches": "pattern",
    "isin": "enum",
    "not_nullable": "required",
    "field_uniqueness": "unique",
    "greater_than_or_equal_to": "minimum",
    "less_than_or_equal_to": "maximum",
    "coerce_dtype": "type",
    "dtype": "type",
    "is_iso_date": "type",
    "column_in_dataframe": "missing-label",
    "column_in_schema": "extra-label",
}


def _is_iso_date(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series.astype("string"), format="%Y-%m-%d", errors="coerce")
    return series.isna() | parsed.notna()


def table_model(resource: Resource, rules: list[Rule] = (), context: Context | None = None) -> pa.DataFrameSchema:
    """The pandera model of one table: derived from its Table Schema, plus date parsing and the given rules."""
    model = from_frictionless_schema(resource.schema)
    # Report the second of two duplicates, as frictionless does, so one fault gives one problem.
    model.report_duplicates = "exclude_first"
    for column in model.columns.values():
        column.report_duplicates = "exclude_first"
    for field in resource.fields:
        if field.get("type") == "date":
            column = model.columns[field["name"]]
            model.columns[field["name"]] = column.set_checks([*column.checks, pa.Check(_is_iso_date, name="is_iso_date")])
    model.checks = [
        *model.checks,
        *(pa.Check(_guarded(rule, context), name=rule.name, error=f"{rule.name}|{rule.column}") for rule in rules),
    ]
    return model


def _guarded(rule: Rule, context: Context):
    def check(frame: pd.DataFrame) -> pd.Series:
        try:
            return rule.passes(context, frame).reindex(frame.index, fill_value=True).astype(bool)
        except KeyError:
            return pd.Series(True, index=frame.index)  # a missing column: frictionless reports the header

    return check


def check_with_pandera(package: Package, archive: Archive) -> tuple[list[Problem], list[str]]:
    """Problems the pandera models find, and a line for each check that could not run (and so did not pass)."""
    tables = read_tables(package)
    string_fields = {r.name: [f["name"] for f in r.fields if f.get("type", "string") == "string"] for r in package.resources}
    context = Context(tables, archive, string_fields)
    rules, skipped = [], []
    for rule in all_rules(context):
        missing = [name for name in (rule.table, *rule.needs) if name not in tables]
        if rule.needs_archive and not archive.available:
            skipped.append(f"{rule.name} on {rule.table}: no archive of source texts at {archive.directory}")
        elif missing:
            skipped.append(f"{rule.name} on {rule.table}: {', '.join(missing)} could not be read")
        else:
            rules.append(rule)
    problems = []
    for resource in package.resources:
        if resource.name not in tables:
            continue
        own = [rule for rule in rules if rule.table == resource.name]
        problems += _validate(resource, table_model(resource, own, context), tables[resource.name], context, own)
    return problems, sorted(set(skipped))


def _validate(
    resource: Resource, model: pa.DataFrameSchema, frame: pd.DataFrame, context: Context, rules: list[Rule]
) -> list[Problem]:
    try:
        model.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    except pa.errors.SchemaError as error:  # raised despite lazy=True for some structural faults
        cases = pd.DataFrame(
            [{"column": getattr(error, "column_name", None), "check": str(error.check), "failure_case": None, "index": None}]
        )
    shown = display_path(resource.path)
    by_key = {f"{rule.name}|{rule.column}": rule for rule in rules}
    problems = []
    for case in cases.to_dict("records"):
        rule = by_key.get(str(case.get("check")))
        index = case.get("index")
        row = None if index is None or pd.isna(index) else int(index) + 2
        if rule is not None:
            if row is None:
                continue
            record, column = frame.loc[int(index)], rule.column
            if column is None:  # a frame-valued check: pandera gives the failing cell as {column: value}
                column = next(iter(case["failure_case"]))
                record = record[[column]]
            problems.append(Problem(shown, row, column, rule.name, _explain(rule, context, record)))
            continue
        problems.append(_derived_problem(shown, row, case))
    return problems


def _explain(rule: Rule, context: Context, row: pd.Series) -> str:
    try:
        return rule.explain(context, row)
    except Exception:  # a message built from a malformed row must not turn a report into a traceback
        return f"the row breaks the rule {rule.name} on {rule.column}"


def _derived_problem(shown: str, row: int | None, case: dict) -> Problem:
    check = str(case.get("check"))
    name = check.split("(")[0]
    rule = _DERIVED_RULES.get(name, name)
    column = case.get("column") if isinstance(case.get("column"), str) else None
    if name == "in_range":
        bounds = [float(b) for b in check[len("in_range(") : -1].split(",")]
        value = pd.to_numeric(case.get("failure_case"), errors="coerce")
        rule = "minimum" if value < bounds[0] else "maximum"
    if name == "multiple_fields_uniqueness":
        return Problem(shown, row, None, "primary-key", "duplicate primary key")
    if rule in ("missing-label", "extra-label"):
        column = str(case.get("failure_case")) if case.get("failure_case") is not None else column
        return Problem(shown, 1, column, rule, f"column {column} does not match the schema")
    return Problem(shown, row, column, rule, f'"{case.get("failure_case")}" fails {check}')
