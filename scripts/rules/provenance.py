"""Provenance rules: each claim says where in its source it comes from, and what it quotes is really there."""

from __future__ import annotations

import re

import pandas as pd

from archive import parse_locator
from rules.rule import Context, Rule, cells, lookup

CLAIM_TABLES = ("events", "agreements", "figures", "actor_aliases", "citations")
SUMMARY_TABLES = ("events", "agreements")  # the tables whose `summary` is in the curators' own words
COPY_LIMIT = 12  # consecutive words a summary may share with its source outside quotation marks
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|(?<!\w)\'[^\']*\'(?!\w)')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
VERBATIM_ALIAS_TYPES = ("as_printed", "description_in_source")


def _sha(context: Context) -> dict:
    return context.memo(
        ("sha256",), lambda: {k: v for k, v in lookup(context, "sources", "source_id", "sha256").items() if pd.notna(v)}
    )


def _locator_required(context: Context, table: pd.DataFrame) -> pd.Series:
    archived = table["source_id"].isin(_sha(context).keys())
    return ~archived | table["source_locator"].notna()


def _locator_within_source(context: Context, table: pd.DataFrame) -> pd.Series:
    sha = _sha(context)

    def within(source_id, locator) -> bool:
        paragraphs = context.archive.paragraphs(sha[source_id]) if source_id in sha else None
        span = parse_locator(locator)
        return paragraphs is None or span is None or span[1] <= len(paragraphs)

    return pd.Series([within(s, loc) for s, loc in cells(table, "source_id", "source_locator")], index=table.index, dtype=bool)


def _span_ordered(context: Context, table: pd.DataFrame) -> pd.Series:
    """`para 8-9` runs forward; `para 9-8` and `para 8-8` are not spans."""
    locators = table["source_locator"].tolist()
    ordered = [
        not (isinstance(loc, str) and "-" in loc) or (span := parse_locator(loc)) is None or span[0] < span[1] for loc in locators
    ]
    return pd.Series(ordered, index=table.index, dtype=bool)


def _explain_locator(context: Context, row: pd.Series) -> str:
    count = len(context.archive.paragraphs(_sha(context)[row["source_id"]]) or [])
    return f"{row['source_locator']} is beyond the end of {row['source_id']}, whose archived text has {count} paragraphs"


def _in_paragraph(context: Context, fragment, source_id, locator) -> bool:
    """True when the fragment is in the cited paragraph, or when that cannot be looked up (other rules say why)."""
    sha = _sha(context).get(source_id)
    if pd.isna(fragment) or sha is None or not context.archive.has(sha):
        return True
    paragraph = context.archive.paragraph(sha, locator)
    return paragraph is None or str(fragment) in paragraph


def _alias_verbatim(context: Context, aliases: pd.DataFrame) -> pd.Series:
    quoted = aliases["alias_type"].isin(VERBATIM_ALIAS_TYPES).fillna(False)
    found = [_in_paragraph(context, a, s, loc) for a, s, loc in cells(aliases, "alias", "source_id", "source_locator")]
    return ~quoted | pd.Series(found, index=aliases.index)


def _title_verbatim(context: Context, event_actors: pd.DataFrame) -> pd.Series:
    source = lookup(context, "events", "event_id", "source_id")
    locator = lookup(context, "events", "event_id", "source_locator")
    found = [
        _in_paragraph(context, title, source.get(e), locator.get(e))
        for title, e in cells(event_actors, "title_in_source", "event_id")
    ]
    return pd.Series(found, index=event_actors.index, dtype=bool)


def _as_printed_verbatim(context: Context, figures: pd.DataFrame) -> pd.Series:
    found = [_in_paragraph(context, p, s, loc) for p, s, loc in cells(figures, "as_printed", "source_id", "source_locator")]
    return pd.Series(found, index=figures.index, dtype=bool)


def _words(text: str) -> list[str]:
    return [word.lower().replace("’", "'") for word in _WORD.findall(text)]


