"""Every rule, on every table and column it covers, reports its own breakage at exactly that cell.

Generated from the schemas and the rule lists (scripts/rule_registry.py): a new column, table or rule is covered
without editing this file, and a rule without a breakage in tests/breakages.py fails here. The rules about whole
files are broken in every table; those about datapackage.json and the schemas once.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

import csv_format
from breakages import BREAKAGES, VALUE_SENSITIVE
from conftest import REPO
from package import load_package
from rule_registry import Coverage, cell_coverage, coverage
from validate import validate_package

ENTRIES = coverage(load_package(REPO / "datapackage.json"))
BY_RULE: dict[str, list] = defaultdict(list)
for _entry in ENTRIES:
    BY_RULE[_entry.rule].append(_entry)


def test_every_rule_in_the_registry_has_a_breakage():
    assert sorted(set(BY_RULE) - set(BREAKAGES)) == []


@pytest.mark.parametrize("rule", sorted(BY_RULE))
def test_the_rule_reports_its_breakage_at_each_cell_it_covers(in_package, monkeypatch, rule):
    copy = in_package.with_synthetic_archive()
    if rule == "line-too-long":  # 16 MiB lines in every table are slow to write: the same rule, a lower limit
        monkeypatch.setattr(csv_format, "LINE_LIMIT", 20_000)
    entries = BY_RULE[rule]
    expected = {entry: BREAKAGES[rule](copy, entry) for entry in entries}
    problems = validate_package(copy.descriptor, copy.archive).problems
    at = defaultdict(dict)
    for p in problems:
        at[(p.file, p.row, p.column)][p.rule] = p.message
    covering = defaultdict(set)  # (table, column) -> every rule that covers it
    for entry in ENTRIES:
        covering[(entry.table, entry.column)].add(entry.rule)
    for entry, expect in expected.items():
        found = at[(expect.file, expect.row, expect.column)]
        assert rule in found, f"{rule} on {entry.table}.{entry.column}: not reported at {expect}; found {found}"
        assert expect.says in found[rule], found[rule]
        allowed = {rule} | expect.also | (VALUE_SENSITIVE & covering[(entry.table, expect.column)])
        assert set(found) <= allowed, f"{entry}: other rules at the cell: {set(found) - allowed}"


def test_unique_reports_a_repeated_value_in_a_column_that_is_not_the_key(in_package):
    """No column of the package is unique without being its table's key, so the matrix has no `unique` cell:
    mark one unique here and break it."""
    schema_path = in_package.root / "schemas" / "places.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "name")["constraints"]["unique"] = True
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    entry = Coverage("unique", "places", "name")
    assert entry in cell_coverage(load_package(in_package.descriptor))
    expect = BREAKAGES["unique"](in_package, entry)
    found = [(p.file, p.row, p.column, p.rule) for p in validate_package(in_package.descriptor, in_package.archive).problems]
    assert found == [(expect.file, expect.row, expect.column, "unique")]
