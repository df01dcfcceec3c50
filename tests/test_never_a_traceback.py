"""Property: whatever a contributor's edit does to a CSV, the validator ends in a report or a clean pass."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARCHIVE, REPO
from report import as_github_annotations, as_json, as_text
from validate import validate_package

TABLES = sorted(p.stem for p in (REPO / "data").glob("*.csv"))

# CI runs a quick sample; `HYPOTHESIS_PROFILE=thorough make test` runs many more examples.
settings.register_profile("default", max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "NA", "null", "-1", "1e309", "nan", "2025-02-30", "para 0", "para 999", "=1+1", '"', ",", "\n", "\r\n", "\x00"]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def copy_package() -> Path:
    root = Path(tempfile.mkdtemp(prefix="pkg-"))
    for name in ("data", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "datapackage.json", root)
    return root


def assert_reported(root: Path) -> None:
    try:
        result = validate_package(root / "datapackage.json", ARCHIVE)
        for problem in result.problems:
            assert problem.file and problem.rule and problem.message
        as_text(result.problems), as_json(result), as_github_annotations(result.problems, result.columns)
    finally:
        shutil.rmtree(root)


@given(
    table=st.sampled_from(TABLES),
    row=st.integers(min_value=0, max_value=40),
    column=st.integers(min_value=0, max_value=15),
    value=cell_text,
)
def test_a_corrupted_cell_gives_a_report_not_a_traceback(table, row, column, value):
    root = copy_package()
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    target = rows[1 + row % (len(rows) - 1)]
    target[column % len(target)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert_reported(root)


@given(table=st.sampled_from(TABLES), data=st.binary(max_size=300))
def test_random_bytes_as_a_csv_give_a_report_not_a_traceback(table, data):
    root = copy_package()
    (root / "data" / f"{table}.csv").write_bytes(data)
    assert_reported(root)


@given(table=st.sampled_from(TABLES), cut=st.integers(min_value=0, max_value=5000))
def test_a_truncated_csv_gives_a_report_not_a_traceback(table, cut):
    root = copy_package()
    path = root / "data" / f"{table}.csv"
    path.write_bytes(path.read_bytes()[:cut])
    assert_reported(root)