def copied_run(summary, source_text: str) -> list[str]:
    """The first run of more than COPY_LIMIT words the summary shares with the source outside quotation marks."""
    size = COPY_LIMIT + 1
    words = _words(source_text)
    runs = {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    for part in _QUOTED.split(str(summary)):
        own = _words(part)
        for i in range(len(own) - size + 1):
            if tuple(own[i : i + size]) in runs:
                return own[i : i + size]
    return []


def _summary_not_copied(context: Context, table: pd.DataFrame) -> pd.Series:
    sha = _sha(context)

    def own_words(summary, source_id) -> bool:
        text = context.archive.text(sha[source_id]) if source_id in sha else None
        return text is None or pd.isna(summary) or not copied_run(summary, text)

    return pd.Series([own_words(s, src) for s, src in cells(table, "summary", "source_id")], index=table.index, dtype=bool)


def _explain_copied(context: Context, row: dict) -> str:
    run = copied_run(row["summary"], context.archive.text(_sha(context)[row["source_id"]]))
    return (
        f"summary repeats more than {COPY_LIMIT} consecutive words of {row['source_id']} outside quotation marks "
        f'("{" ".join(run[:6])} …"): quote the words or say it in your own'
    )


def _archived_text_present(context: Context, sources: pd.DataFrame) -> pd.Series:
    return sources["sha256"].isna() | sources["sha256"].map(lambda sha: pd.isna(sha) or context.archive.has(sha)).astype(bool)


def _not_verbatim(column: str, where: str):
    return lambda c, r: f'"{r[column]}" is not verbatim in {where(c, r)}: quote the source exactly, or use another alias_type'


def _cited_place(c: Context, r: pd.Series) -> str:
    return f"{r['source_locator']} of {r['source_id']}"


def _event_place(c: Context, r: pd.Series) -> str:
    return f"{lookup(c, 'events', 'event_id', 'source_locator').get(r['event_id'])} of {lookup(c, 'events', 'event_id', 'source_id').get(r['event_id'])}"


RULES = [
    *[
        Rule(
            "locator-required",
            table,
            "source_locator",
            _locator_required,
            lambda c, r: f"{r['source_id']} has an archived text, so give the paragraph as `para N`",
            needs=("sources",),
        )
        for table in CLAIM_TABLES
    ],
    *[
        Rule(
            "locator-span-ordered",
            table,
            "source_locator",
            _span_ordered,
            lambda c, r: f"{r['source_locator']} is not a span: give the first paragraph first (para N-M with N < M)",
        )
        for table in CLAIM_TABLES
    ],
    *[
        Rule(
            "locator-within-source",
            table,
            "source_locator",
            _locator_within_source,
            _explain_locator,
            needs_archive=True,
            needs=("sources",),
        )
        for table in CLAIM_TABLES
    ],
    Rule(
        "printed-verbatim",
        "actor_aliases",
        "alias",
        _alias_verbatim,
        _not_verbatim("alias", _cited_place),
        needs_archive=True,
        needs=("sources",),
    ),
    Rule(
        "printed-verbatim",
        "event_actors",
        "title_in_source",
        _title_verbatim,
        _not_verbatim("title_in_source", _event_place),
        needs_archive=True,
        needs=("sources", "events"),
    ),
    Rule(
        "printed-verbatim",
        "figures",
        "as_printed",
        _as_printed_verbatim,
        _not_verbatim("as_printed", _cited_place),
        needs_archive=True,
        needs=("sources",),
    ),
    *[
        Rule(
            "summary-not-copied",
            table,
            "summary",
            _summary_not_copied,
            _explain_copied,
            needs_archive=True,
            needs=("sources",),
        )
        for table in SUMMARY_TABLES
    ],
    Rule(
        "archived-text-present",
        "sources",
        "sha256",
        _archived_text_present,
        lambda c, r: f"no file in the archive {c.archive.directory} has this SHA-256: the archived text changed or is missing",
        needs_archive=True,
    ),
]
