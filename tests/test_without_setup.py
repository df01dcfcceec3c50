"""Every entry point run by a Python without the project's dependencies says "run `make setup` first" and exits 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

ENTRY_POINTS = sorted(p.name for p in (REPO / "scripts").glob("*.py") if 'if __name__ == "__main__":' in p.read_text())
# These run before `make setup` (or time it from a fresh clone), so they use the standard library only.
STANDARD_LIBRARY_ONLY = {"port_check.py", "benchmark_setup.py"}


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    """A new venv with nothing installed: what `python3 scripts/….py` is outside .venv."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv / "bin" / "python"


def run(python: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), f"scripts/{script}", *args], cwd=REPO, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("script", sorted(set(ENTRY_POINTS) - STANDARD_LIBRARY_ONLY))
def test_an_entry_point_without_the_environment_says_run_make_setup_and_exits_2(bare_python, script):
    result = run(bare_python, script, "--help")
    assert result.returncode == 2
    assert "run `make setup` first" in result.stderr and script in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("script", sorted(STANDARD_LIBRARY_ONLY))
def test_the_scripts_that_run_before_setup_need_only_the_standard_library(bare_python, script):
    result = run(bare_python, script, "--help")
    assert result.returncode == 0, result.stderr


def test_the_validator_without_the_environment_is_not_mistaken_for_an_invalid_package(bare_python):
    result = run(bare_python, "validate.py", "datapackage.json")
    assert result.returncode == 2 and result.stdout == ""
    assert "lacks frictionless, pandas and" in result.stderr


def test_the_message_names_the_python_that_lacks_them(bare_python):
    assert str(bare_python) in run(bare_python, "build.py").stderr
