"""A valid package N times the size of the real one, for benchmarks.

Every real row is copied `copies` times with each id suffixed by its copy number, so foreign
keys, dates, figures and every rule stay consistent without a hand-written generator per
table. Archived-text hashes are dropped: the copies have no archive to check against.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from package import load_package
from tables import read_rows, text_columns, write_rows

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
        write_rows(target / "data" / resource.path.name, header, out, text_columns(resource))
        total += len(out)
    return total


def break_rows(target: Path, share: float) -> int:
    """Corrupt `share` of the rows of the package under `target` (every row at an even spacing), each in one cell
    and each a fault of another kind (a formula, stray space, malformed date or number, a dangling key), as a
    careless bulk edit would; return how many rows were corrupted."""
    package = load_package(target / "datapackage.json")
    step = max(1, round(1 / share))
    broken = 0
    for resource in package.resources:
        kinds = _corruptions(resource)
        rows = read_rows(resource.path)
        for number, row in enumerate(rows):
            if number % step == step - 1 and kinds:
                column, corrupt = kinds[(number // step) % len(kinds)]
                row[column] = corrupt(row[column])
                broken += 1
        write_rows(resource.path, resource.field_names, rows, text_columns(resource))
    return broken


def _corruptions(resource) -> list[tuple[str, object]]:
    """(column, how to corrupt it) for the faults a table's schema lets it have."""
    kinds = []
    for field in resource.fields:
        name, kind = field["name"], field.get("type", "string")
        if kind == "date":
            kinds.append((name, lambda v: "2025-9-1"))
        elif kind == "number":
            kinds.append((name, lambda v: "1_2"))
        elif name not in resource.primary_key and kind == "string":
            kinds.append((name, lambda v: "=" + v if v else "=x"))
            kinds.append((name, lambda v: v + " "))
    for fk in resource.schema.get("foreignKeys", []):
        kinds.append((fk["fields"][0], lambda v: (v or "x") + "-zz-nowhere"))
    return kinds


def real_row_count(source: Path = REPO / "datapackage.json") -> int:
    package = load_package(source)
    return sum(len(read_rows(resource.path)) for resource in package.resources)
