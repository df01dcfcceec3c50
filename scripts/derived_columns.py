"""Columns the build derives rather than reads from the CSVs: links from citations, and each table's default order.

Citations name their record as (record_table, record_id); one link column per table turns that into a real
foreign key, so each event, figure or agreement page in Datasette links to its citations. (The verdicts are a
column of the CSVs themselves: see verification.py.)

`date_order` is the default order of a table with a date: newest first, undated rows last. Datasette 0.65 orders
the first page of a sorted table by the sort column alone and the following pages by it and the key, so rows
with the same date repeat or go missing across pages; a column that never ties keeps every page in step.
"""

from __future__ import annotations

import sqlite_utils

from package import Package, Resource
from rules.citations import KEYS

ORDER_COLUMN = "date_order"
NO_DATE = "0000-00-00"  # sorts before every date: last when newest come first

# Descriptions for Datasette, written here once because no table schema has these columns.
DESCRIPTIONS = {
    **{
        key: f"Link to the cited record when record_table is {table} (derived by the build from record_table and record_id)."
        for table, key in KEYS.items()
    },
    ORDER_COLUMN: "The table's default order, newest first with undated rows last: the row's first date (or "
    f"{NO_DATE} when it has none) and its id, so no two rows tie (derived by the build).",
}


def ordered_by(resource: Resource) -> tuple[str, str] | None:
    """(date field, key) that `date_order` is made of, for a table with a date and a one-field primary key."""
    date = next((f["name"] for f in resource.fields if f.get("type") == "date"), None)
    return (date, resource.primary_key[0]) if date and len(resource.primary_key) == 1 else None


def add_derived_columns(db: sqlite_utils.Database, package: Package) -> None:
    for resource in package.resources:
        if (order := ordered_by(resource)) and resource.name in db.table_names():
            date, key = order
            db[resource.name].add_column(ORDER_COLUMN, str)
            db.execute(f"UPDATE [{resource.name}] SET {ORDER_COLUMN} = COALESCE([{date}], ?) || ' ' || [{key}]", [NO_DATE])
            db[resource.name].create_index([ORDER_COLUMN], index_name=f"idx_{resource.name}_{ORDER_COLUMN}")
    if "citations" not in db.table_names():
        return
    for table, key in KEYS.items():
        db["citations"].add_column(key, str, fk=table, fk_col=key)
        db.execute(f"UPDATE citations SET {key} = record_id WHERE record_table = ?", [table])
        db["citations"].create_index([key], index_name=f"idx_citations_{key}")
