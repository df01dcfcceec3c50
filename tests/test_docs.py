"""The README's table list and the data dictionary are generated from the schemas and must not go stale."""

from __future__ import annotations

import docs
from conftest import REPO
from package import load_package


def test_generated_docs_are_up_to_date():
    assert docs.main(["--check"]) == 0, "run `make docs` and commit the result"


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
