"""scripts/validate.py as a contributor runs it: readable lines, honest exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ARCHIVE, REPO, needs_archive

SCRIPT = REPO / "scripts" / "validate.py"


def run(*args: str, cwd=REPO, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_a_clean_package_exits_zero_and_says_so():
    result = run()
    assert result.returncode == 0
    assert result.stdout == ""
    assert "valid" in result.stderr


def test_a_broken_row_prints_file_row_and_column_and_exits_one(package_copy):
    line = package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    result = run("datapackage.json", cwd=package_copy.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f'data/figures.csv:{line}:currency: "yuan" does not match the pattern [A-Z]{{3}} [pattern]'
    ]
    assert "Traceback" not in result.stderr


def test_json_output_lists_the_same_problems(package_copy):
    line = package_copy.set_cell("places", "pl-mekong-region", "geo_precision", "approximate")
    result = run("--format", "json", cwd=package_copy.root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(p["file"], p["row"], p["column"], p["rule"]) for p in report["problems"]] == [
        ("data/places.csv", line, "geo_precision", "enum")
    ]


def test_a_path_that_is_not_a_package_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nowhere.json"))
    assert result.returncode == 2
    assert "no data package at" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_a_usage_error():
    assert run("--colour").returncode == 2


def test_undecodable_bytes_give_a_report_not_a_traceback(package_copy):
    package_copy.csv_path("events").write_bytes(b"\xff\xfe\x00garbage,\x00\r\n\x81")
    result = run(cwd=package_copy.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("data/events.csv")


def test_without_the_archive_json_output_names_the_checks_it_could_not_run(package_copy, tmp_path):
    result = run("--format", "json", "--archive", str(tmp_path / "no-such-archive"), cwd=package_copy.root)
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["valid"] is True and report["problems"] == []
    assert "printed-verbatim on figures: no archive of source texts at" in "\n".join(report["skipped"])


def test_an_archive_without_the_cited_text_is_an_error_not_a_skip(package_copy, tmp_path):
    (tmp_path / "other-texts").mkdir()
    (tmp_path / "other-texts" / "unrelated.txt").write_text("not the article\n", encoding="utf-8")
    result = run("--archive", str(tmp_path / "other-texts"), cwd=package_copy.root)
    assert result.returncode == 1
    assert "data/sources.csv" in result.stdout and "[archived-text-present]" in result.stdout


@needs_archive
def test_with_the_archive_nothing_is_skipped():
    report = json.loads(run("--format", "json", "--archive", str(ARCHIVE)).stdout)
    assert report == {"valid": True, "complete": True, "problems": [], "omitted": [], "skipped": []}


def test_on_github_actions_each_problem_is_an_annotation_on_its_csv_line_and_column(package_copy):
    line = package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    header, _ = package_copy.read_rows("figures")
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = run(cwd=package_copy.root, env=env)
    annotations = [out for out in result.stdout.splitlines() if out.startswith("::error ")]
    assert annotations == [
        f"::error file=data/figures.csv,line={line},col={header.index('currency') + 1},"
        f'title=pattern in currency::"yuan" does not match the pattern [A-Z]{{3}}'
    ]
    assert result.returncode == 1


def test_outside_github_actions_there_are_no_annotations(package_copy):
    package_copy.set_cell("figures", "fig-sihanoukville-funds", "currency", "yuan")
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    assert "::error" not in run(cwd=package_copy.root, env=env).stdout
