"""The package's skeleton: a descriptor and table schemas every later check can rely on, naming nothing outside it.

Frictionless's own descriptor validation finds most malformed metadata, but it accepts a package without
tables, a package or table name that is a path, a resource path that is a URL, a pattern that is not a
regular expression and a foreign key to a table that does not exist, and it does not say which field is
wrong; those are checked here. Until the skeleton is sound no data is read: later layers would trip over the
same faults with worse messages, or open files they must not.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import urlsplit

from package import PackageError, display_path, read_json, unsafe_reason
from problems import Problem

SLUG = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")  # a name that is safe as a file, table and URL component
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")  # column names reach SQL, HTML and Parquet
TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)
# Metadata that Datasette and the README render as links: only web addresses may go there.
LINKED = ("licenses", "sources", "contributors")


def is_web_url(value) -> bool:
    """An absolute http(s) URL with a host and no white space: the only kind of link the package may carry."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_profiles(descriptor_path: Path, descriptor: dict) -> list[Problem]:
    """Frictionless's own profiles for the descriptor and each table schema (on a skeleton check_skeleton passed).

    Kept apart from check_skeleton because it needs frictionless, which validate.py imports only in the process
    that runs frictionless's layer: nothing here is needed to open the package's files safely.
    """
    shown = display_path(descriptor_path)
    problems = _frictionless_descriptor_problems(shown, descriptor)
    for resource in descriptor["resources"]:
        schema, where = resource["schema"], shown
        if isinstance(schema, str):
            where = display_path(descriptor_path.parent / schema)
            schema = read_json(descriptor_path.parent / schema, descriptor_path.parent)
        problems += _schema_profile_problems(where, resource["name"], schema)
    return problems


def check_skeleton(descriptor_path: Path, descriptor: dict) -> list[Problem]:
    """Problems that make the package unsafe or impossible to read, found with the standard library alone; empty when
    every later layer may run (check_profiles adds frictionless's own profiles, in frictionless's process)."""
    shown = display_path(descriptor_path)
    problems = _package_problems(shown, descriptor)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        what = "the package is empty" if resources in (None, []) else f"it is {type(resources).__name__}, not a list"
        problems.append(
            Problem(shown, None, "resources", "package-structure", f'"resources" must list at least one table: {what}')
        )
        return problems
    schemas: dict[str, tuple[str, dict]] = {}
    names: list[str] = []
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            problems.append(
                Problem(shown, None, f"resources[{index}]", "package-structure", f"resource {index} must be an object")
            )
            continue
        name = resource.get("name")
        label = f"resource {index} ({name})" if isinstance(name, str) else f"resource {index}"
        if not isinstance(name, str) or not SLUG.fullmatch(name):
            problems.append(
                Problem(
                    shown,
                    None,
                    f"resources[{index}].name",
                    "package-name",
                    f"{label}: name must be a lowercase slug such as events",
                )
            )
        elif name in names:
            problems.append(Problem(shown, None, f"resources[{index}].name", "package-name", f"{label}: name is used twice"))
        names.append(name if isinstance(name, str) else "")
        problems += _path_problems(shown, descriptor_path.parent, resource.get("path"), label, index)
        schema_problems, schema = _load_schema(shown, descriptor_path.parent, resource.get("schema"), label, index)
        problems += schema_problems
        if schema is not None and isinstance(name, str):
            where = display_path(descriptor_path.parent / resource["schema"]) if isinstance(resource["schema"], str) else shown
            schemas[name] = (where, schema)
    for name, (where, schema) in schemas.items():
        problems += _schema_problems(where, name, schema)
    if not problems:
        problems += _foreign_key_targets(schemas)
    return problems


