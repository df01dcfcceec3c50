"""Write a release into dist/: the package as a zip, the SQLite database, Parquet tables and SHA256SUMS.

Usage: python scripts/release.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--out dist]
Exit status: 0 released; 1 the package has problems (nothing is written) or the release failed; 2 the package could
not be checked in full, or a usage error.

The package is validated before anything is written, and every file name comes from the validated package (its
slug, version and table names) and is checked to lie inside OUT. The release is written in OUT/.tmp/ (which the
next run clears, should this one be killed); only when every file is written are the last release's files moved
aside and the new ones renamed into OUT, so a refused or failed release leaves the last one whole.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import hashlib
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pyarrow as pa

from build import OUTPUTS, BuildError, flush_to_disk, write_build
from owned_paths import UnsafeOutput, owned
from parquet_tables import write_parquet_table
from release_zip import write_zip, zip_contents
from staging import STAGING, staging
from validate import DEFAULT_ARCHIVE
from validated import InvalidPackage, validated_package


def release(descriptor: Path, out: Path, archive: Path = DEFAULT_ARCHIVE) -> Path:
    package = validated_package(descriptor, archive)
    name = f"{package.descriptor['name']}-{package.descriptor['version']}"
    with staging(out) as tmp:
        new = tmp / "release"
        new.mkdir()
        db, zipped, parquet = (owned(new, file) for file in (f"{name}.db", f"{name}.zip", "parquet"))
        tables = {resource.name: owned(parquet, f"{resource.name}.parquet") for resource in package.resources}
        contents = zip_contents(package, zipped.name)  # checks every entry name before anything is written
        write_build(package, tmp / "build")
        shutil.copyfile(tmp / "build" / OUTPUTS[0], db)
        write_zip(contents, zipped)
        parquet.mkdir()
        for resource in package.resources:
            write_parquet_table(package, resource, tables[resource.name])
        write_checksums(new)
        for path in sorted(p for p in new.rglob("*") if p.is_file()):
            flush_to_disk(path)  # on disk before the renames that replace the last release
        publish(new, out, tmp / "previous")
    return out


def write_checksums(directory: Path) -> None:
    """SHA256SUMS for every file under `directory`, subfolders included, in `sha256sum -c`'s format."""
    lines = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(directory).as_posix()}")
    (directory / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def publish(new: Path, out: Path, previous: Path) -> None:
    """Move the last release out of `out` (into staging, removed with it) and the new one in: renames only."""
    previous.mkdir()
    for entry in out.iterdir():
        if entry.name != STAGING:
            os.replace(entry, previous / entry.name)
    for entry in new.iterdir():
        os.replace(entry, owned(out, entry.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the release files into dist/.")
    parser.add_argument("datapackage", nargs="?", default="datapackage.json")
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE), metavar="DIR")
    parser.add_argument("--out", default="dist", metavar="DIR")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")
    try:
        out = release(Path(args.datapackage), Path(args.out), Path(args.archive))
    except InvalidPackage as exc:
        print(str(exc))
        print("Release refused: fix the problems above. The last release is unchanged.", file=sys.stderr)
        return exc.exit_code
    except UnsafeOutput as exc:
        print(f"Release refused: {exc}. The last release is unchanged.", file=sys.stderr)
        return 1
    except (BuildError, OSError, sqlite3.Error, pa.ArrowException) as exc:
        print(f"Release failed: {exc}. The last release is unchanged.", file=sys.stderr)
        return 1
    print(f"Wrote the release into {out}/:", file=sys.stderr)
    print((out / "SHA256SUMS").read_text(encoding="utf-8"), file=sys.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
