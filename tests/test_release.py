"""make release: a zip that validates on its own, Parquet that pandas reads, checksums that hold."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import ARCHIVE, REPO

SCRIPT = REPO / "scripts" / "release.py"
VERSION = __import__("json").loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["version"]
NAME = f"cambodia-china-anti-fraud-{VERSION}"


def run_release(package_root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)],
        cwd=package_root,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "dist"
    result = run_release(REPO, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_the_release_holds_the_zip_the_database_parquet_and_checksums(dist):
    names = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    assert f"{NAME}.zip" in names and f"{NAME}.db" in names and "SHA256SUMS" in names
    assert sorted(n for n in names if n.startswith("parquet/")) == sorted(
        f"parquet/{p.stem}.parquet" for p in (REPO / "data").glob("*.csv")
    )


def test_the_unpacked_zip_validates_with_frictionless_on_its_own(dist, tmp_path):
    with zipfile.ZipFile(dist / f"{NAME}.zip") as archive:
        archive.extractall(tmp_path)
    unpacked = tmp_path / NAME
    for name in ("README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md", "docs/data-dictionary.md"):
        assert (unpacked / name).is_file(), name
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", "datapackage.json"], cwd=unpacked, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_pandas_reads_every_parquet_file_with_the_csvs_row_counts_and_types(dist):
    for path in (REPO / "data").glob("*.csv"):
        frame = pd.read_parquet(dist / "parquet" / f"{path.stem}.parquet")
        assert len(frame) == csv_rows(path), path.stem
    events = pd.read_parquet(dist / "parquet" / "events.parquet")
    assert str(events["start_date"].dtype).startswith(("object", "date"))  # date32 comes back as datetime.date objects
    figures = pq.read_table(dist / "parquet" / "figures.parquet")
    assert str(figures.schema.field("value").type) == "double"
    assert b"description" in figures.schema.field("as_printed").metadata


def test_every_checksum_matches_its_file(dist):
    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_the_same_package_gives_the_same_zip(dist, tmp_path):
    assert run_release(REPO, tmp_path / "again").returncode == 0
    assert (tmp_path / "again" / f"{NAME}.zip").read_bytes() == (dist / f"{NAME}.zip").read_bytes()


def test_a_package_with_problems_gets_no_release_and_the_last_one_stays(package_copy, tmp_path):
    for name in ("README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md"):
        (package_copy.root / name).write_bytes((REPO / name).read_bytes())
    out = tmp_path / "dist"
    assert run_release(package_copy.root, out).returncode == 0
    before = (out / "SHA256SUMS").read_text(encoding="utf-8")
    package_copy.set_cell("events", "ev-operation-thunder-2025", "event_type", "not-an-event-type")
    result = run_release(package_copy.root, out)
    assert result.returncode == 1 and "Release refused" in result.stderr
    assert (out / "SHA256SUMS").read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []
