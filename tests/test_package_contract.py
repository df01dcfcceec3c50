"""The package keeps the promises its users rely on: metadata, descriptions, and the CSV layout."""

from __future__ import annotations

import json

from conftest import ARCHIVE, PackageCopy
from problems import Problem
from validate import validate_package


def edit_descriptor(copy: PackageCopy, change) -> None:
    descriptor = json.loads(copy.descriptor.read_text(encoding="utf-8"))
    change(descriptor)
    copy.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_field_without_a_description_is_reported(in_package):
    path = in_package.root / "schemas" / "figures.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "as_printed").pop("description")
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert validate_package(in_package.descriptor, ARCHIVE).problems == [
        Problem(
            "schemas/figures.schema.json",
            None,
            "as_printed",
            "field-description",
            'field "as_printed" of "figures" needs a description',
        )
    ]


def test_a_package_without_a_licence_is_reported(in_package):
    edit_descriptor(in_package, lambda d: d.pop("licenses"))
    assert (
        Problem("datapackage.json", None, "licenses", "package-metadata", 'the package needs a non-empty "licenses"')
        in validate_package(in_package.descriptor, ARCHIVE).problems
    )


def test_a_version_that_is_not_semver_is_reported(in_package):
    edit_descriptor(in_package, lambda d: d.update(version="2026-11"))
    assert [p.message for p in validate_package(in_package.descriptor, ARCHIVE).problems] == [
        'version "2026-11" is not semantic (MAJOR.MINOR.PATCH)'
    ]


def test_a_resource_that_does_not_declare_its_encoding_is_reported(in_package):
    edit_descriptor(in_package, lambda d: d["resources"][0].pop("encoding"))
    assert [p.message for p in validate_package(in_package.descriptor, ARCHIVE).problems] == [
        'resource "sources" must declare "encoding": "utf-8"'
    ]


def test_a_resource_with_another_separator_declared_is_reported(in_package):
    edit_descriptor(in_package, lambda d: d["resources"][1]["dialect"].update(delimiter=";"))
    assert 'resource "places" must declare dialect "delimiter": \',\'' in [
        p.message for p in validate_package(in_package.descriptor, ARCHIVE).problems
    ]


def test_a_byte_order_mark_is_reported(in_package):
    path = in_package.csv_path("actors")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_package(in_package.descriptor, ARCHIVE).problems == [
        Problem("data/actors.csv", 1, None, "no-bom", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    ]


def test_windows_line_endings_are_reported(in_package):
    path = in_package.csv_path("actors")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert [(p.row, p.rule) for p in validate_package(in_package.descriptor, ARCHIVE).problems] == [(1, "lf-line-endings")]


def test_a_missing_final_newline_is_reported(in_package):
    path = in_package.csv_path("places")
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    last = len(path.read_bytes().splitlines())
    assert [(p.file, p.row, p.rule) for p in validate_package(in_package.descriptor, ARCHIVE).problems] == [
        ("data/places.csv", last, "final-newline")
    ]


def test_rows_out_of_primary_key_order_are_reported(in_package):
    header, rows = in_package.read_rows("figures")
    rows[2], rows[3] = rows[3], rows[2]
    in_package.write_rows("figures", header, rows)
    problem = validate_package(in_package.descriptor, ARCHIVE).problems[0]
    assert (problem.file, problem.row, problem.column, problem.rule) == (
        "data/figures.csv",
        5,
        "figure_id",
        "sorted-by-primary-key",
    )
