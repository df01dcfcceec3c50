"""What changed between two versions of the package, table by table, by primary key.

Usage: python scripts/diff_release.py OLD NEW [--summary]
OLD and NEW are each a package (a datapackage.json or the directory holding it) or a git
revision of this repository (a tag such as v0.1.0, a commit, HEAD~3). Prints the rows added,
removed and changed per table, so a CHANGELOG entry can be checked against the data.
The comparison itself is csv-diff's; this script only finds the files and keys rows by the
schemas' primary keys (csv-diff takes one key column; compound keys are joined with "/").
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from csv_diff import compare

from package import PackageError, load_package
from tables import read_rows

PACKAGE_PATHS = ("datapackage.json", "schemas", "data")


class UsageError(Exception):
    pass


def resolve(spec: str, workdir: Path) -> Path:
    """The datapackage.json for a path, or for a git revision extracted into `workdir`."""
    path = Path(spec)
    if path.is_dir():
        path = path / "datapackage.json"
    if path.is_file():
        return path
    revision = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], capture_output=True, text=True)
    if revision.returncode != 0:
        raise UsageError(f"{spec} is neither a data package nor a git revision")
    tar = subprocess.run(["git", "archive", "--format=tar", revision.stdout.strip(), "--", *PACKAGE_PATHS], capture_output=True)
    if tar.returncode != 0:
        raise UsageError(f"{spec} holds no data package: {tar.stderr.decode(errors='replace').strip()}")
    target = workdir / revision.stdout.strip()[:12]
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target / "datapackage.json"


def keyed_rows(descriptor: Path) -> dict[str, dict[str, dict]]:
    """table -> {primary key joined by '/': row}."""
    tables = {}
    for resource in load_package(descriptor).resources:
        if not resource.path.is_file():
            continue
        rows = read_rows(resource.path)
        key = resource.primary_key or (list(rows[0])[:1] if rows else [])
        tables[resource.name] = {"/".join(row.get(k) or "" for k in key): row for row in rows}
    return tables


def diff_tables(old: dict[str, dict], new: dict[str, dict]) -> dict[str, dict]:
    result = {}
    for table in sorted(set(old) | set(new)):
        before, after = old.get(table, {}), new.get(table, {})
        if before and after:
            result[table] = compare(before, after)
        else:  # csv-diff needs a row on each side to learn the columns
            result[table] = {
                "added": list(after.values()),
                "removed": list(before.values()),
                "changed": [],
                "columns_added": [],
                "columns_removed": [],
            }
    return result


def _key(row: dict) -> str:
    return next(iter(row.values()), "")


def render(result: dict[str, dict], summary_only: bool) -> str:
    lines = [f"{'table':<20} {'added':>6} {'removed':>8} {'changed':>8}"]
    for table, d in result.items():
        lines.append(f"{table:<20} {len(d['added']):>6} {len(d['removed']):>8} {len(d['changed']):>8}")
    if summary_only:
        return "\n".join(lines)
    for table, d in result.items():
        for column in sorted(d["columns_added"]):
            lines.append(f"{table}: column added: {column}")
        for column in sorted(d["columns_removed"]):
            lines.append(f"{table}: column removed: {column}")
        lines += [f"+ {table} {_key(row)}" for row in d["added"]]
        lines += [f"- {table} {_key(row)}" for row in d["removed"]]
        for change in d["changed"]:
            for column, (was, now) in sorted(change["changes"].items()):
                lines.append(f"~ {table} {change['key']} {column}: {was!r} -> {now!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rows added, removed and changed per table between two package versions.")
    parser.add_argument("old", help="package path or git revision")
    parser.add_argument("new", help="package path or git revision")
    parser.add_argument("--summary", action="store_true", help="print the counts only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            old, new = resolve(args.old, Path(tmp)), resolve(args.new, Path(tmp))
            result = diff_tables(keyed_rows(old), keyed_rows(new))
        except UsageError as exc:
            parser.error(str(exc))
        except PackageError as exc:
            print(f"{exc.file}: {exc.message}", file=sys.stderr)
            return 1
    print(render(result, args.summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
