"""No litter: a build or release killed at any moment leaves its temporary files only in OUT/.tmp/, which the next
run removes; after a killed run, the next successful one leaves exactly its own files and nothing beside them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import build
import release
from conftest import ARCHIVE, REPO

PACKAGE = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
NAME = f"{PACKAGE['name']}-{PACKAGE['version']}"
DB = f"{PACKAGE['name']}.db"


def start(script: str, out: Path) -> subprocess.Popen:
    command = [sys.executable, str(REPO / "scripts" / script), "datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when(process: subprocess.Popen, moment: Callable[[], bool], seconds: float = 300) -> None:
    """SIGKILL the run as soon as `moment` holds (the kernel gives it no chance to clean up)."""
    deadline = time.monotonic() + seconds
    while not moment():
        assert process.poll() is None, f"the run ended before the moment came: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def exists(path: Path) -> Callable[[], bool]:
    return path.exists


def any_file_in(path: Path) -> Callable[[], bool]:
    return lambda: path.is_dir() and any(path.iterdir())


def everything_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(REPO)  # the successful run goes in-process, from where `make` runs it


def test_a_release_killed_at_any_moment_leaves_nothing_after_the_next_one(tmp_path):
    out = tmp_path / "dist"
    staging = out / ".tmp"
    moments = {
        "staging made": exists(staging),
        "database half written": exists(staging / "build" / DB),
        "parquet half written": any_file_in(staging / "release" / "parquet"),
    }
    for name, moment in moments.items():
        kill_when(start("release.py", out), moment)
        assert staging.exists(), f"killed when {name}: the test needs litter to clear"
    assert release.main(["datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)]) == 0
    released = sorted(
        ["SHA256SUMS", f"{NAME}.db", f"{NAME}.zip", "parquet"] + [f"parquet/{r['name']}.parquet" for r in PACKAGE["resources"]]
    )
    assert everything_under(out) == released
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


def test_a_build_killed_while_writing_the_database_leaves_nothing_after_the_next_one(tmp_path):
    out = tmp_path / "build"
    staging = out / ".tmp"
    kill_when(start("build.py", out), exists(staging / DB))
    assert staging.exists()
    assert build.main(["datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)]) == 0
    assert everything_under(out) == [DB, "metadata.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["build"]
