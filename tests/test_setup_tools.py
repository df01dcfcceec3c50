"""make setup's bootstrap of uv: into the tools folder every clone shares, whole or not at all, and only once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

UV_VERSION = re.search(r'^required-version = "==(.*)"', (REPO / "pyproject.toml").read_text(), re.M).group(1)

# A python3 whose pip "installs" uv as a script printing its version, or fails as pip does when PyPI refuses.
# With OLD_PIP set, its pip predates --root-user-action, and the Makefile makes a venv for uv instead: `-m venv DIR`
# copies this script in as DIR/bin/python, whose pip installs into DIR.
FAKE_PYTHON = """#!/bin/sh
[ "$1" != -c ] || exec REAL_PYTHON "$@"
echo "$*" >> "$CALLS"
case "$*" in *--help*) [ -n "$OLD_PIP" ] || echo "  --root-user-action"; exit 0;; esac
case "$*" in "-m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit $?;; esac
[ -z "$FAIL" ] || { echo "ERROR: No matching distribution found for uv" >&2; exit 1; }
target="$(dirname "$(dirname "$0")")"
while [ $# -gt 0 ]; do [ "$1" = --target ] && target="$2"; shift; done
[ -z "$ANOTHER_RUN_FIRST" ] || { mkdir -p "$ANOTHER_RUN_FIRST/bin" && printf '#!/bin/sh\\necho theirs\\n' > "$ANOTHER_RUN_FIRST/bin/uv" && chmod +x "$ANOTHER_RUN_FIRST/bin/uv"; }
mkdir -p "$target/bin" && printf '#!/bin/sh\\necho uv %s\\n' "$FAKE_UV_VERSION" > "$target/bin/uv" && chmod +x "$target/bin/uv"
"""


@pytest.fixture
def python(tmp_path: Path) -> Path:
    path = tmp_path / "fake" / "python3"
    path.parent.mkdir()
    path.write_text(FAKE_PYTHON.replace("REAL_PYTHON", sys.executable))
    path.chmod(0o755)
    return path


def make(python: Path, *arguments: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "MAKELEVEL")}
    return subprocess.run(
        ["make", "--no-print-directory", f"PYTHON={python}", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**clean, "FAKE_UV_VERSION": UV_VERSION, "CALLS": str(python.parent / "calls"), **env},
    )


def bootstrap(python: Path, tools: Path, **env: str) -> subprocess.CompletedProcess:
    return make(python, f"TOOLS={tools}", str(tools / f"uv-{UV_VERSION}" / "bin" / "uv"), **env)


def calls(python: Path) -> list[str]:
    log = python.parent / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_uv_is_installed_into_the_shared_tools_folder_once(python, tmp_path):
    tools = tmp_path / "tools"
    first = bootstrap(python, tools)
    assert first.returncode == 0, first.stderr
    assert f"Bootstrapping uv {UV_VERSION}" in first.stdout
    assert sorted(p.name for p in tools.iterdir()) == [f"uv-{UV_VERSION}"]  # no temporary folder left
    uv = tools / f"uv-{UV_VERSION}" / "bin" / "uv"
    assert subprocess.run([uv], capture_output=True, text=True).stdout.strip() == f"uv {UV_VERSION}"
    installs = [call for call in calls(python) if "--target" in call]
    assert len(installs) == 1 and f"uv=={UV_VERSION}" in installs[0] and "--isolated" in installs[0]
    second = bootstrap(python, tools)  # another clone, or the same one again
    assert second.returncode == 0 and "Bootstrapping" not in second.stdout
    assert [call for call in calls(python) if "--target" in call] == installs


def test_a_failed_install_leaves_nothing_that_looks_installed(python, tmp_path):
    tools = tmp_path / "tools"
    failed = bootstrap(python, tools, FAIL="1")
    assert failed.returncode != 0
    assert "No matching distribution found for uv" in failed.stderr
    assert f"could not install uv {UV_VERSION}" in failed.stderr
    assert list(tools.iterdir()) == []
    assert bootstrap(python, tools).returncode == 0  # and the next run installs it


def test_a_half_installed_uv_is_replaced(python, tmp_path):
    tools = tmp_path / "tools"
    (tools / f"uv-{UV_VERSION}" / "lib").mkdir(parents=True)  # an older bootstrap killed half way: no bin/uv
    result = bootstrap(python, tools)
    assert result.returncode == 0, result.stderr
    assert (tools / f"uv-{UV_VERSION}" / "bin" / "uv").is_file()
    assert not (tools / f"uv-{UV_VERSION}" / "lib").exists()
    assert sorted(p.name for p in tools.iterdir()) == [f"uv-{UV_VERSION}"]


def test_a_python_whose_pip_is_too_old_for_target_gets_a_venv_for_uv(python, tmp_path):
    tools = tmp_path / "tools"
    result = bootstrap(python, tools, OLD_PIP="1")
    assert result.returncode == 0, result.stderr
    assert any(call.startswith("-m venv ") for call in calls(python))
    assert not any("--target" in call for call in calls(python))
    uv = tools / f"uv-{UV_VERSION}" / "bin" / "uv"
    assert subprocess.run([uv], capture_output=True, text=True).stdout.strip() == f"uv {UV_VERSION}"
    assert sorted(p.name for p in tools.iterdir()) == [f"uv-{UV_VERSION}"]


def test_a_whole_uv_another_clone_moved_there_first_is_kept(python, tmp_path):
    tools = tmp_path / "tools"
    result = bootstrap(python, tools, ANOTHER_RUN_FIRST=str(tools / f"uv-{UV_VERSION}"))
    assert result.returncode == 0, result.stderr
    uv = tools / f"uv-{UV_VERSION}" / "bin" / "uv"
    assert subprocess.run([uv], capture_output=True, text=True).stdout.strip() == "theirs"
    assert sorted(p.name for p in tools.iterdir()) == [f"uv-{UV_VERSION}"]


def test_an_environment_in_sync_runs_without_uv(python, tmp_path):
    """The tools folder is a cache: emptied, it costs nothing until the lock changes."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("Makefile", "pyproject.toml", "uv.lock"):
        shutil.copy(REPO / name, clone / name)
    (clone / ".venv").mkdir()
    (clone / ".venv" / ".synced").touch()
    result = make(python, f"TOOLS={tmp_path / 'emptied'}", "setup", cwd=clone)
    assert result.returncode == 0, result.stderr
    assert "Bootstrapping" not in result.stdout and not (tmp_path / "emptied").exists()


def test_a_tools_folder_with_a_space_is_refused_before_anything_runs(python, tmp_path):
    result = make(python, f"TOOLS={tmp_path / 'my tools'}", "setup")
    assert result.returncode != 0
    assert "holds a space, which make cannot take in a path" in result.stderr
    assert calls(python) == []
