"""How sure a claim is, derived from its citations by one rule, so nobody types a verdict by hand.

The build writes the verdict into the database as a `verification` column of events, figures and
agreements; validation uses the same rule to keep figures consistent with their records.
"""

from __future__ import annotations

import pandas as pd

VERIFIED_TABLES = ("events", "figures", "agreements")
VERDICTS = ("corroborated", "partly_corroborated", "uncorroborated", "contradicted")
DESCRIPTION = (
    "Derived from the citations, never typed: `contradicted` when any source contradicts the record; "
    "`partly_corroborated` when another source corroborates it but one also corrects a name, title or detail; "
    "`corroborated` when another source corroborates it; `uncorroborated` otherwise (only its own source, "
    "or sources that put it in context)."
)


def verdict(relations: set[str]) -> str:
    """The verdict for one record, given the relations of all its citations."""
    if "contradicts" in relations:
        return "contradicted"
    if "corroborates" in relations:
        return "partly_corroborated" if "corrects" in relations else "corroborated"
    return "uncorroborated"


def derive(citations: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(record_table, record_id) -> verdict, for every record that has a citation."""
    if citations.empty:
        return {}
    relations: dict[tuple[str, str], set[str]] = {}
    columns = (citations[name].tolist() for name in ("record_table", "record_id", "relation"))  # lists: fast to iterate
    for table, record_id, relation in zip(*columns):
        relations.setdefault((table, record_id), set()).add(relation)
    return {key: verdict(found) for key, found in relations.items()}


def verdicts_for(table: str, ids, derived: dict[tuple[str, str], str]) -> list[str]:
    """The verdict of each id of `table`, in order, from `derive(citations)` (derive once, look up per table);
    a record with no citation is uncorroborated."""
    return [derived.get((table, record_id), "uncorroborated") for record_id in ids]
