"""Columns the build derives rather than reads from the CSVs: links from citations to the records they cite.

Citations name their record as (record_table, record_id); one link column per table turns that into a real
foreign key, so each event, figure or agreement page in Datasette links to its citations. (The verdicts are a
column of the CSVs themselves: see verification.py.)
"""

from __future__ import annotations

import sqlite_utils

from rules.citations import KEYS

# Descriptions for Datasette, written here once because no table schema has these columns.
DESCRIPTIONS = {
    key: f"Link to the cited record when record_table is {table} (derived by the build from record_table and record_id)."
    for table, key in KEYS.items()
}


def add_derived_columns(db: sqlite_utils.Database) -> None:
    if "citations" not in db.table_names():
        return
    for table, key in KEYS.items():
        db["citations"].add_column(key, str, fk=table, fk_col=key)
        db.execute(f"UPDATE citations SET {key} = record_id WHERE record_table = ?", [table])
        db["citations"].create_index([key], index_name=f"idx_citations_{key}")
