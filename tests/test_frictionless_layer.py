"""Files frictionless and the layout read wrongly: another encoding or separator, an extra column, a missing file or
schema, a broken descriptor. (Each schema constraint on every column is proven by the rule matrix.)"""

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
