"""Date rules: a window is ordered, matches its stated precision, and is not later than its source."""

from __future__ import annotations

import pandas as pd

from rules.rule import Context, Rule, dates, lookup, unreadable


def _end_not_before_start(context: Context, events: pd.DataFrame) -> pd.Series:
    start, end = dates(events["start_date"]), dates(events["end_date"])
    return ~(end < start)


def _window_matches_precision(context: Context, events: pd.DataFrame) -> pd.Series:
    start, end = dates(events["start_date"]), dates(events["end_date"])
    precision = events["date_precision"].astype("string")
    both = start.notna() & end.notna()
    day = both & (start == end)
    month = both & (start.dt.day == 1) & (start.dt.to_period("M") == end.dt.to_period("M")) & end.dt.is_month_end
    year = (
        both
        & (start.dt.month == 1)
        & (start.dt.day == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    )
    window = both & (start < end)
    expected = {"day": day, "month": month, "year": year, "range": window}
    ok = pd.Series(True, index=events.index)
    for value, matches in expected.items():
        ok &= ~(precision == value).fillna(False) | matches.fillna(False)
    return ok | unreadable(events["start_date"], start) | unreadable(events["end_date"], end)


_WINDOWS = {
    "day": "start_date and end_date must be the same day",
    "month": "start_date must be the 1st and end_date the last day of the same month",
    "year": "start_date must be 1 January and end_date 31 December of the same year",
    "range": "start_date and end_date must both be set, start before end (use `day` for one day)",
}


def _published(context: Context) -> dict:
    """Each source's publication date, or for an undated source the earliest it can have been published."""
    exact = lookup(context, "sources", "source_id", "published_date")
    earliest = lookup(context, "sources", "source_id", "published_not_before")
    return {key: exact.get(key) if pd.notna(exact.get(key)) else earliest.get(key) for key in exact}


def _not_after_source(date_column: str):
    def passes(context: Context, table: pd.DataFrame) -> pd.Series:
        published = dates(table["source_id"].map(_published(context)))
        return ~(dates(table[date_column]) > published)

    return passes


def _explain_after_source(date_column: str):
    def explain(context: Context, row: pd.Series) -> str:
        return (
            f"{date_column} {row[date_column]} is after {row['source_id']} was published "
            f"({_published(context).get(row['source_id'])}): a source cannot report what had not happened yet"
        )

    return explain


def _agreement_date_matches_precision(context: Context, agreements: pd.DataFrame) -> pd.Series:
    date = dates(agreements["date"])
    precision = agreements["date_precision"].astype("string")
    expected = {
        "day": date.notna(),
        "month": date.notna() & (date.dt.day == 1),
        "year": date.notna() & (date.dt.day == 1) & (date.dt.month == 1),
        "unknown": agreements["date"].isna(),
    }
    ok = pd.Series(True, index=agreements.index)
    for value, matches in expected.items():
        ok &= ~(precision == value).fillna(False) | matches.fillna(False)
    return ok | unreadable(agreements["date"], date)


_AGREEMENT_DATES = {
    "day": "date must be set",
    "month": "date must be the 1st of the month",
    "year": "date must be 1 January of the year",
    "unknown": "date must be empty",
}

RULES = [
    Rule(
        "end-not-before-start",
        "events",
        "end_date",
        _end_not_before_start,
        lambda c, r: f"end_date {r['end_date']} is before start_date {r['start_date']}",
    ),
    Rule(
        "date-window-matches-precision",
        "events",
        "date_precision",
        _window_matches_precision,
        lambda c, r: (
            f"date_precision is {r['date_precision']} but the window is {r['start_date']} to {r['end_date']}: "
            f"{_WINDOWS[r['date_precision']]}"
        ),
    ),
    Rule(
        "not-after-source-publication",
        "events",
        "start_date",
        _not_after_source("start_date"),
        _explain_after_source("start_date"),
        needs=("sources",),
    ),
    Rule(
        "date-matches-precision",
        "agreements",
        "date",
        _agreement_date_matches_precision,
        lambda c, r: (
            f"date_precision is {r['date_precision']} but date is {r['date'] if pd.notna(r['date']) else 'empty'}: "
            f"{_AGREEMENT_DATES[r['date_precision']]}"
        ),
    ),
    Rule(
        "not-after-source-publication",
        "agreements",
        "date",
        _not_after_source("date"),
        _explain_after_source("date"),
        needs=("sources",),
    ),
]
