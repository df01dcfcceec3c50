"""Second validation layer: pandera models derived from the table schemas, extended with the rules in rules/.

Columns are never declared here: each Table Schema becomes a model (required, unique, enum and pattern as
pandera's own checks). Types are not coerced: pandas reads `1_27` as 127, and one unreadable cell makes every
numeric check of its column raise. Types, bounds and keys are rules instead (rules/values.py), checked on the
text, so one bad cell is one problem and the rest of the column is still checked. Every rule is a
pandera check on the column it blames, so each failure comes back at its row and column.

No check can pass by failing to run: a check that raises, returns anything but one boolean per row, or yields a
failure pandera cannot place, is reported as `rule-error` (and validate.py exits 2). Nothing pandera returns is
dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from archive import Archive
from csv_format import Layout
from messages import constraint_message
from package import Package, Resource, display_path
from pandera_failures import failure_tables_built_when_read
from problems import RULE_ERROR, Problem, is_disabled
from rules import ColumnRule, Context, Rule, all_rules, column_rules
from tables import read_table

# pandera's names for the checks it derives from a Table Schema, as the frictionless layer names them.
DERIVED_RULES = {"str_matches": "pattern", "isin": "enum", "not_nullable": "required", "field_uniqueness": "unique"}
_HEADER_CHECKS = {"column_in_dataframe": "missing-label", "column_in_schema": "extra-label"}
CELL_RULES = "cell-rules"  # the one pandera check that runs a column's cell rules


@dataclass
class Layer:
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # checks that could not run: not passed, not failed
    found: Counter = field(default_factory=Counter)  # (file, rule) -> failures found, listed or not
    unreadable: dict[str, str] = field(default_factory=dict)  # file -> why pandas could not read it


class RuleFault(Exception):
    """A rule returned something that is not one boolean per row."""


def check_with_pandera(
    package: Package,
    archive: Archive,
    layout: Layout | None = None,
    disabled: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> Layer:
    """Problems the pandera models find, at most `limit` per rule and file (all are counted).

    Files the layout found unfit are not read (csv_format said why); a table pandas cannot read is listed in
    `unreadable`, for the caller to weigh against the other layers' problems (a knock-on, or a rule error).
    """
    layout = layout or Layout()
    unfit = layout.unfit
    layer = Layer()
    tables: dict[str, pd.DataFrame] = {}
    for resource in package.resources:
        shown = display_path(resource.path)
        if shown in unfit:
            layer.skipped.append(f"cells of {shown}: not checked, because of the problem {unfit[shown]}")
            continue
        try:
            tables[resource.name] = read_table(resource.path)
        except Exception as exc:
            layer.unreadable[shown] = f"pandas cannot read {shown}: {_one_line(exc)}"
            continue
        if list(tables[resource.name].columns) != resource.field_names:
            layer.skipped.append(f"cells of {shown}: its header does not match its schema (see the label problems)")
            del tables[resource.name]
    context = Context(tables, archive, package.descriptor)
    rules, unread = [], {}
    for rule in all_rules(package.resources):
        if is_disabled(disabled, rule.name, rule.table):
            continue
        missing = [name for name in (rule.table, *rule.needs) if name not in tables]
        if rule.needs_archive and not archive.available:
            layer.skipped.append(f"{rule.name} on {rule.table}: no archive of source texts at {archive.directory}")
        elif missing and rule.table in package.names:
            unread.setdefault(missing[0], set()).add(f"{rule.name} on {rule.table}")
        elif not missing:
            rules.append(rule)
    for table, names in unread.items():
        layer.skipped.append(f"{len(names)} rules that read {table}, which could not be read: {', '.join(sorted(names))}")
    cell_rules = column_rules()
    for resource in package.resources:
        if resource.name in tables:
            own = [rule for rule in rules if rule.table == resource.name]
            _check_table(resource, tables[resource.name], context, own, cell_rules, disabled, limit, layer, layout)
    layer.skipped = sorted(set(layer.skipped))
    return layer


def _check_table(
    resource: Resource,
    frame: pd.DataFrame,
    context: Context,
    rules: list[Rule],
    cell_rules: list[ColumnRule],
    disabled: frozenset[str],
    limit: int | None,
    layer: Layer,
    layout: Layout,
) -> None:
    shown = display_path(resource.path)
    faults: dict[tuple[str, str], Exception] = {}
    verdicts: dict[tuple[str, str], pd.Series] = {}  # (column, cell rule) -> its verdict on each row
    # The errors pandera raises are read inside the block that made them (none builds its table: failure_cases
    # lists the failures); outside it, SchemaErrors is pandera's own again.
    with failure_tables_built_when_read():
        try:
            model, checks = _model(resource, frame, context, rules, cell_rules, disabled, faults, verdicts)
            model.validate(frame, lazy=True)
            cases = None
        except pa.errors.SchemaErrors as errors:
            try:
                cases = failure_cases(errors)
            except Exception as exc:  # failures that cannot be listed are checks whose outcome is unknown
                message = f"pandera could not list the failures in {shown}: {_one_line(exc)}"
                layer.problems.append(Problem(shown, None, None, RULE_ERROR, message))
                return
        except Exception as exc:  # pandera itself failing is a check that did not run
            message = f"pandera could not check {shown}: {_one_line(exc)}"
            layer.problems.append(Problem(shown, None, None, RULE_ERROR, message))
            return
    if cases is not None:
        cases = _by_cell_rule(cases, verdicts)
    unplaced = _to_problems(shown, resource, frame, cases, checks, context, limit, layer, layout) if cases is not None else set()
    for (column, name), exc in faults.items():
        if (column, name) not in unplaced:  # pandera said nothing of a check that raised: say it here
            layer.problems.append(_rule_error(shown, resource.name, column, name, repr(exc)))


def _model(resource, frame, context, rules, cell_rules, disabled, faults, verdicts) -> tuple[pa.DataFrameSchema, dict]:
    """The table's pandera model, and what each of its checks is: (column, check name) -> rule or schema field."""
    pk = resource.primary_key
    checks: dict[tuple[str, str], Rule | ColumnRule | dict] = {}
    added: dict[str, list[pa.Check]] = {name: [] for name in resource.field_names}
    for f in resource.fields:
        group = [rule for rule in cell_rules if rule.applies(f) and not is_disabled(disabled, rule.name, resource.name)]
        if group:
            added[f["name"]].append(_cell_rules_check(group, f, frame, faults, verdicts))
            checks.update({(f["name"], rule.name): rule for rule in group})
    for rule in rules:
        if (rule.column, rule.name) in checks or rule.column not in added:
            raise RuleFault(f"rule {rule.name} on {resource.name} blames column {rule.column!r} twice or not at all")
        added[rule.column].append(_row_check(rule, frame, context, faults))
        checks[(rule.column, rule.name)] = rule
    columns = {}
    for f in resource.fields:
        name = f["name"]
        derived = [check for check in _schema_checks(f) if not is_disabled(disabled, DERIVED_RULES[check.name], resource.name)]
        constraints = f.get("constraints") or {}
        columns[name] = pa.Column(
            None,  # every cell stays text: types are the `type` rule's
            checks=[*derived, *added[name]],
            nullable=not constraints.get("required") or is_disabled(disabled, "required", resource.name),
            # a sole key's duplicates are the primary-key rule's; the second of two is reported, as frictionless does
            unique=bool(constraints.get("unique")) and not is_disabled(disabled, "unique", resource.name) and pk != [name],
            report_duplicates="exclude_first",
        )
        for check in (*derived, "not_nullable", "field_uniqueness"):
            checks[(name, getattr(check, "name", check))] = f
    return pa.DataFrameSchema(columns), checks


