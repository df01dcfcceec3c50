"""The package's promises about itself: full metadata, a description on every field, a declared CSV dialect.

Frictionless accepts a package without descriptions or licences; users of this one rely on them (they
feed Datasette and the data dictionary), so their absence is a problem here.
"""

from __future__ import annotations

import re

from package import Package, display_path
from problems import Problem

REQUIRED_PACKAGE_KEYS = ("name", "title", "description", "version", "licenses", "sources", "contributors", "keywords", "created")
REQUIRED_RESOURCE_KEYS = ("name", "path", "title", "description", "schema")
EXPECTED_RESOURCE_VALUES = {"format": "csv", "encoding": "utf-8", "mediatype": "text/csv"}
EXPECTED_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")


def check_metadata(package: Package) -> list[Problem]:
    descriptor, shown = package.descriptor, display_path(package.descriptor_path)
    problems = [
        Problem(shown, None, key, "package-metadata", f'the package needs a non-empty "{key}"')
        for key in REQUIRED_PACKAGE_KEYS
        if not descriptor.get(key)
    ]
    version = descriptor.get("version")
    if isinstance(version, str) and version and not SEMVER.fullmatch(version):
        problems.append(
            Problem(shown, None, "version", "package-metadata", f'version "{version}" is not semantic (MAJOR.MINOR.PATCH)')
        )
    for res_index, res in enumerate(descriptor.get("resources") or []):
        name = res.get("name", f"resource {res_index + 1}")
        problems += [
            Problem(shown, None, key, "resource-metadata", f'resource "{name}" needs a non-empty "{key}"')
            for key in REQUIRED_RESOURCE_KEYS
            if not res.get(key)
        ]
        problems += [
            Problem(shown, None, key, "resource-metadata", f'resource "{name}" must declare "{key}": "{value}"')
            for key, value in EXPECTED_RESOURCE_VALUES.items()
            if res.get(key) != value
        ]
        dialect = res.get("dialect") or {}
        problems += [
            Problem(shown, None, "dialect", "resource-metadata", f'resource "{name}" must declare dialect "{key}": {value!r}')
            for key, value in EXPECTED_DIALECT.items()
            if dialect.get(key) != value
        ]
    for resource in package.resources:
        schema_shown = display_path(resource.schema_path) if resource.schema_path else shown
        for field in resource.fields:
            if not str(field.get("description", "")).strip():
                problems.append(
                    Problem(
                        schema_shown,
                        None,
                        field.get("name"),
                        "field-description",
                        f'field "{field.get("name")}" of "{resource.name}" needs a description',
                    )
                )
    return problems
