"""Nothing a source reports can be later than the source: the time bounds its dates put on every row."""

from __future__ import annotations

import pytest

from conftest import PackageCopy
from validate import validate_package

pytestmark = pytest.mark.usefixtures("in_package")
RULE = "not-after-source-publication"


def reported(copy: PackageCopy, rule: str = RULE) -> list[tuple]:
    return [
        (p.file, p.row, p.column, p.message) for p in validate_package(copy.descriptor, copy.archive).problems if p.rule == rule
    ]


def source_of(copy: PackageCopy, table: str, key: str) -> dict:
    _, rows = copy.read_rows(table)
    source_id = next(r for r in rows if r[next(iter(r))] == key)["source_id"]
    return next(r for r in copy.read_rows("sources")[1] if r["source_id"] == source_id)


def test_an_undated_source_bounds_its_events_by_the_day_it_was_read(in_package):
    source = source_of(in_package, "events", "ev-ambassador-talks-2026-01")
    assert not source["published_date"]
    in_package.set_cell("sources", source["source_id"], "accessed_date", "2026-01-18")
    line = in_package.line_of("events", "ev-ambassador-talks-2026-01")
    found = {(f, r, c): m for f, r, c, m in reported(in_package)}
    assert ("data/events.csv", line, "start_date") not in found  # the talks began on the 17th
    message = found[("data/events.csv", line, "end_date")]
    assert f"end_date 2026-01-19 is after {source['source_id']} can have been published (2026-01-18)" in message


def test_a_month_window_may_straddle_the_publication_day(in_package):
    """An event "in January" reported on 19 January: the window states the month, not when it ended."""
    source = source_of(in_package, "events", "ev-equipment-transfer-2025-11")
    in_package.set_cell("sources", source["source_id"], "accessed_date", "2025-11-15")
    line = in_package.line_of("events", "ev-equipment-transfer-2025-11")  # November 2025, by month
    assert [c for _, r, c, _ in reported(in_package) if r == line and c.endswith("_date")] == []


def test_a_month_window_that_starts_after_publication_is_reported(in_package):
    source = source_of(in_package, "events", "ev-equipment-transfer-2025-11")
    in_package.set_cell("sources", source["source_id"], "accessed_date", "2025-10-31")
    found = {(c, r) for _, r, c, _ in reported(in_package)}
    assert ("start_date", in_package.line_of("events", "ev-equipment-transfer-2025-11")) in found


def test_a_day_or_range_window_must_end_by_publication(in_package):
    line = in_package.set_cell("events", "ev-pm-order-2025-07-15", "date_precision", "range")
    in_package.set_cell("events", "ev-pm-order-2025-07-15", "end_date", "2025-07-17")  # its source is of 16 Jul 2025
    assert [(r, c) for _, r, c, _ in reported(in_package)] == [(line, "end_date")]


def test_an_agreement_dated_after_its_source_is_reported(in_package):
    in_package.set_cell("agreements", "agr-cybercrime-law-2025-08", "date_precision", "day")
    line = in_package.set_cell("agreements", "agr-cybercrime-law-2025-08", "date", "2026-11-26")
    assert ("data/agreements.csv", line, "date") in [(f, r, c) for f, r, c, _ in reported(in_package)]


def test_a_figure_from_a_source_older_than_its_event_is_reported(in_package):
    line = in_package.set_cell(
        "figures", "fig-crackdown-detained-2025-07-18", "source_id", "src-manilatimes-2018-05-13-security-deal"
    )
    found = [(f, r, c, m) for f, r, c, m in reported(in_package) if c == "source_id"]
    assert [(f, r) for f, r, _, _ in found] == [("data/figures.csv", line)]
    assert (
        "after the figure's source src-manilatimes-2018-05-13-security-deal can have been published (2018-05-13)" in found[0][3]
    )


def test_a_source_read_before_it_was_published_is_reported(in_package):
    line = in_package.set_cell("sources", "src-sumsub-2025-09-11-ofac", "accessed_date", "2025-09-10")
    found = reported(in_package, "published-before-accessed")
    assert [(f, r, c) for f, r, c, _ in found] == [("data/sources.csv", line, "published_date")]
    assert "published_date 2025-09-11 is after accessed_date 2025-09-10" in found[0][3]


def test_a_source_published_after_the_package_was_created_is_reported(in_package):
    in_package.set_cell("sources", "src-sumsub-2025-09-11-ofac", "accessed_date", "2027-01-02")
    line = in_package.set_cell("sources", "src-sumsub-2025-09-11-ofac", "published_date", "2027-01-01")
    found = reported(in_package, "published-before-created")
    assert [(f, r, c) for f, r, c, _ in found] == [("data/sources.csv", line, "published_date")]
    assert "update `created` in datapackage.json" in found[0][3]
