"""Fixtures that give each test its own copy of the real package to corrupt."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The archived source texts are not redistributed; `make test ARCHIVE=DIR` points at them (default ../shared/sources).
ARCHIVE = Path(os.environ.get("ARCHIVE_DIR") or REPO.parent / "shared" / "sources").resolve()
# For tests of checks that read the archived texts: without the archive they skip, and say why.
needs_archive = pytest.mark.skipif(
    not ARCHIVE.is_dir(), reason=f"no archive of source texts at {ARCHIVE} (make test ARCHIVE=DIR)"
)


class PackageCopy:
    """A throw-away copy of the package with helpers to make one small, precise corruption."""

    def __init__(self, root: Path):
        self.root = root
        self.descriptor = root / "datapackage.json"

    def csv_path(self, table: str) -> Path:
        return self.root / "data" / f"{table}.csv"

    def read_rows(self, table: str) -> tuple[list[str], list[dict]]:
        with self.csv_path(table).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader.fieldnames or []), list(reader)

    def write_rows(self, table: str, header: list[str], rows: list[dict]) -> None:
        with self.csv_path(table).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def set_cell(self, table: str, key: str, column: str, value: str) -> int:
        """Set one cell of the row whose first column is `key`; return that row's CSV line number."""
        header, rows = self.read_rows(table)
        for index, row in enumerate(rows):
            if row[header[0]] == key:
                row[column] = value
                self.write_rows(table, header, rows)
                return index + 2
        raise KeyError(f"{table} has no row {key}")

    def line_of(self, table: str, key: str) -> int:
        header, rows = self.read_rows(table)
        return next(i + 2 for i, row in enumerate(rows) if row[header[0]] == key)


@pytest.fixture
def package_copy(tmp_path: Path) -> PackageCopy:
    for name in ("data", "schemas"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    return PackageCopy(tmp_path)


@pytest.fixture
def in_package(package_copy: PackageCopy, monkeypatch: pytest.MonkeyPatch) -> PackageCopy:
    """Run from inside the copy, so reported paths read `data/<table>.csv` as they do for a user."""
    monkeypatch.chdir(package_copy.root)
    return package_copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real package built once per test process into a temporary build directory."""
    from build import build

    out = tmp_path_factory.mktemp("build")
    build(REPO / "datapackage.json", out, ARCHIVE)
    return out
