"""Frictionless reads each referenced (table, key columns) once per validation (scripts/frictionless_lookups.py), and
finds exactly what it finds reading it once for every table that points at it."""

from __future__ import annotations

import collections
import itertools
import json
from contextlib import contextmanager
from pathlib import Path

import frictionless
import pytest
from frictionless.resources import TableResource

import frictionless_lookups
from breakages import BREAKAGES
from csv_format import check_csv_format
from frictionless_checks import check_with_frictionless
from package import load_package
from rule_registry import coverage


@contextmanager
def opened_tables(monkeypatch):
    """How often frictionless opens each table (by name): once to validate it, once more each time it is read for a key."""
    opened = collections.Counter()
    original = TableResource.open

    def counting(resource):
        opened[resource.name] += 1
        return original(resource)

    monkeypatch.setattr(TableResource, "open", counting)
    yield opened
    monkeypatch.setattr(TableResource, "open", original)


@contextmanager
def unshared():
    """Frictionless reading a referenced table once for every table that points at it, as it comes."""
    frictionless_lookups.unshare_lookups()
    original = frictionless_lookups.share_lookups
    frictionless_lookups.share_lookups = lambda: False
    try:
        yield
    finally:
        frictionless_lookups.share_lookups = original
        original()


def frictionless_problems(descriptor: Path):
    package = load_package(descriptor)
    return check_with_frictionless(package, check_csv_format(package))[0]


def test_each_referenced_table_is_read_once_however_many_tables_point_at_it(in_package, monkeypatch):
    readers = collections.defaultdict(set)  # referenced table -> the tables that read it for a key
    for resource in load_package(in_package.descriptor).resources:
        for fk in resource.schema.get("foreignKeys", []):
            readers[fk["reference"]["resource"] or resource.name].add(resource.name)
    most, fewest = max(readers, key=lambda t: len(readers[t])), min(readers, key=lambda t: len(readers[t]))
    assert len(readers[most]) >= 5 and len(readers[fewest]) == 1, readers
    with opened_tables(monkeypatch) as opened:
        assert frictionless_problems(in_package.descriptor) == []
    assert opened[most] == opened[fewest] == 2, opened  # validated, and read once for its key
    with unshared(), opened_tables(monkeypatch) as opened:
        frictionless_problems(in_package.descriptor)
    assert (opened[most], opened[fewest]) == (1 + len(readers[most]), 2), opened


def test_every_dangling_key_is_reported_as_when_each_foreign_key_reads_its_table_itself(in_package):
    entries = [entry for entry in coverage(load_package(in_package.descriptor)) if entry.rule == "foreign-key"]
    expected = {BREAKAGES["foreign-key"](in_package, entry) for entry in entries}
    assert len({expect.file for expect in expected}) >= 6
    shared = frictionless_problems(in_package.descriptor)
    with unshared():
        alone = frictionless_problems(in_package.descriptor)
    assert shared == alone
    assert {(p.file, p.row, p.column) for p in shared if p.rule == "foreign-key"} == {
        (expect.file, expect.row, expect.column) for expect in expected
    }


@pytest.mark.parametrize("referenced", ["sources", "actors"])  # actors: also the table that points at itself
def test_a_referenced_table_changed_between_two_validations_is_read_again(in_package, referenced):
    assert frictionless_problems(in_package.descriptor) == []
    header, rows = in_package.read_rows(referenced)
    in_package.write_rows(referenced, header, rows[1:])
    gone = rows[0][header[0]]
    dangling = [p for p in frictionless_problems(in_package.descriptor) if p.rule == "foreign-key"]
    assert dangling and all(gone in p.message for p in dangling), dangling


def test_one_package_validated_twice_reads_a_changed_table_again(in_package):
    package = frictionless.Package(str(in_package.descriptor))
    assert package.validate().valid
    header, rows = in_package.read_rows("sources")
    in_package.write_rows("sources", header, rows[1:])
    assert any(e.type == "foreign-key" for task in package.validate().tasks for e in task.errors)


# A made-up package with the foreign keys the real one lacks: one to the table itself (named, and as ""), two from
# one table to another on different columns, a key of two columns; each with a dangling value.
TABLES = {
    "a": ("id,parent,code", ["1,,x", "2,1,y", "3,9,z"]),
    "b": ("a_id,a_code", ["1,x", "2,q", "7,y", "3,z"]),
    "c": ("a_code", ["x", "w"]),
}
KEYS = {
    "a": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}],
    "b": [
        {"fields": ["a_id"], "reference": {"resource": "a", "fields": ["id"]}},
        {"fields": ["a_code"], "reference": {"resource": "a", "fields": ["code"]}},
        {"fields": ["a_id", "a_code"], "reference": {"resource": "a", "fields": ["id", "code"]}},
    ],
    "c": [{"fields": ["a_code"], "reference": {"resource": "a", "fields": ["code"]}}],
}


def errors_of(root: Path) -> list[tuple]:
    report = frictionless.validate(str(root / "datapackage.json"))
    return [(task.name, e.type, e.to_dict().get("rowNumber"), e.note) for task in report.tasks for e in task.errors]


@pytest.mark.parametrize("order", ["".join(p) for p in itertools.permutations("abc")])
@pytest.mark.parametrize("self_reference", ["", "a"])
def test_keys_to_other_columns_of_a_table_and_to_the_table_itself_are_read_apart(tmp_path, order, self_reference):
    resources = []
    for name in order:
        header, rows = TABLES[name]
        (tmp_path / f"{name}.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        keys = json.loads(json.dumps(KEYS[name]).replace('"resource": ""', f'"resource": "{self_reference}"'))
        fields = [{"name": column, "type": "string"} for column in header.split(",")]
        resources.append({"name": name, "path": f"{name}.csv", "schema": {"fields": fields, "foreignKeys": keys}})
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}), encoding="utf-8")
    shared = errors_of(tmp_path)
    with unshared():
        alone = errors_of(tmp_path)
    assert shared == alone
    dangling = collections.Counter(task for task, kind, _, _ in shared if kind == "foreign-key")
    assert dangling == {"a": 1, "b": 4, "c": 1}, shared  # b: "7" and "q" alone, and the pairs (7, y) and (2, q)
