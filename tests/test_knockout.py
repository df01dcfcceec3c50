"""The knockout suite (`make knockout`, or `pytest -m knockout`): break the code, and the tests must notice.

Each rule is knocked out on each table it covers (disabled at run time, `rule@table`): its breakage must then go
unreported at its cells, so no other rule is silently doing its work (beside the rules any change of that value
trips). Each listed build, release and site mutation is applied to the code in a separate pytest run of the tests
that guard it (tests/knockouts.py), which must fail. The run ends with "N mutations, N caught".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict

import pytest

import csv_format
from breakages import BREAKAGES, VALUE_SENSITIVE
from conftest import REPO
from knockouts import MUTATIONS
from package import load_package
from rule_registry import coverage
from validate import validate_package

pytestmark = pytest.mark.knockout

ENTRIES = coverage(load_package(REPO / "datapackage.json"))
BY_RULE_AND_TABLE: dict[tuple[str, str | None], list] = defaultdict(list)
for _entry in ENTRIES:
    BY_RULE_AND_TABLE[(_entry.rule, _entry.table)].append(_entry)


def _label(key: tuple[str, str | None]) -> str:
    return key[0] if key[1] is None else f"{key[0]}@{key[1]}"


@pytest.mark.parametrize("key", sorted(BY_RULE_AND_TABLE, key=_label), ids=_label)
def test_a_rule_knocked_out_on_a_table_leaves_its_breakage_unreported(in_package, monkeypatch, key):
    rule, table = key
    copy = in_package.with_synthetic_archive()
    if rule == "line-too-long":
        monkeypatch.setattr(csv_format, "LINE_LIMIT", 20_000)
    expected = [BREAKAGES[rule](copy, entry) for entry in BY_RULE_AND_TABLE[key]]
    problems = validate_package(copy.descriptor, copy.archive, disabled={_label(key)}).problems
    covering = defaultdict(set)
    for entry in ENTRIES:
        covering[(entry.table, entry.column)].add(entry.rule)
    for expect in expected:
        left = {p.rule for p in problems if (p.file, p.row, p.column) == (expect.file, expect.row, expect.column)}
        assert rule not in left, f"{_label(key)} still reports {expect}"
        allowed = expect.also | (VALUE_SENSITIVE & covering[(table, expect.column)])
        assert left <= allowed, (
            f"with {_label(key)} knocked out, {left - allowed} still report {expect}: it is not this rule's alone"
        )


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_mutation_of_the_build_release_or_site_is_caught_by_its_tests(name):
    guards = MUTATIONS[name].guards
    env = {**os.environ, "KNOCKOUT": name}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:xdist", "-p", "no:cacheprovider", *guards],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "knocked out: " + name in result.stdout, result.stdout[-2000:]
    assert result.returncode == 1, f"{name} survived: {', '.join(guards)} passed with it applied\n{result.stdout[-2000:]}"
