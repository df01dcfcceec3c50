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


def _latest(context: Context) -> dict:
    """The latest day each source can have been published: its published_date, else the day it was read."""

    def compute() -> dict:
        published = lookup(context, "sources", "source_id", "published_date")
        accessed = lookup(context, "sources", "source_id", "accessed_date")
        return {key: published.get(key) if pd.notna(published.get(key)) else accessed.get(key) for key in accessed}

    return context.memo(("latest publication",), compute)


def _latest_of(context: Context, source_ids: pd.Series) -> pd.Series:
    return dates(source_ids.map(_latest(context)))


def _start_not_after_source(context: Context, events: pd.DataFrame) -> pd.Series:
    return ~(dates(events["start_date"]) > _latest_of(context, events["source_id"])).fillna(False)


def _end_not_after_source(context: Context, events: pd.DataFrame) -> pd.Series:
    """A day or range window ends by the source's publication; a month or year window may straddle it (see README)."""
    latest = _latest_of(context, events["source_id"])
    straddles = events["date_precision"].isin(["month", "year"]).fillna(False) & (dates(events["start_date"]) <= latest).fillna(
        False
    )
    return ~(dates(events["end_date"]) > latest).fillna(False) | straddles


def _date_not_after_source(context: Context, agreements: pd.DataFrame) -> pd.Series:
    return ~(dates(agreements["date"]) > _latest_of(context, agreements["source_id"])).fillna(False)


def _record_dates(context: Context) -> dict:
    """The earliest day of each event or agreement a figure can belong to."""
    return context.memo(
        ("record dates",),
        lambda: {**lookup(context, "events", "event_id", "start_date"), **lookup(context, "agreements", "agreement_id", "date")},
    )


def _figure_not_after_source(context: Context, figures: pd.DataFrame) -> pd.Series:
    parent = figures["event_id"].fillna(figures["agreement_id"])
    return ~(dates(parent.map(_record_dates(context))) > _latest_of(context, figures["source_id"])).fillna(False)


def _explain_after_source(date_column: str):
    def explain(context: Context, row: dict) -> str:
        return (
            f"{date_column} {row[date_column]} is after {row['source_id']} can have been published "
            f"({_latest(context).get(row['source_id'])}): a source cannot report what had not happened yet"
        )

    return explain


def _explain_figure_after_source(context: Context, row: dict) -> str:
    parent = row["event_id"] if pd.notna(row["event_id"]) else row["agreement_id"]
    return (
        f"{parent} is dated {_record_dates(context).get(parent)}, after the figure's source {row['source_id']} can have been "
        f"published ({_latest(context).get(row['source_id'])}): cite a later source for this figure"
    )


def _created(context: Context):
    created = context.descriptor.get("created")
    return pd.Timestamp(str(created)[:10]) if isinstance(created, str) and len(created) >= 10 else pd.NaT


def _published_before(column: str, bound: str):
    """Published (or earliest published) no later than the day it was read, or than the package was created."""

    def passes(context: Context, sources: pd.DataFrame) -> pd.Series:
        limit = dates(sources["accessed_date"]) if bound == "accessed" else _created(context)
        return ~(dates(sources[column]) > limit).fillna(False)

    return passes


def _explain_published_before(column: str, bound: str):
    def explain(context: Context, row: dict) -> str:
        if bound == "accessed":
            return f"{column} {row[column]} is after accessed_date {row['accessed_date']}: a source is read after it is published"
        created = str(context.descriptor.get("created"))[:10]
        return f"{column} {row[column]} is after the package was created ({created}): check the date, or update `created` in datapackage.json"

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
        _start_not_after_source,
        _explain_after_source("start_date"),
        needs=("sources",),
    ),
    Rule(
        "not-after-source-publication",
        "events",
        "end_date",
        _end_not_after_source,
        _explain_after_source("end_date"),
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
        _date_not_after_source,
        _explain_after_source("date"),
        needs=("sources",),
    ),
    Rule(
        "not-after-source-publication",
        "figures",
        "source_id",
        _figure_not_after_source,
        _explain_figure_after_source,
        needs=("sources", "events", "agreements"),
    ),
    *[
        Rule(
            f"published-before-{bound}",
            "sources",
            column,
            _published_before(column, bound),
            _explain_published_before(column, bound),
        )
        for bound in ("accessed", "created")
        for column in ("published_date", "published_not_before")
    ],
]
