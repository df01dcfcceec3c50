"""A valid package N times the size of the real one, for benchmarks.

Every real row is copied `copies` times with each id suffixed by its copy number, so foreign
keys, dates, figures and every rule stay consistent without a hand-written generator per
table. Archived-text hashes are dropped: the copies have no archive to check against.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from package import load_package
from tables import read_rows

REPO = Path(__file__).resolve().parent.parent
UNIQUE_TEXT = ("title",)  # text columns that must stay unique within a table


ID_PATTERN_END = "-[a-z0-9]+(-[a-z0-9]+)*"  # how every id pattern in the schemas ends


def _id_fields(resource) -> set[str]:
    """Fields holding ids: a one-field primary key, every foreign key's fields, and any field with an id pattern."""
    fields = set(resource.primary_key) if len(resource.primary_key) == 1 else set()
    for fk in resource.schema.get("foreignKeys", []):
        fields.update(fk["fields"])
    fields |= {f["name"] for f in resource.fields if f.get("constraints", {}).get("pattern", "").endswith(ID_PATTERN_END)}
    return fields


def write_synthetic_package(target: Path, copies: int, source: Path = REPO / "datapackage.json") -> int:
    """Write the enlarged package under `target`; return its total number of data rows."""
    package = load_package(source)
    shutil.copytree(source.parent / "schemas", target / "schemas", dirs_exist_ok=True)
    (target / "data").mkdir(parents=True, exist_ok=True)
    descriptor = json.loads(source.read_text(encoding="utf-8"))
    descriptor["name"] = descriptor["name"] + "-synthetic"
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    total = 0
    for resource in package.resources:
        ids = _id_fields(resource)
        header, rows = resource.field_names, read_rows(resource.path)
        out = []
        for copy in range(copies):
            suffix = f"-{copy:07d}"
            for row in rows:
                new = {k: (v + suffix if k in ids and v else v) for k, v in row.items()}
                for column in UNIQUE_TEXT:
                    if new.get(column):
                        new[column] = f"{new[column]} (copy {copy})"
                if "sha256" in new:
                    new["sha256"] = ""
                out.append(new)
        out.sort(key=lambda r: tuple(r[k] for k in resource.primary_key))
        with (target / "data" / resource.path.name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(out)
        total += len(out)
    return total


def real_row_count(source: Path = REPO / "datapackage.json") -> int:
    package = load_package(source)
    return sum(len(read_rows(resource.path)) for resource in package.resources)