def _schema_checks(field_: dict) -> list[pa.Check]:
    """The schema's pattern and enum as pandera's own checks (pandera.io's from_frictionless_schema would derive the
    same, but it parses the schema with frictionless: a second of start-up in the process that needs it least)."""
    constraints = field_.get("constraints") or {}
    checks = []
    if "pattern" in constraints:
        checks.append(pa.Check.str_matches(f"^{constraints['pattern']}$"))
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"]))
    return checks


def _cell_rules_check(group: list[ColumnRule], field_: dict, frame: pd.DataFrame, faults, verdicts) -> pa.Check:
    """One pandera check for all the cell rules of a column: each rule's verdicts are kept in `verdicts`, so the
    cells the check fails are told apart by rule afterwards. (One check a rule and column made pandera's own
    bookkeeping half the cost of validating the package.) A rule that raises is kept in `faults`, not passed."""
    column = field_["name"]
    screens = [rule.screen for rule in group if rule.screen]
    screen = "|".join(f"(?:{pattern})" for pattern in screens)

    def check(_values: pd.Series) -> pd.Series:
        passes = pd.Series(True, index=frame.index)
        # One scan for every screened rule: a clean column (the usual case) spares each rule its own.
        suspect = screen and frame[column].astype("string[pyarrow]").str.contains(screen, regex=True).fillna(False).any()
        for rule in group:
            if rule.screen and not suspect:
                continue
            try:  # the raw text column, not pandera's copy: rules read what the CSV holds
                verdict = _guarded(lambda rule=rule: rule.passes(frame[column], field_), frame, (column, rule.name), faults)
            except Exception:
                continue
            if not verdict.all():  # kept only where it fails: a column of a million rows passes a dozen rules
                verdicts[(column, rule.name)] = verdict
                passes &= verdict
        return passes

    return pa.Check(check, name=CELL_RULES, ignore_na=False)


