"""Validate the data package and print every problem as `file:row:column: message [rule]`.

Usage: python scripts/validate.py [PATH_TO_DATAPACKAGE] [--format text|json]
Exit status: 0 when the package is valid, 1 when it has problems, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from csv_format import check_csv_format
from frictionless_checks import check_with_frictionless
from metadata_checks import check_metadata
from package import PackageError, load_package
from problems import Problem, sorted_problems
from report import as_github_annotations, as_json, as_text, summary


def validate_package(descriptor_path: str | Path) -> list[Problem]:
    """Every problem the layers find, sorted by file and row. The one function the CLI and the tests call."""
    try:
        package = load_package(descriptor_path)
    except PackageError as exc:
        return [Problem(exc.file, None, None, "package", exc.message)]
    problems = check_metadata(package) + check_csv_format(package) + check_with_frictionless(package)
    return sorted_problems(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the Cambodia–China anti-fraud data package.")
    parser.add_argument("datapackage", nargs="?", default="datapackage.json", help="path to datapackage.json (default: ./datapackage.json)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="how to print the problems (default: text)")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")  # exits 2: a usage error, not a data problem
    problems = validate_package(args.datapackage)
    if args.format == "json":
        print(as_json(problems))
    else:
        if problems:
            print(as_text(problems))
        print(summary(problems), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true" and problems:
        print(as_github_annotations(problems), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
