"""Write a release into dist/: the package as a zip, the SQLite database, Parquet tables and SHA256SUMS.

Usage: python scripts/release.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--out dist]

The package is validated and built first (a package with problems gets no release). Everything
is written into a temporary directory beside OUT and swapped in at the end, so a failed release
leaves the last one whole. The zip is reproducible: sorted entries, a fixed timestamp.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from build import BuildError, build
from datasette_metadata import DATABASE
from package import Package, load_package
from validate import DEFAULT_ARCHIVE

# What a user of the zip needs besides the data: how to read, cite and reuse it.
EXTRA_FILES = ("README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md", "docs/data-dictionary.md")
ARROW_TYPES = {"string": pa.string(), "date": pa.date32(), "number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_()}
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # every entry gets this time, so the same files give the same zip


def package_files(package: Package) -> list[Path]:
    files = [package.descriptor_path]
    for resource in package.resources:
        files += [resource.path] + ([resource.schema_path] if resource.schema_path else [])
    files += [package.root / name for name in EXTRA_FILES if (package.root / name).is_file()]
    return sorted(set(files))


def write_zip(package: Package, target: Path, folder: str) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(package):
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(package.root).as_posix()}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def write_parquet(package: Package, out: Path) -> None:
    """One Parquet file per table, typed from its schema, with the schema's descriptions as metadata."""
    out.mkdir()
    for resource in package.resources:
        fields = resource.fields
        types = {f["name"]: ARROW_TYPES.get(f.get("type", "string"), pa.string()) for f in fields}
        table = pacsv.read_csv(
            resource.path,
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True
            ),
        )
        schema = pa.schema(
            [pa.field(f["name"], types[f["name"]], metadata={"description": f.get("description", "")}) for f in fields],
            metadata={
                "table": resource.name,
                "package": package.descriptor["name"],
                "version": package.descriptor["version"],
                "licenses": json.dumps(package.descriptor.get("licenses", [])),
            },
        )
        pq.write_table(table.cast(schema), out / f"{resource.name}.parquet")


def write_checksums(directory: Path) -> None:
    lines = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(directory).as_posix()}")
    (directory / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def release(descriptor: Path, out: Path, archive: Path = DEFAULT_ARCHIVE) -> Path:
    package = load_package(descriptor)
    name = f"{package.descriptor['name']}-{package.descriptor['version']}"
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-"))
    staging.chmod(0o755)  # mkdtemp makes it private; a release is for everyone to read
    try:
        built = Path(tempfile.mkdtemp(dir=staging))
        build(descriptor, built, archive)
        shutil.copyfile(built / f"{DATABASE}.db", staging / f"{name}.db")
        shutil.rmtree(built)
        write_zip(package, staging / f"{name}.zip", name)
        write_parquet(package, staging / "parquet")
        write_checksums(staging)
        old = out.with_name(f".{out.name}-old")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        return out
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
    except BuildError as exc:
        print(str(exc))
        print("Release refused: fix the problems above. The last release is unchanged.", file=sys.stderr)
        return 1
    except (OSError, pa.ArrowException) as exc:
        print(f"Release failed: {exc}. The last release is unchanged.", file=sys.stderr)
        return 1
    print(f"Wrote the release into {out}/:", file=sys.stderr)
    print((out / "SHA256SUMS").read_text(encoding="utf-8"), file=sys.stderr, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