def _row_check(rule: Rule, frame: pd.DataFrame, context: Context, faults) -> pa.Check:
    def check(_values: pd.Series) -> pd.Series:
        return _guarded(lambda: rule.passes(context, frame), frame, (rule.column, rule.name), faults)

    return pa.Check(check, name=rule.name, ignore_na=False)


def _guarded(run, frame: pd.DataFrame, key: tuple[str, str], faults: dict) -> pd.Series:
    """Run a check; keep any fault it has (it is re-raised for pandera to report, and reported here if it does not)."""
    try:
        result = run()
        if not isinstance(result, pd.Series):
            raise RuleFault(f"returned {type(result).__name__}, not one boolean per row")
        if not result.index.equals(frame.index):
            raise RuleFault(f"returned {len(result)} values for {len(frame)} rows")
        if result.isna().any():
            raise RuleFault(f"returned no verdict for {int(result.isna().sum())} rows")
        # An empty table gets an empty verdict, whose dtype says nothing (a Series built from [] is object).
        if len(result) and not pd.api.types.is_bool_dtype(result.dtype):
            raise RuleFault(f"returned {result.dtype} values, not booleans")
        return result.astype(bool)
    except Exception as exc:
        faults[key] = exc
        raise


def failure_cases(errors: pa.errors.SchemaErrors) -> pd.DataFrame:
    """Every failure pandera collected, one row each: column, check, index (None where it has no row), failure_case.

    pandera's own `errors.failure_cases` holds the same rows, but assembles them with a DataFrame operation for each
    failing check: a sixth of a validation with problems in many columns. Here the same lists are read at once.
    tests/test_pandera_failures.py checks both agree on every kind of failure the models produce.
    """
    columns, checks, indexes, values = [], [], [], []
    for error in errors.schema_errors:
        check = error.check
        if check is not None and not isinstance(check, str):  # as pandera names a check in its failure cases
            check = check.error if check.error is not None else check.name if check.name is not None else str(check)
        cases = error.failure_cases
        if isinstance(cases, pd.DataFrame):
            if "column" in cases:  # a check of the whole table names the column of each failure
                columns += cases["column"].tolist()
            else:
                column = error.column_name if error.column_name is not None else error.schema.name
                columns += [column] * len(cases)
            checks += [check] * len(cases)
            indexes += cases["index"].tolist()
            values += cases["failure_case"].tolist()
        else:  # one failure of the whole column or table (a missing column): no row
            columns.append(error.schema.name)
            checks.append(check)
            indexes.append(None)
            values.append(cases)
    return pd.DataFrame({"column": columns, "check": checks, "index": pd.Series(indexes, dtype="object"), "failure_case": values})


