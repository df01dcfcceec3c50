"""The writers' own guards: an output path stays in its directory, a zip entry in its zip, and one run's staging
is cleared by the next and never by a run going on beside it."""

from __future__ import annotations

import threading
import time

import pytest

from owned_paths import UnsafeOutput, owned, zip_entry
from staging import staging


def test_an_output_inside_its_directory_is_allowed(tmp_path):
    assert owned(tmp_path, "parquet", "events.parquet") == tmp_path.resolve() / "parquet" / "events.parquet"


@pytest.mark.parametrize("name", ["../x.zip", "../../../../tmp/x-0.1.0.zip", "parquet/../../x", "/tmp/x", ".", ""])
def test_an_output_that_climbs_out_or_is_the_directory_itself_is_refused(tmp_path, name):
    with pytest.raises(UnsafeOutput, match="would be written outside"):
        owned(tmp_path / "dist", name)


def test_an_output_behind_a_symlink_that_leads_out_is_refused(tmp_path):
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "parquet").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeOutput):
        owned(tmp_path / "dist", "parquet/events.parquet")


@pytest.mark.parametrize(
    "name, entry",
    [("data/events.csv", "data/events.csv"), ("./data//events.csv", "data/events.csv"), ("README.md", "README.md")],
)
def test_a_zip_entry_is_relative_posix_and_normalised(name, entry):
    assert zip_entry(name) == entry


@pytest.mark.parametrize("name", ["../x", "data/../../x", "/etc/passwd", "data\\events.csv", "C:/x", "", "."])
def test_a_zip_entry_that_is_absolute_climbs_out_or_is_not_posix_is_refused(name):
    with pytest.raises(UnsafeOutput):
        zip_entry(name)


def test_staging_starts_empty_however_a_killed_run_left_it_and_is_gone_afterwards(tmp_path):
    (tmp_path / ".tmp" / "half").mkdir(parents=True)
    (tmp_path / ".tmp" / "half" / "x.db").write_bytes(b"partial")
    with staging(tmp_path) as tmp:
        assert tmp == tmp_path / ".tmp" and list(tmp.iterdir()) == []
        (tmp / "new.db").write_bytes(b"x")
    assert list(tmp_path.iterdir()) == []


def test_staging_is_removed_when_the_run_fails(tmp_path):
    with pytest.raises(RuntimeError), staging(tmp_path) as tmp:
        (tmp / "half.db").write_bytes(b"x")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_into_the_same_directory_waits_instead_of_clearing_the_firsts_files(tmp_path):
    events = []

    def second():
        with staging(tmp_path):
            events.append("second started")

    with staging(tmp_path) as tmp:
        (tmp / "mine.db").write_bytes(b"x")
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.3)
        assert (tmp / "mine.db").exists() and events == []
        events.append("first finished")
    other.join(timeout=10)
    assert events == ["first finished", "second started"]
