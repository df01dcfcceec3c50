"""The gate every writer passes first: validate the package, and load it only when it is valid.

The build, the release, the docs and the pictures call this before they open any file for writing, so a package
with problems changes nothing: no database, no release, no README table, no picture.
"""

from __future__ import annotations

import sys
from pathlib import Path

from package import Package, load_package
from report import as_omitted_text, as_skipped_text, as_text, summary
from validate import DEFAULT_LIMIT, validate_package


class InvalidPackage(Exception):
    """The validator's report, and its exit status: 1 problems, 2 could not check in full."""

    def __init__(self, report: str, exit_code: int):
        super().__init__(report)
        self.exit_code = exit_code


def validated_package(descriptor: Path, archive: Path) -> Package:
    """The loaded package; InvalidPackage (with the validator's report) when it has problems or could not be checked."""
    result = validate_package(descriptor, archive, limit=DEFAULT_LIMIT)
    if result.exit_code:
        report = "\n".join(filter(None, [as_text(result.problems), as_omitted_text(result.omitted), summary(result)]))
        raise InvalidPackage(report, result.exit_code)
    if result.skipped:
        print(as_skipped_text(result.skipped), file=sys.stderr)
    return load_package(descriptor)