def _by_cell_rule(cases: pd.DataFrame, verdicts: dict) -> pd.DataFrame:
    """Each failure of a column's cell-rules check as one failure per cell rule that fails that row."""
    grouped = (cases["check"].astype(str) == CELL_RULES) & cases["index"].notna()
    if not grouped.any():
        return cases
    parts = [cases[~grouped]]
    for column, failures in cases[grouped].groupby("column", sort=False):
        rows = failures["index"].astype("int64").tolist()
        for (verdict_column, rule_name), verdict in verdicts.items():
            if verdict_column == column:
                failing = [row for row in rows if not verdict.loc[row]]
                parts.append(pd.DataFrame({"column": column, "check": rule_name, "index": pd.Series(failing, dtype="object")}))
    return pd.concat(parts, ignore_index=True)


def _to_problems(shown, resource, frame, cases: pd.DataFrame, checks, context, limit, layer: Layer, layout: Layout) -> set:
    """Every failure case as a problem: at its row and column when pandera placed it, as a rule error when not.

    Returns the (column, check) of the failures it could not place.
    """
    cases = cases.assign(name=cases["check"].astype(str).str.split("(").str[0])
    placed = cases["index"].notna()
    unplaced = set()
    for case in cases[~placed].to_dict("records"):
        layer.problems.append(_unplaced(shown, resource.name, case, checks))
        unplaced.add((case["column"] if isinstance(case["column"], str) else None, case["name"]))
    cases = cases[placed]
    if cases.empty:
        return unplaced
    cases = cases.assign(row=cases["index"].astype("int64") + 2)
    cases = cases.assign(rule=[_rule_name(checks.get((c, n)), n) for c, n in zip(cases["column"], cases["name"])])
    cases = cases.sort_values(["rule", "row", "column"], kind="stable")
    for rule_name, count in cases.groupby("rule", sort=False).size().items():
        layer.found[(shown, rule_name)] += int(count)
    listed = cases if limit is None else cases.groupby("rule", sort=False).head(limit)
    for (column, name), group in listed.groupby(["column", "name"], sort=False):
        what = checks.get((column, name))
        rows = group["index"].astype("int64").tolist()
        if isinstance(what, Rule):
            messages = [_explain(what.explain, context, record) for record in frame.loc[rows].to_dict("records")]
        elif isinstance(what, ColumnRule):
            messages = [_explain(what.explain, resource.field(column), value) for value in frame.loc[rows, column].tolist()]
        else:
            rule_name = _rule_name(what, name)
            field_ = what if isinstance(what, dict) else {}
            messages = [constraint_message(rule_name, field_, value) for value in frame.loc[rows, column].tolist()]
        rule_name = _rule_name(what, name)
        layer.problems += [
            Problem(shown, layout.line(shown, row + 2), column, rule_name, text) for row, text in zip(rows, messages)
        ]
    return unplaced


def _rule_name(what, check_name: str) -> str:
    if isinstance(what, (Rule, ColumnRule)):
        return what.name
    return DERIVED_RULES.get(check_name, check_name)


def _unplaced(shown: str, table: str, case: dict, checks) -> Problem:
    """A failure without a row: a header that does not match (located at line 1) or a check that could not run."""
    if case["name"] in _HEADER_CHECKS:
        column = str(case.get("failure_case"))
        return Problem(shown, 1, column, _HEADER_CHECKS[case["name"]], f"column {column} does not match the schema")
    column = case.get("column") if isinstance(case.get("column"), str) else None
    return _rule_error(
        shown, table, column, _rule_name(checks.get((column, case["name"])), case["name"]), case.get("failure_case")
    )


def _rule_error(shown: str, table: str, column: str | None, name: str, exc) -> Problem:
    where = f"{table}.{column}" if column else table
    return Problem(shown, None, column, RULE_ERROR, f"{name} on {where} could not run: {_one_line(exc)}")


def _explain(explain, *args) -> str:
    try:
        return explain(*args)
    except Exception:  # a message built from a malformed row must not turn a report into a traceback
        return "the row breaks this rule (its message could not be built from the row)"


def _one_line(text) -> str:
    return " ".join(str(text).split())
