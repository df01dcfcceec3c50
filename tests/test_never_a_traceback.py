"""Properties: whatever a contributor's edit does to a CSV, the validator checks everything and says where it broke.

CI runs a quick sample; `HYPOTHESIS_PROFILE=thorough make test` runs many more examples.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from report import as_github_annotations, as_json, as_text
from tables import read_rows, write_rows
from validate import validate_package

TABLES = sorted(p.stem for p in (REPO / "data").glob("*.csv"))
SCHEMAS = {t: json.loads((REPO / "schemas" / f"{t}.schema.json").read_text(encoding="utf-8")) for t in TABLES}

# Each example validates a whole copy of the package (about 0.6 s). Six a test keep `make test` near two minutes;
# each run draws new ones, and the rule matrix covers every rule at every cell whatever is drawn here.
settings.register_profile("default", max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
# Values no field of its kind accepts, whatever the column: each must be reported where it was put.
ALWAYS_BAD = {
    "string": st.sampled_from(
        ["=SUM(A1)", " leading space", "two  spaces", "tab\there", "zero\u200bwidth", "bidi\u202eoverride"]
    ),
    "number": st.sampled_from(["1e309", "Infinity", "1_000", " 12", "twelve", "1,000"]),
    "date": st.sampled_from(["2025-9-1", "2025-02-30", "01/02/2025", "2025-13-01", "tomorrow"]),
}


def copy_package() -> Path:
    root = Path(tempfile.mkdtemp(prefix="pkg-"))
    for name in ("data", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "datapackage.json", root)
    return root


def checked(root: Path):
    """Validate a copy; everything must run (no rule error) and every problem render as text, JSON and annotations."""
    try:
        result = validate_package(root / "datapackage.json", root / "no-archive")
        assert result.complete, [p for p in result.problems if p.rule == "rule-error"]
        for problem in result.problems:
            assert problem.file and problem.rule and problem.message
        as_text(result.problems), as_json(result), as_github_annotations(result.problems, result.columns)
        return result
    finally:
        shutil.rmtree(root)


def in_package(shown: str) -> str:
    """A reported path relative to its package copy (the copies live outside the working directory)."""
    return "data/" + shown.split("/data/", 1)[1] if "/data/" in shown else shown


def rows_of(table: str) -> list[list[str]]:
    with (REPO / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@given(
    table=st.sampled_from(TABLES),
    row=st.integers(min_value=0, max_value=40),
    column=st.integers(min_value=0, max_value=15),
    value=cell_text,
)
def test_any_value_in_any_cell_is_checked_in_full(table, row, column, value):
    root = copy_package()
    rows = rows_of(table)
    target = rows[1 + row % (len(rows) - 1)]
    target[column % len(target)] = value
    with (root / "data" / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    checked(root)


@given(
    table=st.sampled_from(TABLES),
    row=st.integers(min_value=0, max_value=40),
    column=st.integers(min_value=0, max_value=15),
    data=st.data(),
)
def test_a_value_its_column_never_accepts_is_reported_at_its_line(table, row, column, data):
    root = copy_package()
    fields = SCHEMAS[table]["fields"]
    field = fields[column % len(fields)]
    kind = field.get("type", "string")
    value = data.draw(ALWAYS_BAD[kind if kind in ALWAYS_BAD else "string"])
    rows = read_rows(REPO / "data" / f"{table}.csv")
    index = row % len(rows)
    rows[index][field["name"]] = value
    write_rows(
        root / "data" / f"{table}.csv",
        [f["name"] for f in fields],
        rows,
        [f["name"] for f in fields if f.get("type", "string") == "string"],
    )
    result = checked(root)
    assert (f"data/{table}.csv", index + 2) in {(in_package(p.file), p.row) for p in result.problems}, (field["name"], value)


@given(table=st.sampled_from(TABLES), data=st.binary(max_size=300))
def test_random_bytes_as_a_csv_are_reported_in_that_file(table, data):
    root = copy_package()
    (root / "data" / f"{table}.csv").write_bytes(data)
    result = checked(root)
    assert f"data/{table}.csv" in {in_package(p.file) for p in result.problems}


@given(table=st.sampled_from(TABLES), cut=st.integers(min_value=0, max_value=5000))
def test_a_truncated_csv_is_checked_in_full_and_a_cut_line_is_reported(table, cut):
    root = copy_package()
    path = root / "data" / f"{table}.csv"
    whole = path.read_bytes()
    path.write_bytes(whole[:cut])
    result = checked(root)
    if 0 < cut < len(whole) and whole[cut - 1 : cut] != b"\n":  # a line cut in the middle
        assert f"data/{table}.csv" in {in_package(p.file) for p in result.problems}
