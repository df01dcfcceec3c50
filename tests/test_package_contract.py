"""The package's metadata keeps the promises its users rely on: licences, a semantic version, a declared dialect.

(Descriptions, BOM, line ends and sort order are proven on every table by the rule matrix.)"""

from __future__ import annotations

import json

from conftest import ARCHIVE, PackageCopy
from problems import Problem
from validate import validate_package


def edit_descriptor(copy: PackageCopy, change) -> None:
    descriptor = json.loads(copy.descriptor.read_text(encoding="utf-8"))
    change(descriptor)
    copy.descriptor.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


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