def _package_problems(shown: str, descriptor: dict) -> list[Problem]:
    problems = []
    name = descriptor.get("name")
    if not isinstance(name, str) or not SLUG.fullmatch(name):
        problems.append(
            Problem(
                shown,
                None,
                "name",
                "package-name",
                f"name {name!r} must be a lowercase slug (letters, digits and single . _ -): it names the release files",
            )
        )
    for key in LINKED:
        entries = descriptor.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            if isinstance(entry, dict) and "path" in entry and not is_web_url(entry["path"]):
                problems.append(
                    Problem(shown, None, f"{key}[{index}].path", "url-scheme", f"{entry['path']!r} is not an http(s) web address")
                )
    if "homepage" in descriptor and not is_web_url(descriptor["homepage"]):
        problems.append(
            Problem(shown, None, "homepage", "url-scheme", f"{descriptor['homepage']!r} is not an http(s) web address")
        )
    return problems


def _frictionless_descriptor_problems(shown: str, descriptor: dict) -> list[Problem]:
    """Frictionless's profile for the package, with each table's path and schema left to the checks below."""
    from frictionless import Package

    checked = copy.deepcopy(descriptor)
    for resource in checked["resources"]:
        if isinstance(resource, dict):
            resource.pop("schema", None)
            resource["path"] = "data/placeholder.csv"
    try:
        report = Package.validate_descriptor(checked)
    except Exception as exc:  # a descriptor frictionless cannot even inspect is still a located problem
        return [Problem(shown, None, None, "package-structure", f"frictionless cannot read the descriptor: {_one_line(exc)}")]
    return [Problem(shown, None, None, "package-structure", _one_line(error.note)) for error in report.errors]


def _path_problems(shown: str, root: Path, path, label: str, index: int) -> list[Problem]:
    column = f"resources[{index}].path"
    if not isinstance(path, str) or not path:
        return [Problem(shown, None, column, "resource-path", f"{label}: path must be the file's path inside the package")]
    if urlsplit(path).scheme or path.startswith("/") or "\\" in path or ".." in Path(path).parts:
        return [
            Problem(shown, None, column, "resource-path", f"{label}: path {path!r} must be a relative path inside the package")
        ]
    reason = unsafe_reason(root / path, root)
    if reason == "file not found":
        return [
            Problem(display_path(root / path), None, None, "missing-file", f"file not found (the path of {label} in {shown})")
        ]
    return [Problem(shown, None, column, "resource-path", f"{label}: {path} {reason}")] if reason else []


def _load_schema(shown: str, root: Path, schema, label: str, index: int) -> tuple[list[Problem], dict | None]:
    column = f"resources[{index}].schema"
    if isinstance(schema, dict):
        return [], schema
    if not isinstance(schema, str) or not schema:
        return [Problem(shown, None, column, "resource-path", f"{label}: schema must be a table schema or its path")], None
    if urlsplit(schema).scheme or schema.startswith("/") or ".." in Path(schema).parts:
        return [
            Problem(
                shown, None, column, "resource-path", f"{label}: schema {schema!r} must be a relative path inside the package"
            )
        ], None
    try:
        return [], read_json(root / schema, root)
    except PackageError as exc:
        rule = "missing-file" if exc.message == "file not found" else "schema-structure"
        return [Problem(exc.file, None, None, rule, f"{exc.message} (the schema of {label} in {shown})")], None


def _schema_problems(where: str, table: str, schema: dict) -> list[Problem]:
    """Located problems in one table schema: each field first, then frictionless's profile for the rest."""
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [Problem(where, None, "fields", "schema-structure", f'the schema of {table}: "fields" must be a non-empty list')]
    problems = []
    for number, field in enumerate(fields, start=1):
        problems += _field_problems(where, table, number, field)
    return problems + _key_shape_problems(where, table, schema)


def _schema_profile_problems(where: str, table: str, schema: dict) -> list[Problem]:
    """Frictionless's profile for a table schema whose fields _schema_problems found sound."""
    from frictionless import Schema

    problems = []
    try:
        report = Schema.validate_descriptor(schema)
    except Exception as exc:
        return [
            Problem(where, None, None, "schema-structure", f"frictionless cannot read the schema of {table}: {_one_line(exc)}")
        ]
    problems += [
        Problem(where, None, None, "schema-structure", f"the schema of {table}: {_one_line(e.note)}") for e in report.errors
    ]
    return problems


