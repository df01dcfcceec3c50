"""How sure a claim is, derived from its citations by one rule, so nobody types a verdict by hand.

Usage: python scripts/verification.py [PATH_TO_DATAPACKAGE] [--check]   (`make verdicts`)
Writes each record's verdict into the `verification` column of events, figures and agreements, so every
download carries it; rows whose verdict is unchanged stay byte-identical. The validator reports a verdict
that no longer matches the citations (rule `verification-current`), naming this command.
With --check nothing is written; exit 1 when a verdict is stale.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")

import argparse
import sys
from pathlib import Path

VERIFIED_TABLES = ("events", "figures", "agreements")
VERDICTS = ("corroborated", "partly_corroborated", "uncorroborated", "contradicted")
KEYS = {"events": "event_id", "figures": "figure_id", "agreements": "agreement_id"}


def verdict(relations: set[str]) -> str:
    """The verdict for one record, given the relations of all its citations."""
    if "contradicts" in relations:
        return "contradicted"
    if "corroborates" in relations:
        return "partly_corroborated" if "corrects" in relations else "corroborated"
    return "uncorroborated"


def derive(citations) -> dict[tuple[str, str], str]:
    """(record_table, record_id) -> verdict, for every record that has a citation.

    `citations` is a DataFrame or a list of row dicts: the CLI reads plain rows, without pandas.
    """
    names = ("record_table", "record_id", "relation")
    if hasattr(citations, "columns"):  # columns as lists: iterating a frame's rows is a hundred times slower
        if citations.empty:
            return {}
        triples = zip(*(citations[name].tolist() for name in names))
    else:
        triples = ((row[n] for n in names) for row in citations)
    relations: dict[tuple[str, str], set[str]] = {}
    for table, record_id, relation in triples:
        relations.setdefault((table, record_id), set()).add(relation)
    return {key: verdict(found) for key, found in relations.items()}


def verdicts_for(table: str, ids, derived: dict[tuple[str, str], str]) -> list[str]:
    """The verdict of each id of `table`, in order, from `derive(citations)` (derive once, look up per table);
    a record with no citation is uncorroborated."""
    return [derived.get((table, record_id), "uncorroborated") for record_id in ids]


def refresh(descriptor: Path, write: bool = True) -> dict[str, int]:
    """Bring every verdict in line with the citations; return how many rows of each table were (or would be) changed."""
    from package import load_package
    from tables import read_rows, text_columns, write_rows

    package = load_package(descriptor)
    derived = derive(read_rows(package.resource("citations").path))
    changed = {}
    for table in VERIFIED_TABLES:
        resource = package.resource(table)
        rows = read_rows(resource.path)
        header = resource.field_names  # the schema's order: a first run adds the column where the schema puts it
        found = set(rows[0]) if rows else set(header)
        if found - {"verification"} != set(header) - {"verification"}:
            raise ValueError(f"{table}: the CSV's columns do not match its schema; run `make validate` first")
        stale = 0
        for row, wanted in zip(rows, verdicts_for(table, [r[KEYS[table]] for r in rows], derived)):
            stale += row.get("verification") != wanted
            row["verification"] = wanted
        if stale and write:
            write_rows(resource.path, header, rows, text_columns(resource))
        changed[table] = stale
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write each record's verdict, derived from the citations, into the CSVs.")
    parser.add_argument("datapackage", nargs="?", default="datapackage.json")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a verdict is stale")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")
    try:
        changed = refresh(Path(args.datapackage), write=not args.check)
    except (ValueError, KeyError, OSError) as exc:
        print(f"Cannot refresh the verdicts: {exc}", file=sys.stderr)
        return 2
    for table, count in changed.items():
        if count:
            print(f"{table}: {count} verdict{'s' if count != 1 else ''} {'stale' if args.check else 'updated'}", file=sys.stderr)
    if not any(changed.values()):
        print("Every verdict matches the citations.", file=sys.stderr)
    return 1 if args.check and any(changed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
