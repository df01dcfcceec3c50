"""Build the SQLite database and its Datasette metadata from a valid package, atomically.

Usage: python scripts/build.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--out DIR]
Writes OUT/cambodia-china-anti-fraud.db and OUT/metadata.json (default OUT: build/).
Exit status: 0 built, 1 the package has problems (nothing is written), 2 it could not be checked in full, or a usage error.

The package is validated before anything is written. Both files are written in OUT/.tmp/ (which the next run
clears, should this one be killed) and renamed into place only when complete, so a failed build leaves the last
good database and metadata as they were.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from database import open_for_writing, write_database
from datasette_metadata import DATABASE, build_metadata
from derived_columns import add_derived_columns
from owned_paths import UnsafeOutput, owned
from package import Package
from staging import staging
from validate import DEFAULT_ARCHIVE
from validated import InvalidPackage, validated_package
from views import VIEWS, create_views

OUTPUTS = (f"{DATABASE}.db", "metadata.json")


class BuildError(Exception):
    pass


def build(descriptor: Path, out: Path, archive: Path = DEFAULT_ARCHIVE) -> Path:
    """Validate, then write the database and metadata into `out`; InvalidPackage when the package has problems."""
    package = validated_package(descriptor, archive)
    with staging(out) as tmp:
        write_build(package, tmp)
        for name in OUTPUTS:
            os.replace(tmp / name, owned(out, name))
    return out / OUTPUTS[0]


def write_build(package: Package, directory: Path) -> None:
    """The database and Datasette's metadata of a validated package, written into `directory` (a run's staging)."""
    directory.mkdir(parents=True, exist_ok=True)
    db_path, metadata_path = (owned(directory, name) for name in OUTPUTS)
    write_database(package, db_path)
    db = open_for_writing(db_path)
    add_derived_columns(db, package)
    create_views(db)
    view_columns = {name: [c.name for c in db[name].columns] for name in VIEWS}
    db.conn.execute("VACUUM")  # a compact file, laid out the same way every time
    db.close()
    _check_integrity(db_path)
    metadata = build_metadata(package, view_columns)
    metadata_path.write_text(json.dumps(metadata, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    for path in (db_path, metadata_path):
        flush_to_disk(path)


def flush_to_disk(path: Path) -> None:
    """On disk, not only in the page cache, before it can replace the last good file: a crash after the rename then
    finds the new file whole (the database is written without SQLite's own syncs)."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _check_integrity(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BuildError(f"{path}: SQLite integrity check failed")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise BuildError(f"{path}: {len(broken)} rows break a foreign key, first in {broken[0][0]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the SQLite database and Datasette metadata.")
    parser.add_argument("datapackage", nargs="?", default="datapackage.json")
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE), metavar="DIR")
    parser.add_argument("--out", default="build", metavar="DIR")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")
    try:
        target = build(Path(args.datapackage), Path(args.out), Path(args.archive))
    except InvalidPackage as exc:
        print(str(exc))
        print("Build refused: fix the problems above. The last good database is unchanged.", file=sys.stderr)
        return exc.exit_code
    except (BuildError, UnsafeOutput, OSError, sqlite3.Error) as exc:
        print(f"Build failed: {exc}. The last good database is unchanged.", file=sys.stderr)
        return 1
    print(f"Built {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
