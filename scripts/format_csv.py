"""Write every CSV of the package in its one layout: rows sorted by primary key, text quoted, LF line ends.

Usage: python scripts/format_csv.py [PATH_TO_DATAPACKAGE]   (`make format`)
Run it after editing a CSV by hand or in a spreadsheet: the validator then finds the layout it expects
(sorted rows, a dialect tools can guess), and a pull request shows only the rows that changed. It refuses
(exit 1, nothing written) a table whose header does not match its schema: fix that first.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")

import argparse
import sys
from pathlib import Path

from package import PackageError, load_package
from tables import read_rows, text_columns, write_rows


def format_package(descriptor: Path) -> list[str]:
    """Rewrite each table in the package's layout; return the names of the tables that changed."""
    package = load_package(descriptor)
    tables = []
    for resource in package.resources:
        rows = read_rows(resource.path)
        if rows and list(rows[0]) != resource.field_names:
            raise ValueError(f"{resource.path.name}: its header does not match its schema; run `make validate`")
        pk = resource.primary_key
        tables.append((resource, sorted(rows, key=lambda row: tuple(row[name] for name in pk))))
    changed = []
    for resource, rows in tables:
        before = resource.path.read_bytes()
        write_rows(resource.path, resource.field_names, rows, text_columns(resource))
        if resource.path.read_bytes() != before:
            changed.append(resource.name)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datapackage", nargs="?", default="datapackage.json")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")
    try:
        changed = format_package(Path(args.datapackage))
    except (PackageError, ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        print(f"Not formatted: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(f"Formatted: {', '.join(changed)}" if changed else "Every CSV is already in the package's layout.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
