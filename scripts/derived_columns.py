"""Columns the build derives rather than reads from the CSVs: verdicts, and links from citations.

`verification` comes from the citations by the rule in verification.py. Citations name their
record as (record_table, record_id); one link column per table turns that into a real foreign
key, so each event, figure or agreement page in Datasette links to its citations.
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils

from rules.citations import KEYS
from verification import DESCRIPTION, VERIFIED_TABLES, derive, verdicts_for

# Descriptions for Datasette, written here once because no table schema has these columns.
DESCRIPTIONS = {
    "verification": DESCRIPTION,
    **{
        key: f"Link to the cited record when record_table is {table} (derived by the build from record_table and record_id)."
        for table, key in KEYS.items()
    },
}


def add_derived_columns(db: sqlite_utils.Database) -> None:
    citations = pd.DataFrame(list(db["citations"].rows)) if "citations" in db.table_names() else pd.DataFrame()
    derived = derive(citations)
    for table in VERIFIED_TABLES:
        key = KEYS[table]
        ids = [row[key] for row in db.query(f"SELECT {key} FROM {table} ORDER BY {key}")]
        db[table].add_column("verification", str)
        with db.conn:  # one statement for all rows, committed before the next step
            db.conn.executemany(
                f"UPDATE {table} SET verification = ? WHERE {key} = ?", zip(verdicts_for(table, ids, derived), ids)
            )
        db[table].create_index(["verification"], index_name=f"idx_{table}_verification")
    if citations.empty:
        return
    for table, key in KEYS.items():
        db["citations"].add_column(key, str, fk=table, fk_col=key)
        db.execute(f"UPDATE citations SET {key} = record_id WHERE record_table = ?", [table])
        db["citations"].create_index([key], index_name=f"idx_citations_{key}")