def _field_problems(where: str, table: str, number: int, field) -> list[Problem]:
    def problem(column: str, message: str) -> Problem:
        return Problem(where, None, column, "schema-structure", message)

    if not isinstance(field, dict):
        return [problem(f"fields[{number}]", f"field {number} of {table} must be an object")]
    name = field.get("name")
    if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
        return [problem(f"fields[{number}]", f"field {number} of {table} needs a name in lowercase snake_case, not {name!r}")]
    problems = []
    kind = field.get("type", "string")
    if kind not in TYPES:
        problems.append(problem(name, f"{table}.{name}: type {kind!r} is not a Table Schema type ({', '.join(TYPES)})"))
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return [*problems, problem(name, f"{table}.{name}: constraints must be an object")]
    pattern = constraints.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            problems.append(problem(name, f"{table}.{name}: pattern {pattern!r} is not a regular expression ({exc})"))
    if "enum" in constraints and (not isinstance(constraints["enum"], list) or not constraints["enum"]):
        problems.append(problem(name, f"{table}.{name}: enum must be a non-empty list"))
    return problems


def _key_shape_problems(where: str, table: str, schema: dict) -> list[Problem]:
    """A primary key and foreign keys of the shapes the later layers read (frictionless's profile says more)."""
    problems = []
    names = {f.get("name") for f in schema["fields"] if isinstance(f, dict)}
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(pk, list) or any(name not in names for name in pk):
        problems.append(
            Problem(where, None, "primaryKey", "schema-structure", f"the schema of {table}: primaryKey must name its fields")
        )
    fks = schema.get("foreignKeys", [])
    for number, fk in enumerate(fks if isinstance(fks, list) else [None], start=1):
        reference = fk.get("reference") if isinstance(fk, dict) else None
        fields = fk.get("fields") if isinstance(fk, dict) else None
        ref_fields = reference.get("fields") if isinstance(reference, dict) else None
        fields, ref_fields = ([x] if isinstance(x, str) else x for x in (fields, ref_fields))
        shaped = isinstance(reference, dict) and isinstance(reference.get("resource", ""), str)
        shaped = shaped and isinstance(fields, list) and isinstance(ref_fields, list) and len(fields) == len(ref_fields) > 0
        if not shaped or any(not isinstance(name, str) or name not in names for name in fields):
            problems.append(
                Problem(
                    where,
                    None,
                    f"foreignKeys[{number}]",
                    "schema-structure",
                    f"the schema of {table}: foreign key {number} must name fields of {table} and as many of its reference",
                )
            )
    return problems


def _foreign_key_targets(schemas: dict[str, tuple[str, dict]]) -> list[Problem]:
    """Every foreign key points at a table of the package and at fields that table has."""
    problems = []
    for table, (where, schema) in schemas.items():
        for number, fk in enumerate(schema.get("foreignKeys", []), start=1):
            reference = fk["reference"]
            target = reference.get("resource") or table
            if target not in schemas:
                problems.append(
                    Problem(
                        where,
                        None,
                        f"foreignKeys[{number}]",
                        "schema-structure",
                        f"{table}: foreign key {number} refers to {target!r}, which is not a table of the package",
                    )
                )
                continue
            fields = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
            known = {f["name"] for f in schemas[target][1]["fields"]}
            missing = [name for name in fields if name not in known]
            if missing:
                problems.append(
                    Problem(
                        where,
                        None,
                        f"foreignKeys[{number}]",
                        "schema-structure",
                        f"{table}: foreign key {number} refers to {target}.{', '.join(missing)}, which does not exist",
                    )
                )
    return problems


def _one_line(text) -> str:
    return " ".join(str(text).split())
