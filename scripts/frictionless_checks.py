"""First validation layer: frictionless checks every cell, header, key and foreign key against the table schemas."""

from __future__ import annotations

import re
from pathlib import Path

import frictionless

from package import Package, display_path
from problems import Problem

# csv_format reports encoding errors with their line number, which frictionless does not give.
_SKIPPED = {"encoding-error"}
# Errors about a whole file: frictionless repeats them under every table that looks up the broken one.
_FILE_ERRORS = {"encoding-error", "scheme-error", "format-error", "source-error", "io-error", "dialect-error"}
_LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}
_CONSTRAINT = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"', re.S)
_TYPE = re.compile(r'type is "(?P<type>\w+)/(?P<format>[^"]*)"')
_PATH_IN_NOTE = re.compile(r"No such file or directory: '(?P<path>[^']+)'")


def check_with_frictionless(package: Package) -> list[Problem]:
    try:
        report = frictionless.validate(str(package.descriptor_path))
    except Exception as exc:  # frictionless raises for some malformed descriptors; the user gets a line, not a traceback
        return [
            Problem(display_path(package.descriptor_path), None, None, "package", f"frictionless cannot read the package: {exc}")
        ]
    problems = [Problem(display_path(package.descriptor_path), None, None, error.type, error.message) for error in report.errors]
    seen_file_errors: set[str] = set()
    for task in report.tasks:
        shown = display_path(package.root / task.place) if task.place else display_path(package.descriptor_path)
        for error in task.errors:
            if error.type in _SKIPPED:
                continue
            if error.type in _FILE_ERRORS:
                note = getattr(error, "note", "") or error.message
                if note in seen_file_errors:
                    continue
                seen_file_errors.add(note)
                missing = _PATH_IN_NOTE.search(note)
                if missing:
                    shown = display_path(Path(missing.group("path")))
            problems.append(_to_problem(shown, error))
    return problems


def _to_problem(shown: str, error: frictionless.Error) -> Problem:
    data = error.to_dict()
    row = data.get("rowNumber")
    column = data.get("fieldName")
    note = data.get("note", "")
    cell = data.get("cell")
    rule, message = error.type, error.message
    if error.type == "constraint-error":
        match = _CONSTRAINT.search(note)
        if match:
            rule = match.group("name")
            message = _constraint_message(rule, match.group("value"), cell)
    elif error.type == "type-error":
        match = _TYPE.search(note)
        expected = match.group("type") if match else "the field's type"
        rule, message = "type", f'"{cell}" is not a valid {expected}' + (" (use YYYY-MM-DD)" if expected == "date" else "")
    elif error.type == "foreign-key":
        names = data.get("fieldNames") or []
        column = ", ".join(names) or None
        table = data.get("referenceName") or "this table"
        values = ", ".join(f'"{v}"' for v in data.get("fieldCells") or [])
        message = f"{values} is not a {', '.join(data.get('referenceFieldNames') or [])} in {table}"
    elif error.type in ("unique-error", "primary-key"):
        rule = "unique" if error.type == "unique-error" else "primary-key"
        message = f"duplicate {'value' if column else 'primary key'}: {note}"
    elif error.type in _LABEL_ERRORS:
        row = 1
        column = data.get("fieldName") or data.get("label") or None
        message = _label_message(error.type, column)
    elif error.type == "missing-cell":
        message = "the row has fewer cells than the header"
    elif error.type == "extra-cell":
        message = "the row has more cells than the header (an unquoted comma?)"
    elif error.type == "scheme-error" and "No such file" in note:
        rule, message = "missing-file", "file not found"
    return Problem(shown, row, column, rule, message)


def _constraint_message(name: str, value: str, cell: str | None) -> str:
    if name == "required":
        return "a value is required"
    if name == "enum":
        return f'"{cell}" is not one of the allowed values {value}'
    if name == "pattern":
        return f'"{cell}" does not match the pattern {value}'
    if name in ("minimum", "maximum"):
        return f'"{cell}" is {"below the minimum" if name == "minimum" else "above the maximum"} {value}'
    if name == "unique":
        return f'"{cell}" is not unique'
    return f'"{cell}" breaks the constraint {name} = {value}'


def _label_message(kind: str, column: str | None) -> str:
    return {
        "missing-label": f'the header lacks the column "{column}" (is the separator a comma?)',
        "extra-label": f'the header has a column "{column}" the schema does not define',
        "incorrect-label": f'the header does not match the schema at column "{column}"',
        "duplicate-label": f'the header repeats the column "{column}"',
        "blank-label": "the header has an empty column name",
    }[kind]
