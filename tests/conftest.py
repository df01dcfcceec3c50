"""Fixtures that give each test its own copy of the real package to corrupt."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from archive import parse_locator
from tables import write_rows

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
        self.archive = root.parent / f"{root.name}-archive"  # set by with_synthetic_archive()
        self._used: set[tuple] = set()  # (table, row index, column or None for the whole row) already corrupted

    def csv_path(self, table: str) -> Path:
        return self.root / "data" / f"{table}.csv"

    def read_rows(self, table: str) -> tuple[list[str], list[dict]]:
        with self.csv_path(table).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader.fieldnames or []), list(reader)

    def write_rows(self, table: str, header: list[str], rows: list[dict]) -> None:
        """Write as the package does: text quoted per this copy's schema (a column it does not know is quoted)."""
        schema = json.loads((self.root / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
        numeric = {f["name"] for f in schema.get("fields", []) if f.get("type", "string") != "string"}
        write_rows(self.csv_path(table), header, rows, [name for name in header if name not in numeric])

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

    def pick(self, table: str, wanted=lambda row: True, column: str | None = None) -> tuple[int, dict]:
        """The first row (index, row) of `table` that `wanted` accepts and that no earlier pick took, whole or (given
        a column) in that column: a batch of corruptions in one copy never lands two on one cell or row."""
        _, rows = self.read_rows(table)
        for index, row in enumerate(rows):
            taken = (table, index, None) in self._used or (column is None and any(u[:2] == (table, index) for u in self._used))
            if not taken and (table, index, column) not in self._used and wanted(row):
                self._used.add((table, index, column))
                return index, row
        raise LookupError(f"no row of {table} fits this corruption")

    def set_at(self, table: str, index: int, column: str, value: str) -> int:
        """Set one cell by row index; return its CSV line number."""
        header, rows = self.read_rows(table)
        rows[index][column] = value
        self.write_rows(table, header, rows)
        return index + 2

    def with_synthetic_archive(self) -> PackageCopy:
        """Archive a made-up text for every archived source, holding each fragment the rows quote in the paragraph
        they cite, and point the sources at it: the archive rules then run without the real (unpublished) texts."""
        _, sources = self.read_rows("sources")
        archived = {row["source_id"] for row in sources if row["sha256"]}
        paragraphs: dict[int, list[str]] = {}

        def cite(fragment: str, locator: str) -> None:
            span = parse_locator(locator)
            if span:
                paragraphs.setdefault(span[0], []).append(fragment)
                paragraphs.setdefault(span[1], [])

        _, events = self.read_rows("events")
        event_place = {e["event_id"]: e["source_locator"] for e in events if e["source_id"] in archived}
        for table, column in (("figures", "as_printed"), ("actor_aliases", "alias"), ("events", "title")):
            for row in self.read_rows(table)[1]:
                if row["source_id"] in archived and row["source_locator"]:
                    cite(row[column] if table != "events" else "", row["source_locator"])
        for row in self.read_rows("event_actors")[1]:
            if row["title_in_source"] and row["event_id"] in event_place:
                cite(row["title_in_source"], event_place[row["event_id"]])
        for row in self.read_rows("citations")[1]:
            if row["source_id"] in archived and row["source_locator"]:
                cite("", row["source_locator"])
        last = max(paragraphs, default=0) + 1
        lines = [" ; ".join(filter(None, paragraphs.get(n, []))) or f"Paragraph {n}." for n in range(1, last)]
        lines.append(FILLER)
        text = "\n".join(lines) + "\n"
        self.archive.mkdir(exist_ok=True)
        (self.archive / "synthetic.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        header, rows = self.read_rows("sources")
        for row in rows:
            if row["sha256"]:
                row["sha256"] = digest
        self.write_rows("sources", header, rows)
        return self


# The last paragraph of the synthetic archive: a run of words a summary must not copy.
FILLER = (
    "The ministers said that the joint campaign against the scam compounds along the border would go on for many more months."
)


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


@pytest.fixture
def disk_events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every os.fsync (of the file it flushes) and os.replace (of the file it moves), in order, as they happen."""
    events: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))) or fsync(fd))
    monkeypatch.setattr(os, "replace", lambda src, dst: events.append(("replace", str(src))) or replace(src, dst))
    return events


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real package built once per test process into a temporary build directory."""
    from build import build

    out = tmp_path_factory.mktemp("build")
    build(REPO / "datapackage.json", out, ARCHIVE)
    return out


def pytest_configure(config):
    """The garbage collector's threshold for the run; `KNOCKOUT=<name>` applies one mutation of tests/knockouts.py for the
    whole run (the knockout suite sets it)."""
    # Each validation leaves thousands of short-lived objects (frictionless's metadata copies): with Python's default
    # threshold of 700 the collector ran so often it took a tenth of the rule matrix's time. The same memory.
    gc.set_threshold(10_000, 20, 20)
    name = os.environ.get("KNOCKOUT")
    if name:
        from knockouts import MUTATIONS

        MUTATIONS[name].apply(pytest.MonkeyPatch())
        config.knockout = name


def pytest_terminal_summary(terminalreporter):
    """Print the size of the rule matrix (tests/test_rule_matrix.py) with every run, and the knockout tally."""
    knockout = getattr(terminalreporter.config, "knockout", None)
    if knockout:
        terminalreporter.write_line(f"knocked out: {knockout}")
    stats = terminalreporter.stats
    caught = [r for r in stats.get("passed", []) if "test_knockout.py" in r.nodeid]
    missed = [r for r in stats.get("failed", []) if "test_knockout.py" in r.nodeid]
    if caught or missed:
        terminalreporter.write_line(f"knockout: {len(caught) + len(missed)} mutations, {len(caught)} caught")
        for report in missed:
            terminalreporter.write_line(f"  survived: {report.nodeid.split('[', 1)[-1].rstrip(']')}")
    from package import load_package
    from rule_registry import cell_coverage

    entries = cell_coverage(load_package(REPO / "datapackage.json"))
    tables = {e.table for e in entries}
    terminalreporter.write_line(
        f"rule matrix: {len(entries)} (rule, table, column) cells, {len({e.rule for e in entries})} rules, {len(tables)} tables"
    )
