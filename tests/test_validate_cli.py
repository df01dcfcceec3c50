"""scripts/validate.py as a contributor runs it: readable lines, honest exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

import validate
from conftest import REPO

SCRIPT = REPO / "scripts" / "validate.py"


@pytest.fixture
def run(capsys, monkeypatch):
    """validate.py's main in this process (one layer after the other, --jobs 1): what the CLI prints and returns."""

    def run_main(*args: str, cwd=REPO, env=None):
        monkeypatch.chdir(cwd)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        try:
            code = validate.main([*args, "--jobs", "1"])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return run_main


def run_process(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    """The real command, as a contributor types it (both layers side by side, the default on two cores)."""
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True)


def test_a_clean_package_exits_zero_and_says_so():
    result = run_process()
    assert result.returncode == 0
    assert result.stdout == ""
    assert "valid" in result.stderr


def test_a_broken_row_prints_file_row_and_column_and_exits_one(package_copy):
    line = package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    result = run_process("datapackage.json", cwd=package_copy.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f'data/figures.csv:{line}:currency: "yuan" does not match the pattern [A-Z]{{3}} [pattern]'
    ]
    assert "Traceback" not in result.stderr


def test_json_output_lists_the_same_problems(run, package_copy):
    line = package_copy.set_cell("places", "pl-mekong-region", "geo_precision", "approximate")
    result = run("--format", "json", cwd=package_copy.root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(p["file"], p["row"], p["column"], p["rule"]) for p in report["problems"]] == [
        ("data/places.csv", line, "geo_precision", "enum")
    ]


def test_a_path_that_is_not_a_package_is_a_usage_error(run, tmp_path):
    result = run(str(tmp_path / "nowhere.json"))
    assert result.returncode == 2
    assert "no data package at" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_a_usage_error(run):
    assert run("--colour").returncode == 2


def test_undecodable_bytes_give_a_report_not_a_traceback(run, package_copy):
    package_copy.csv_path("events").write_bytes(b"\xff\xfe\x00garbage,\x00\r\n\x81")
    result = run(cwd=package_copy.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("data/events.csv")


def test_without_the_archive_json_output_names_the_checks_it_could_not_run(run, package_copy, tmp_path):
    result = run("--format", "json", "--archive", str(tmp_path / "no-such-archive"), cwd=package_copy.root)
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["valid"] is True and report["problems"] == []
    assert "printed-verbatim on figures: no archive of source texts at" in "\n".join(report["skipped"])


def test_an_archive_without_the_cited_text_is_an_error_not_a_skip(run, package_copy, tmp_path):
    (tmp_path / "other-texts").mkdir()
    (tmp_path / "other-texts" / "unrelated.txt").write_text("not the article\n", encoding="utf-8")
    result = run("--archive", str(tmp_path / "other-texts"), cwd=package_copy.root)
    assert result.returncode == 1
    assert "data/sources.csv" in result.stdout and "[archived-text-present]" in result.stdout


def test_on_github_actions_each_problem_is_an_annotation_on_its_csv_line_and_column(run, package_copy):
    line = package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    header, _ = package_copy.read_rows("figures")
    result = run(cwd=package_copy.root, env={"GITHUB_ACTIONS": "true"})
    annotations = [out for out in result.stdout.splitlines() if out.startswith("::error ")]
    assert annotations == [
        f"::error file=data/figures.csv,line={line},col={header.index('currency') + 1},"
        f'title=pattern in currency::"yuan" does not match the pattern [A-Z]{{3}}'
    ]
    assert result.returncode == 1


def test_outside_github_actions_there_are_no_annotations(run, package_copy, monkeypatch):
    package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert "::error" not in run(cwd=package_copy.root).stdout
