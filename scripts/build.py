"""Build the SQLite database and its Datasette metadata from a valid package, atomically.

Usage: python scripts/build.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--out DIR]
Writes OUT/cambodia-china-anti-fraud.db and OUT/metadata.json (default OUT: build/).
Exit status: 0 built, 1 the package has problems (nothing is written), 2 usage error.

Both files are written under temporary names in OUT and renamed into place only when complete,
so a failed build leaves the last good database and metadata as they were.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import sqlite_utils

from database import write_database
from datasette_metadata import DATABASE, build_metadata
from derived_columns import add_derived_columns
from package import load_package
from report import as_omitted_text, as_skipped_text, as_text, summary
from validate import DEFAULT_ARCHIVE, DEFAULT_LIMIT, validate_package
from views import VIEWS, create_views


class BuildError(Exception):
    pass


def _temporary(out: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=out, prefix=".building-", suffix=suffix)
    os.close(handle)
    os.unlink(name)  # sqlite-utils creates the file itself
    return Path(name)


def build(descriptor: Path, out: Path, archive: Path = DEFAULT_ARCHIVE) -> Path:
    """Validate, then write the database and metadata into `out`; raise BuildError when invalid."""
    result = validate_package(descriptor, archive, limit=DEFAULT_LIMIT)
    if result.exit_code:
        raise BuildError("\n".join(filter(None, [as_text(result.problems), as_omitted_text(result.omitted), summary(result)])))
    if result.skipped:
        print(as_skipped_text(result.skipped), file=sys.stderr)
    package = load_package(descriptor)
    out.mkdir(parents=True, exist_ok=True)
    db_tmp, meta_tmp = _temporary(out, ".db"), _temporary(out, ".json")
    try:
        write_database(package, db_tmp)
        db = sqlite_utils.Database(db_tmp)
        add_derived_columns(db, package)
        create_views(db)
        view_columns = {name: [c.name for c in db[name].columns] for name in VIEWS}
        db.conn.execute("VACUUM")  # a compact file, laid out the same way every time
        db.close()
        _check_integrity(db_tmp)
        metadata = build_metadata(package, view_columns)
        meta_tmp.write_text(json.dumps(metadata, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        target = out / f"{DATABASE}.db"
        os.replace(db_tmp, target)
        os.replace(meta_tmp, out / "metadata.json")
        return target
    finally:
        for leftover in (db_tmp, meta_tmp):
            leftover.unlink(missing_ok=True)


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
    except BuildError as exc:
        print(str(exc))
        print("Build refused: fix the problems above. The last good database is unchanged.", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(f"Build failed: {exc}. The last good database is unchanged.", file=sys.stderr)
        return 1
    print(f"Built {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
