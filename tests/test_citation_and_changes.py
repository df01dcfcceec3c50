"""Citing, licensing and tracking versions: CITATION.cff, licences, CHANGELOG and diff_release.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import yaml

from conftest import REPO

PACKAGE = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
DIFF = REPO / "scripts" / "diff_release.py"


def test_citation_cff_is_valid_cff_1_2():
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "tests" / "vendor" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(citation)
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "CC-BY-4.0"


def test_the_citations_title_version_licence_authors_and_date_are_the_packages():
    """CITATION.cff is generated from datapackage.json by `make docs` (test_docs checks it is current)."""
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["title"] == PACKAGE["title"] and citation["abstract"] == PACKAGE["description"]
    assert citation["version"] == PACKAGE["version"]
    assert citation["license"] == PACKAGE["licenses"][0]["name"]
    assert [a["name"] for a in citation["authors"]] == [c["title"] for c in PACKAGE["contributors"] if "creator" in c["roles"]]
    assert citation["date-released"] == PACKAGE["created"][:10]


def test_the_version_is_the_same_in_the_package_the_citation_and_the_changelog():
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    released = re.findall(r"^## (\d+\.\d+\.\d+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert citation["version"] == PACKAGE["version"] == released[0]


def test_the_licences_are_files_and_named_in_the_package():
    assert {licence["name"] for licence in PACKAGE["licenses"]} == {"CC-BY-4.0", "MIT"}
    assert "Creative Commons Attribution 4.0 International" in (REPO / "LICENSE-DATA").read_text(encoding="utf-8")
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def run_diff(*args, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(DIFF), *args], cwd=cwd, capture_output=True, text=True)


def test_diff_release_lists_rows_added_removed_and_changed_by_primary_key(package_copy, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(package_copy.root, old)
    package_copy.set_cell("figures", "fig-operation-thunder-arrests", "notes", "Checked again.")
    header, rows = package_copy.read_rows("event_actors")
    package_copy.write_rows("event_actors", header, [r for r in rows if not (r["event_id"] == "ev-new-year-address-2026")])
    result = run_diff(str(old), str(package_copy.root))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "- event_actors ev-new-year-address-2026" in lines
    assert any(line.startswith("~ figures fig-operation-thunder-arrests notes: ") for line in lines)
    assert re.search(r"^figures\s+0\s+0\s+1$", result.stdout, re.M)


def test_diff_release_compares_git_revisions(package_copy):
    root = package_copy.root
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=root, check=True)
    package_copy.set_cell("places", "pl-phnom-penh", "notes", "Capital.")
    subprocess.run([*git, "commit", "-qam", "two"], cwd=root, check=True)
    result = run_diff("HEAD~1", "HEAD", "--summary", cwd=root)
    assert re.search(r"^places\s+0\s+0\s+1$", result.stdout, re.M), result.stdout + result.stderr


def test_diff_release_refuses_what_is_neither_a_package_nor_a_revision(tmp_path):
    result = run_diff(str(tmp_path / "nothing"), ".")
    assert result.returncode == 2 and "neither a data package nor a git revision" in result.stderr
