"""Validate the data package and print every problem as `file:row:column: message [rule]`.

Usage: python scripts/validate.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--format text|json]
Exit status: 0 when the package is valid, 1 when it has problems, 2 for a usage error.

Layers run in order: the package's metadata and CSV layout, frictionless (cells, keys, foreign keys),
then pandera (rules across columns, rows and tables, including provenance against the archived texts).
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from archive import Archive
from csv_format import check_csv_format
from frictionless_checks import check_with_frictionless
from metadata_checks import check_metadata
from package import PackageError, display_path, load_package
from pandera_checks import check_with_pandera
from problems import Problem, sorted_problems
from report import as_github_annotations, as_json, as_skipped_text, as_text, summary

DEFAULT_ARCHIVE = Path("../shared/sources")


@dataclass
class Result:
    problems: list[Problem]
    skipped: list[str] = field(default_factory=list)  # checks that could not run: not passed, not failed
    columns: dict[str, list[str]] = field(default_factory=dict)  # file -> header, for annotations

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_package(descriptor_path: str | Path, archive: str | Path = DEFAULT_ARCHIVE) -> Result:
    """Every problem all layers find, sorted by file and row. The one function the CLI and the tests call."""
    try:
        package = load_package(descriptor_path)
    except PackageError as exc:
        return Result([Problem(exc.file, None, None, "package", exc.message)])
    first = check_metadata(package) + check_csv_format(package) + check_with_frictionless(package)
    second, skipped = check_with_pandera(package, Archive(archive))
    columns = {display_path(r.path): r.field_names for r in package.resources}
    return Result(sorted_problems(first + second), skipped, columns)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the Cambodia–China anti-fraud data package.")
    parser.add_argument(
        "datapackage", nargs="?", default="datapackage.json", help="path to datapackage.json (default: ./datapackage.json)"
    )
    parser.add_argument(
        "--archive",
        default=str(DEFAULT_ARCHIVE),
        metavar="DIR",
        help="directory of archived source texts, found by SHA-256 (default: ../shared/sources)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="how to print the problems (default: text)")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")  # exits 2: a usage error, not a data problem
    result = validate_package(args.datapackage, args.archive)
    if args.format == "json":
        print(as_json(result.problems, result.skipped))
    else:
        if result.problems:
            print(as_text(result.problems))
        if result.skipped:
            print(as_skipped_text(result.skipped), file=sys.stderr)
        print(summary(result.problems, result.skipped), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true" and result.problems:
        print(as_github_annotations(result.problems, result.columns))
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
