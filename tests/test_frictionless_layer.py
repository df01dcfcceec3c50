"""Each kind of constraint in the table schemas rejects a minimal corruption of the real data, naming file, row and column."""

from __future__ import annotations

import subprocess
import sys

from conftest import ARCHIVE, REPO, PackageCopy
from problems import Problem
from validate import validate_package


def problems_of(copy: PackageCopy) -> list[Problem]:
    return validate_package(copy.descriptor, ARCHIVE).problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_published_package_is_valid():
    assert validate_package(REPO / "datapackage.json", ARCHIVE).problems == []


def test_frictionless_itself_finds_the_package_valid():
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_a_missing_required_value_is_reported(in_package):
    line = in_package.set_cell("events", "ev-operation-thunder-2025", "title", "")
    assert only(problems_of(in_package)) == Problem("data/events.csv", line, "title", "required", "a value is required")


def test_an_id_that_breaks_its_pattern_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-arrests", "event_id", "EV_sihanoukville")
    problems = problems_of(in_package)
    assert [(p.file, p.row, p.column, p.rule) for p in problems] == [
        ("data/figures.csv", line, "event_id", "foreign-key"),
        ("data/figures.csv", line, "event_id", "pattern"),
    ]
    assert '"EV_sihanoukville" does not match' in problems[1].message


def test_a_value_outside_its_enum_is_reported(in_package):
    line = in_package.set_cell("events", "ev-us-sanctions-19-targets", "event_type", "sanction")
    problem = only(problems_of(in_package))
    assert (problem.row, problem.column, problem.rule) == (line, "event_type", "enum")
    assert "sanctions_imposed" in problem.message


def test_a_negative_figure_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-operation-thunder-arrests", "value", "-287")
    assert Problem("data/figures.csv", line, "value", "minimum", '"-287" is below the minimum 0') in problems_of(in_package)


def test_a_latitude_beyond_the_pole_is_reported(in_package):
    line = in_package.set_cell("places", "pl-phnom-penh", "latitude", "115.56")
    assert only(problems_of(in_package)) == Problem(
        "data/places.csv", line, "latitude", "maximum", '"115.56" is above the maximum 90'
    )


def test_a_date_in_another_format_is_reported(in_package):
    line = in_package.set_cell("events", "ev-cross-border-case-2025-12-03", "start_date", "03/12/2025")
    problem = only(problems_of(in_package))
    assert (problem.row, problem.column, problem.rule) == (line, "start_date", "type")
    assert "YYYY-MM-DD" in problem.message


def test_a_duplicate_id_is_reported_once_as_a_duplicate_primary_key(in_package):
    header, rows = in_package.read_rows("places")
    rows.insert(3, dict(rows[2]))
    in_package.write_rows("places", header, rows)
    problem = only(problems_of(in_package))
    assert (problem.file, problem.row, problem.column, problem.rule) == ("data/places.csv", 5, "place_id", "primary-key")


def test_a_duplicate_composite_key_is_reported(in_package):
    header, rows = in_package.read_rows("event_actors")
    rows.insert(1, dict(rows[0]))
    in_package.write_rows("event_actors", header, rows)
    assert [(p.file, p.row, p.rule) for p in problems_of(in_package)] == [("data/event_actors.csv", 3, "primary-key")]


def test_a_foreign_key_to_a_missing_place_is_reported(in_package):
    line = in_package.set_cell("events", "ev-operation-thunder-2025", "place_id", "pl-phnom-penh-suburbs")
    assert Problem(
        "data/events.csv", line, "place_id", "foreign-key", 'no row of places has place_id "pl-phnom-penh-suburbs"'
    ) in problems_of(in_package)


def test_a_parent_actor_that_does_not_exist_is_reported(in_package):
    line = in_package.set_cell("actors", "act-sar-thet", "parent_actor_id", "act-national-police")
    assert only(problems_of(in_package)) == Problem(
        "data/actors.csv", line, "parent_actor_id", "foreign-key", 'no row of actors has actor_id "act-national-police"'
    )


def test_a_figure_citing_an_unknown_source_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-us-sanctions-targets", "source_id", "src-unknown")
    assert only(problems_of(in_package)).to_dict() == {
        "file": "data/figures.csv",
        "row": line,
        "column": "source_id",
        "rule": "foreign-key",
        "message": 'no row of sources has source_id "src-unknown"',
    }


def test_a_file_in_another_encoding_is_reported(in_package):
    path = in_package.csv_path("places")
    text = path.read_text(encoding="utf-8").replace('"Phnom Penh"', '"Phnöm Penh"', 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Phnöm Penh" in row)
    path.write_bytes(text.replace("–", "-").encode("latin-1"))
    problem = only(problems_of(in_package))
    assert (problem.file, problem.row, problem.rule) == ("data/places.csv", line, "encoding")


def test_a_file_with_another_separator_is_reported(in_package):
    path = in_package.csv_path("places")
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    problems = [p for p in problems_of(in_package) if p.file == "data/places.csv"]
    assert (
        Problem("data/places.csv", 1, "name", "missing-label", 'the header lacks the column "name" (is the separator a comma?)')
        in problems
    )


def test_an_extra_column_is_reported(in_package):
    header, rows = in_package.read_rows("places")
    in_package.write_rows("places", header + ["population"], rows)
    assert problems_of(in_package) == [
        Problem(
            "data/places.csv", 1, "population", "extra-label", 'the header has a column "population" the schema does not define'
        )
    ]


def test_a_missing_data_file_is_reported(in_package):
    in_package.csv_path("agreement_parties").unlink()
    problem = only(problems_of(in_package))
    assert (problem.file, problem.rule) == ("data/agreement_parties.csv", "missing-file")
    assert problem.message.startswith("file not found (the path of resource 8 (agreement_parties) in datapackage.json")


def test_a_broken_descriptor_is_reported(in_package):
    in_package.descriptor.write_text('{"name": "cambodia-china-anti-fraud",', encoding="utf-8")
    problem = only(problems_of(in_package))
    assert (problem.file, problem.rule) == ("datapackage.json", "package")
    assert problem.message.startswith("not valid JSON")


def test_a_missing_schema_file_is_reported(in_package):
    (in_package.root / "schemas" / "figures.schema.json").unlink()
    problem = only(problems_of(in_package))
    assert (problem.file, problem.rule) == ("schemas/figures.schema.json", "missing-file")
    assert problem.message.startswith("file not found (the schema of resource 9 (figures)")


def test_a_schema_that_is_not_json_is_reported(in_package):
    (in_package.root / "schemas" / "places.schema.json").write_text("fields: [place_id]", encoding="utf-8")
    problem = only(problems_of(in_package))
    assert (problem.file, problem.rule) == ("schemas/places.schema.json", "schema-structure")
