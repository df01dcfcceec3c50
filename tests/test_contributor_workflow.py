"""What a contributor relies on: CI runs the README's test command and keeps its evidence; hooks check before a commit."""

from __future__ import annotations

import subprocess

import yaml

from conftest import REPO


def workflow() -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))


def test_ci_runs_on_every_push_and_pull_request():
    triggers = workflow()[True]  # YAML reads the key `on` as true
    assert set(triggers) == {"push", "pull_request"}


def test_ci_runs_the_readmes_test_command_and_uploads_the_database_and_report():
    steps = workflow()["jobs"]["test"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make test" in runs and "make test" in (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    paths = upload["with"]["path"]
    assert "cambodia-china-anti-fraud.db" in paths and "validation-report.json" in paths


def test_the_pre_commit_hooks_validate_the_package_and_run_ruff():
    hooks = [
        hook
        for repo in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
        for hook in repo["hooks"]
    ]
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    assert "scripts/validate.py" in entries["validate-package"]
    assert "ruff check" in entries["ruff-check"] and "ruff format --check" in entries["ruff-format"]


def test_the_validation_hook_command_passes_on_the_package():
    entry = next(
        hook["entry"]
        for repo in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
        for hook in repo["hooks"]
        if hook["id"] == "validate-package"
    )
    assert subprocess.run(entry.split(), cwd=REPO, capture_output=True).returncode == 0
