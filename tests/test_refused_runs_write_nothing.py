"""Validate first, then write: release, build, docs and pictures refuse a package with problems and leave every file
of the working tree as it was (docs/, README.md, CITATION.cff, build/, dist/), with the validator's words and no traceback.

Each entry point's main() runs in-process from inside the copy, as `make` runs it from the repository (an exception
would fail the test as a traceback would); tests/test_release.py runs the command line itself."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import build
import docs
import plot
import release
from conftest import ARCHIVE, REPO

ENTRY_POINTS = {
    "release": (release.main, "Release refused"),
    "build": (build.main, "Build refused"),
    "docs": (docs.main, "Docs refused"),
    "plot": (plot.main, "Pictures refused"),
}


def duplicated_key(copy) -> tuple[str, str]:
    header, rows = copy.read_rows("events")
    rows.insert(1, dict(rows[0]))  # beside the original, so the file stays sorted
    copy.write_rows("events", header, rows)
    return "data/events.csv:3:event_id:", "[primary-key]"


def impossible_date(copy) -> tuple[str, str]:
    line = copy.set_cell("events", "ev-operation-thunder-2025", "start_date", "2025-02-30")
    return f"data/events.csv:{line}:start_date:", "2025-02-30"


def tree(root) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture
def working_copy(package_copy):
    """A copy with the project's generated files beside it, and a last good build and release to keep."""
    root = package_copy.root
    shutil.copytree(REPO / "docs", root / "docs")
    for name in ("README.md", "CITATION.cff", "LICENSE", "LICENSE-DATA", "CHANGELOG.md"):
        shutil.copy(REPO / name, root / name)
    for out, name in (("build", "cambodia-china-anti-fraud.db"), ("dist", "SHA256SUMS")):
        (root / out).mkdir()
        (root / out / name).write_text("the last good one\n", encoding="utf-8")
    return package_copy


@pytest.mark.parametrize("corrupt", [duplicated_key, impossible_date], ids=["duplicated-key", "impossible-date"])
def test_a_refused_run_leaves_the_working_tree_byte_identical(working_copy, corrupt, monkeypatch, capsys):
    where, what = corrupt(working_copy)
    monkeypatch.chdir(working_copy.root)
    before = tree(working_copy.root)
    for script, (main, refused) in ENTRY_POINTS.items():
        code = main(["datapackage.json", "--archive", str(ARCHIVE)])
        printed = capsys.readouterr()
        shown = printed.out + printed.err
        assert code == 1, f"{script}: {shown}"
        assert any(where in line and what in line for line in printed.out.splitlines()), f"{script}: {shown}"
        assert refused in printed.err, f"{script}: {shown}"
        assert tree(working_copy.root) == before, f"{script} changed the working tree"
