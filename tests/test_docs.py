"""The README's table list, the data dictionary and CITATION.cff are generated from the package and must not go stale."""

from __future__ import annotations

import json
import shutil

import yaml

import docs
from conftest import ARCHIVE, REPO
from package import load_package


def test_generated_docs_are_up_to_date():
    assert docs.main([str(REPO / "datapackage.json"), "--archive", str(ARCHIVE), "--check"]) == 0, (
        "run `make docs` and commit the result"
    )


def test_make_docs_writes_the_readme_dictionary_and_citation_beside_the_package_it_is_given(package_copy):
    shutil.copy(REPO / "README.md", package_copy.root / "README.md")
    descriptor = json.loads(package_copy.descriptor.read_text(encoding="utf-8"))
    descriptor["version"] = "0.2.0"
    descriptor["resources"][0]["description"] = "Every source, described anew."
    package_copy.descriptor.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    generated = ("README.md", "CITATION.cff", "docs/data-dictionary.md")
    repository = {name: (REPO / name).read_bytes() for name in generated}
    assert docs.main([str(package_copy.descriptor), "--archive", str(ARCHIVE)]) == 0
    root = package_copy.root
    assert "| Every source, described anew. |" in (root / "README.md").read_text(encoding="utf-8")
    assert yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))["version"] == "0.2.0"
    assert "Version 0.2.0." in (root / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert {name: (REPO / name).read_bytes() for name in generated} == repository


def test_the_dictionary_describes_every_field_of_every_table():
    dictionary = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for resource in load_package(REPO / "datapackage.json").resources:
        assert f"## {resource.name}\n" in dictionary
        for field in resource.fields:
            assert f"| `{field['name']}` | {field['type']} |" in dictionary


def test_a_changed_description_makes_the_docs_stale():
    package = load_package(REPO / "datapackage.json")
    package.resource("places").schema["fields"][1]["description"] = "A new description."
    regenerated = docs.data_dictionary(package)
    assert "A new description." in regenerated
    assert regenerated != (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")


def test_the_readme_counts_the_rows_of_each_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    events = sum(1 for _ in (REPO / "data" / "events.csv").open(encoding="utf-8")) - 1
    assert f"| [`events`](docs/data-dictionary.md#events) | {events} |" in readme


def test_every_rule_the_validator_applies_is_in_the_readme():
    from rule_registry import cell_coverage

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rules = {entry.rule for entry in cell_coverage(load_package(REPO / "datapackage.json"))} | {"unique", "rule-error"}
    assert sorted(rule for rule in rules if f"`{rule}`" not in readme) == []
