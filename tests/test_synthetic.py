"""The benchmarks' synthetic packages are valid, so they time validation and serving, not error reports."""

from __future__ import annotations

from archive import Archive
from synthetic import real_row_count, write_synthetic_package
from validate import validate_package


def test_a_synthetic_package_n_times_the_real_one_is_valid(tmp_path):
    rows = write_synthetic_package(tmp_path / "x3", copies=3)
    assert rows == 3 * real_row_count()
    result = validate_package(tmp_path / "x3" / "datapackage.json", tmp_path / "no-archive")
    assert result.problems == []
    assert Archive(tmp_path / "no-archive").available is False
