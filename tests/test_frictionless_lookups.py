"""Frictionless reads each referenced (table, key) once per validation (scripts/frictionless_lookups.py), and finds
exactly what it finds reading it once per foreign key."""

from __future__ import annotations

import collections
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import frictionless_lookups
from breakages import BREAKAGES
from csv_format import check_csv_format
from frictionless_checks import check_with_frictionless
from package import load_package
from rule_registry import coverage

_OPENED: collections.Counter | None = None


def _count_opens(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str) and args[0].endswith(".csv"):
        _OPENED[Path(args[0]).name] += 1


sys.addaudithook(_count_opens)  # an audit hook cannot be removed: it counts only inside opened_files()


@contextmanager
def opened_files():
    global _OPENED
    _OPENED = collections.Counter()
    try:
        yield _OPENED
    finally:
        _OPENED = None


@contextmanager
def unshared():
    """Frictionless reading each referenced table once per foreign key, as it comes."""
    frictionless_lookups.unshare_lookups()
    original = frictionless_lookups.share_lookups
    frictionless_lookups.share_lookups = lambda: False
    try:
        yield
    finally:
        frictionless_lookups.share_lookups = original


def frictionless_problems(descriptor: Path):
    package = load_package(descriptor)
    return check_with_frictionless(package, check_csv_format(package))[0]


def test_each_referenced_table_is_read_once_however_many_tables_point_at_it(in_package):
    readers = collections.defaultdict(set)  # referenced table -> the tables that read it for a key
    for resource in load_package(in_package.descriptor).resources:
        for fk in resource.schema.get("foreignKeys", []):
            readers[fk["reference"]["resource"] or resource.name].add(resource.name)
    most, fewest = max(readers, key=lambda t: len(readers[t])), min(readers, key=lambda t: len(readers[t]))
    assert len(readers[most]) >= 5 and len(readers[fewest]) == 1, readers
    with opened_files() as opened:
        assert frictionless_problems(in_package.descriptor) == []
    assert opened[f"{most}.csv"] == opened[f"{fewest}.csv"], opened
    with unshared(), opened_files() as opened:
        frictionless_problems(in_package.descriptor)
    assert opened[f"{most}.csv"] == opened[f"{fewest}.csv"] + len(readers[most]) - 1, opened


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
