"""The benchmarks' synthetic packages: valid copies that time validation and serving, and broken ones that time reports."""

from __future__ import annotations

from synthetic import break_rows, write_synthetic_package
from tables import read_rows
from validate import validate_package


def test_a_synthetic_package_n_times_the_real_one_is_valid_with_every_key_resolved(tmp_path):
    write_synthetic_package(tmp_path / "x3", copies=3)
    result = validate_package(tmp_path / "x3" / "datapackage.json", tmp_path / "no-archive")
    assert result.problems == [] and result.complete
    events = {r["event_id"] for r in read_rows(tmp_path / "x3" / "data" / "events.csv")}
    figures = read_rows(tmp_path / "x3" / "data" / "figures.csv")
    assert {f["event_id"][-8:] for f in figures if f["event_id"]} == {"-0000000", "-0000001", "-0000002"}
    assert all(f["event_id"] in events for f in figures if f["event_id"])  # each copy's rows point at their own copy


def test_a_broken_synthetic_package_is_reported_on_every_broken_row(tmp_path):
    write_synthetic_package(tmp_path / "x2", copies=2)
    broken = break_rows(tmp_path / "x2", 0.2)
    result = validate_package(tmp_path / "x2" / "datapackage.json", tmp_path / "no-archive")
    assert broken > 20 and result.exit_code == 1
    assert len({(p.file, p.row) for p in result.problems if p.row}) >= broken
