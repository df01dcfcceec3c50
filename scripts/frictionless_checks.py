"""First validation layer: frictionless checks every cell, header, key and foreign key against the table schemas.

Frictionless stops reading a table after its error limit and then skips that table's key checks; the pandera
layer checks every schema constraint and key again, on every row, so nothing is lost, and the stop is listed
as a skipped check rather than passed over in silence.
"""

from __future__ import annotations

import re
from dataclasses import astuple
from pathlib import Path

from csv_format import Layout
from messages import constraint_message, foreign_key_message, type_message
from package import Package, Resource, display_path
from problems import RULE_ERROR, Problem

# csv_format reports encoding errors with their line number, which frictionless does not give.
_SKIPPED = {"encoding-error"}
# Errors about a whole file: frictionless repeats them under every table that looks up the broken one.
_FILE_ERRORS = {"encoding-error", "scheme-error", "format-error", "source-error", "io-error", "dialect-error"}
_LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}
_CONSTRAINT = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"', re.S)
_PATH_IN_NOTE = re.compile(r"No such file or directory: '(?P<path>[^']+)'")
LIMIT_ERRORS = 1000  # per table, as frictionless's default; pandera reports every row


def check_profiles_then_cells(descriptor_path, descriptor: dict, package: Package, layout: Layout):
    """Frictionless's layer, and its profiles of the descriptor and schemas: (profile problems, problems, skipped).

    frictionless.validate checks the descriptor and schemas against its profiles before it reads a row, and
    reports what fails as the report's own errors, without saying which file: then check_profiles runs those
    profiles file by file, to place each problem. One function, so one process alone imports frictionless.
    """
    from structure_checks import check_profiles

    report, failed = _frictionless_report(package)
    if failed:
        return [], failed, []
    if report.errors:
        try:
            placed = check_profiles(descriptor_path, descriptor)
        except Exception:
            placed = []
        shown = display_path(package.descriptor_path)
        return placed or [Problem(shown, None, None, e.type, _one_line(e.note or e.message)) for e in report.errors], [], []
    return [], *_problems_of(report, package, layout)


def check_with_frictionless(package: Package, layout: Layout) -> tuple[list[Problem], list[str]]:
    """Problems frictionless finds (none from a file the layout found unfit), and the tables it stopped reading early.

    Frictionless numbers records; the layout turns them into line numbers where a record spans lines.
    """
    report, failed = _frictionless_report(package)
    if failed:
        return failed, []
    problems, skipped = _problems_of(report, package, layout)
    shown = display_path(package.descriptor_path)
    return [Problem(shown, None, None, e.type, _one_line(e.message)) for e in report.errors] + problems, skipped


def _frictionless_report(package: Package):
    """frictionless's report on the package, or the problem that it could not make one."""
    import frictionless  # imported here: the other layers and the CLI start without it

    from frictionless_lookups import share_lookups

    share_lookups()

    try:
        return frictionless.validate(str(package.descriptor_path), limit_errors=LIMIT_ERRORS), []
    except Exception as exc:  # frictionless failing on a package the skeleton checks passed is a fault of the check
        shown = display_path(package.descriptor_path)
        return None, [Problem(shown, None, None, RULE_ERROR, f"frictionless could not validate the package: {_one_line(exc)}")]


def _problems_of(report, package: Package, layout: Layout) -> tuple[list[Problem], list[str]]:
    """The report's problems in its tables, located and worded as the package's other problems are."""
    shown_package = display_path(package.descriptor_path)
    problems: list[Problem] = []
    skipped = []
    seen_file_errors: set[str] = set()
    resources = {display_path(r.path): r for r in package.resources}
    unfit_tables = {r.name for shown, r in resources.items() if shown in layout.unfit}
    for task in report.tasks:
        shown = display_path(package.root / task.place) if task.place else shown_package
        header_only = shown in layout.unfit  # its rows cannot be numbered (csv_format said why); its header can
        if any("reached error limit" in warning for warning in task.warnings):
            skipped.append(f"frictionless on {shown}: stopped after {LIMIT_ERRORS} errors (the pandera layer checked every row)")
        resource = resources.get(shown)
        for error in task.errors:
            if error.type in _SKIPPED or (error.type == "foreign-key" and error.to_dict().get("referenceName") in unfit_tables):
                continue  # an unfit table's keys cannot be looked up: its own problem says why
            if error.type in _FILE_ERRORS:
                note = getattr(error, "note", "") or error.message
                if note in seen_file_errors:
                    continue
                seen_file_errors.add(note)
                missing = _PATH_IN_NOTE.search(note)
                if missing:
                    shown = display_path(Path(missing.group("path")))
            problem = _to_problem(shown, error, resource)
            if problem is not None and (not header_only or problem.rule in _LABEL_ERRORS):
                problems.append(Problem(problem.file, layout.line(problem.file, problem.row), *astuple(problem)[2:]))
    return problems, skipped


def _to_problem(shown: str, error, resource: Resource | None) -> Problem | None:
    data = error.to_dict()
    row = data.get("rowNumber")
    column = data.get("fieldName") or None  # frictionless gives "" for a cell beyond the header
    cell = data.get("cell")
    fields = {f["name"]: f for f in resource.fields} if resource else {}
    pk = resource.primary_key if resource else []
    rule, message = error.type, _one_line(error.message)
    if error.type == "constraint-error":
        match = _CONSTRAINT.search(data.get("note", ""))
        if match:
            rule = match.group("name")
            message = constraint_message(rule, fields.get(column, {}), cell)
    elif error.type == "type-error":
        rule, message = "type", type_message(fields.get(column, {"type": "value"}), cell)
    elif error.type == "foreign-key":
        names = data.get("fieldNames") or []
        column = names[0] if names else None
        table = data.get("referenceName") or (resource.name if resource else "this table")
        message = foreign_key_message(table, data.get("referenceFieldNames") or [], data.get("fieldCells") or [])
    elif error.type == "unique-error":
        if pk == [column]:
            return None  # the same duplicate is the primary-key problem below, reported once
        rule, message = "unique", constraint_message("unique", fields.get(column, {}), cell)
    elif error.type == "primary-key":
        column = pk[0] if pk else None
        message = f"duplicate primary key {', '.join(pk)}: {data.get('note', '')}"
    elif error.type in _LABEL_ERRORS:
        row = 1
        column = data.get("fieldName") or data.get("label") or None
        message = _label_message(error.type, column)
    elif error.type == "missing-cell":
        message = "the row has fewer cells than the header"
    elif error.type == "extra-cell":
        message = "the row has more cells than the header (an unquoted comma?)"
    elif error.type == "scheme-error" and "No such file" in data.get("note", ""):
        rule, message = "missing-file", "file not found"
    return Problem(shown, row, column, rule, message)


def _label_message(kind: str, column: str | None) -> str:
    return {
        "missing-label": f'the header lacks the column "{column}" (is the separator a comma?)',
        "extra-label": f'the header has a column "{column}" the schema does not define',
        "incorrect-label": f'the header does not match the schema at column "{column}"',
        "duplicate-label": f'the header repeats the column "{column}"',
        "blank-label": "the header has an empty column name",
    }[kind]


def _one_line(text) -> str:
    return " ".join(str(text).split())
