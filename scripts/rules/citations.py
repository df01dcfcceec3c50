"""Citation rules: each citation points at a real record, says what it adds, and verdicts stay consistent."""

from __future__ import annotations

import pandas as pd

from rules.rule import Context, Rule, cells, lookup
from verification import VERIFIED_TABLES, derive, verdicts_for

KEYS = {"events": "event_id", "figures": "figure_id", "agreements": "agreement_id", "actors": "actor_id", "places": "place_id"}
NEEDS_NOTE = ("contradicts", "corrects")


def _record_exists(context: Context, citations: pd.DataFrame) -> pd.Series:
    existing = {
        (table, record_id)
        for table, key in KEYS.items()
        for record_id in (context.table(table)[key] if key in context.table(table) else [])
    }
    return pd.Series(
        [(t, r) in existing or t not in KEYS for t, r in cells(citations, "record_table", "record_id")],
        index=citations.index,
        dtype=bool,
    )


def _not_repeated(context: Context, citations: pd.DataFrame) -> pd.Series:
    return ~citations.duplicated(["record_table", "record_id", "source_id", "relation"], keep="first")


def _note_given(context: Context, citations: pd.DataFrame) -> pd.Series:
    return ~citations["relation"].isin(NEEDS_NOTE) | citations["note"].notna()


def _own_sources(context: Context) -> dict[tuple[str, str], str]:
    """(table, record id) -> the record's own source_id, for the tables whose records carry one."""
    return context.memo(
        ("own sources",),
        lambda: {
            (table, record_id): source
            for table in VERIFIED_TABLES
            for record_id, source in lookup(context, table, KEYS[table], "source_id").items()
        },
    )


def _corroboration_independent(context: Context, citations: pd.DataFrame) -> pd.Series:
    own = _own_sources(context)
    own_source = pd.Series([own.get(key) for key in cells(citations, "record_table", "record_id")], index=citations.index)
    return ~((citations["relation"] == "corroborates") & (citations["source_id"] == own_source)).fillna(False)


def _has_primary_citation(table: str):
    key = KEYS[table]

    def passes(context: Context, frame: pd.DataFrame) -> pd.Series:
        c = context.table("citations")
        reports = (
            set(cells(c[c["relation"] == "reports"], "record_id", "source_id"))
            if {"relation", "record_id", "source_id"} <= set(c)
            else set()
        )
        known = set(lookup(context, "sources", "source_id", "source_id"))  # an unknown source is a foreign-key error already
        return pd.Series(
            [(r, s) in reports or s not in known for r, s in cells(frame, key, "source_id")], index=frame.index, dtype=bool
        )

    return passes


def _verdicts(context: Context) -> dict:
    return context.memo(("verdicts",), lambda: derive(context.table("citations")))


def _verdict_current(table: str):
    def passes(context: Context, frame: pd.DataFrame) -> pd.Series:
        wanted = verdicts_for(table, frame[KEYS[table]].tolist(), _verdicts(context))
        # A missing verdict is the `required` constraint's to report (a comparison with NA has no truth value).
        return pd.Series(
            [pd.isna(have) or have == want for have, want in zip(frame["verification"].tolist(), wanted)],
            index=frame.index,
            dtype=bool,
        )

    return passes


def _explain_verdict(table: str):
    def explain(context: Context, row: dict) -> str:
        wanted = verdicts_for(table, [row[KEYS[table]]], _verdicts(context))[0]
        return f"verification is {row['verification']}, but the citations make it {wanted}: run `make verdicts` to refresh it"

    return explain


def _parent(row: pd.Series) -> tuple[str, str] | None:
    if pd.notna(row.get("event_id")):
        return "events", row["event_id"]
    if pd.notna(row.get("agreement_id")):
        return "agreements", row["agreement_id"]
    return None


def _figure_not_above_record(context: Context, figures: pd.DataFrame) -> pd.Series:
    verdicts = _verdicts(context)
    parents = [_parent(row) for row in figures[["event_id", "agreement_id"]].to_dict("records")]
    mine = [verdicts.get(("figures", f), "uncorroborated") for f in figures["figure_id"]]
    consistent = [
        not (p and verdicts.get(p) == "contradicted" and m in ("corroborated", "partly_corroborated"))
        for p, m in zip(parents, mine)
    ]
    return pd.Series(consistent, index=figures.index, dtype=bool)


RULES = [
    Rule(
        "citation-record-exists",
        "citations",
        "record_id",
        _record_exists,
        lambda c, r: f"{r['record_id']} is not an id in {r['record_table']}",
        needs=tuple(KEYS),
    ),
    Rule(
        "citation-not-repeated",
        "citations",
        "relation",
        _not_repeated,
        lambda c, r: f"{r['record_id']} already cites {r['source_id']} with relation {r['relation']}: merge the two notes",
    ),
    Rule(
        "citation-note-required",
        "citations",
        "note",
        _note_given,
        lambda c, r: (
            f"a citation that {r['relation'].removesuffix('s')}s a record needs a note saying what the source says instead"
        ),
    ),
    Rule(
        "corroboration-independent",
        "citations",
        "source_id",
        _corroboration_independent,
        lambda c, r: f"{r['source_id']} is the record's own source: it reports {r['record_id']}, it cannot corroborate it",
        needs=VERIFIED_TABLES,
    ),
    *[
        Rule(
            "primary-citation",
            table,
            "source_id",
            _has_primary_citation(table),
            lambda c, r, key=KEYS[table]: (
                f"{r[key]} has no `reports` citation from its own source {r['source_id']}: add one to citations"
            ),
            needs=("citations", "sources"),
        )
        for table in VERIFIED_TABLES
    ],
    *[
        Rule(
            "verification-current", table, "verification", _verdict_current(table), _explain_verdict(table), needs=("citations",)
        )
        for table in VERIFIED_TABLES
    ],
    Rule(
        "figure-not-above-its-record",
        "figures",
        "figure_id",
        _figure_not_above_record,
        lambda c, r: (
            f"{r['figure_id']} is corroborated by its citations, but its {_parent(r)[0][:-1]} {_parent(r)[1]} is "
            "contradicted: cite what contradicts the figure too, or correct the citations"
        ),
        needs=("citations",),
    ),
]
