"""Write the package's tables into a SQLite file, with the schemas' types, keys, indexes and search.

sqlite-utils does the work (typed tables, compound primary keys, foreign keys, FTS5). We do not
use `datapackage-to-datasette`: it publishes through frictionless' SQL plugin, which declares no
foreign keys, indexes or search, and its metadata carries one licence and no column descriptions.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from datasette_metadata import facet_columns
from package import Package, Resource
from tables import read_rows

# Frictionless field types -> SQLite column types; dates stay ISO 8601 text, which sorts as dates.
# A `number` column has NUMERIC affinity, so SQLite stores a whole value as an integer (2137, not
# 2137.0, in Datasette's pages, JSON and CSV) and keeps 1.5 a real. sqlite-utils names no NUMERIC
# type of its own, so we register the SQLite name with it.
NUMERIC = "NUMERIC"
sqlite_utils.db.COLUMN_TYPE_MAPPING.setdefault(NUMERIC, NUMERIC)
SQLITE_TYPES = {"integer": int, "number": NUMERIC, "boolean": int}
# Columns worth searching: titles, summaries, names and aliases. Each search index adds six
# tables that Datasette inspects on every index page, so tables without these get none.
SEARCHABLE = ("title", "summary", "name", "alias", "description")


def _convert(field: dict, text: str):
    if text == "":
        return None
    kind = field.get("type", "string")
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return 1 if text.lower() in ("true", "1", "yes") else 0
    return text


def _rows(resource: Resource) -> list[dict]:
    fields = {f["name"]: f for f in resource.fields}
    return [{name: _convert(fields[name], value) for name, value in row.items()} for row in read_rows(resource.path)]


def _creation_order(resources: list[Resource]) -> list[Resource]:
    """Referenced tables first: sqlite-utils checks that a foreign key's table exists."""
    done: list[Resource] = []
    pending = list(resources)
    while pending:
        for resource in pending:
            targets = {fk["reference"].get("resource") for fk in resource.schema.get("foreignKeys", [])}
            if all(t in ("", resource.name) or t in {d.name for d in done} for t in targets):
                done.append(resource)
                pending.remove(resource)
                break
        else:  # a cycle between tables: create the rest in package order
            done.extend(pending)
            break
    return done


def _foreign_keys(resource: Resource) -> list[tuple[str, str, str]]:
    keys = []
    for fk in resource.schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        if len(fields) == 1:  # SQLite's foreign keys in sqlite-utils are single-column
            keys.append((fields[0], ref.get("resource") or resource.name, ref_fields[0]))
    return keys


def add_table(db: sqlite_utils.Database, resource: Resource, rows: list[dict] | None = None) -> None:
    columns = {f["name"]: SQLITE_TYPES.get(f.get("type"), str) for f in resource.fields}
    not_null = [f["name"] for f in resource.fields if f.get("constraints", {}).get("required")]
    pk = resource.primary_key
    foreign_keys = _foreign_keys(resource)
    table = db[resource.name]
    table.create(columns, pk=pk[0] if len(pk) == 1 else tuple(pk), foreign_keys=foreign_keys, not_null=not_null)
    table.insert_all(_rows(resource) if rows is None else rows, batch_size=1000)
    indexed = {fk[0] for fk in foreign_keys}
    indexed |= {f["name"] for f in resource.fields if f.get("type") == "date"}
    # Every table page counts its rows by each facet: an index makes that a walk of the index (4 ms -> <1 ms
    # per facet on 8,800 events), not a scan of the table.
    indexed |= set(facet_columns(resource))
    for column in sorted(indexed - set(pk[:1])):
        table.create_index([column], index_name=f"idx_{resource.name}_{column}")
    searchable = [name for name in resource.field_names if name in SEARCHABLE]
    if searchable:
        table.enable_fts(searchable, tokenize="unicode61", create_triggers=False)


def open_for_writing(path: Path) -> sqlite_utils.Database:
    """The database at `path`, written without SQLite's sync to disk at every commit (about 480 a build, each a wait
    on a busy disk, a tenth of the tests' time when the machine's disk was shared). The file is a run's staging copy:
    the build flushes it to disk whole, once, before it replaces the last good database."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA journal_mode = MEMORY")  # a failed statement still rolls back; no journal file
    return sqlite_utils.Database(connection)


def write_database(package: Package, path: Path) -> None:
    """Create the database at `path` (which must not exist) from the package's CSVs."""
    db = open_for_writing(path)
    for resource in _creation_order(package.resources):
        add_table(db, resource)
    db.conn.commit()
    db.close()
