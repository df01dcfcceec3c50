"""What the rules mean, beyond firing: that every rule reports its own breakage at every cell it covers is the rule
matrix's job (tests/test_rule_matrix.py); here are the cases that say where a rule's line lies."""

from __future__ import annotations

import pytest

from conftest import PackageCopy
from validate import validate_package

pytestmark = pytest.mark.usefixtures("in_package")


def fired(copy: PackageCopy, rule: str, archive=None) -> list[tuple]:
    """(file, row, column) of every problem the given rule reports."""
    problems = validate_package(copy.descriptor, archive or copy.archive).problems
    return [(p.file, p.row, p.column) for p in problems if p.rule == rule]


def message(copy: PackageCopy, rule: str) -> str:
    return next(p.message for p in validate_package(copy.descriptor, copy.archive).problems if p.rule == rule)


# Dates


def test_an_end_before_the_start_is_reported_with_both_dates(in_package):
    line = in_package.set_cell("events", "ev-ambassador-talks-2026-01", "end_date", "2026-01-16")
    assert fired(in_package, "end-not-before-start") == [("data/events.csv", line, "end_date")]
    assert message(in_package, "end-not-before-start") == "end_date 2026-01-16 is before start_date 2026-01-17"


@pytest.mark.parametrize(
    "event, column, value, precision",
    [
        ("ev-cross-border-case-2025-12-03", "end_date", "2025-12-04", "day"),
        ("ev-operation-thunder-2025", "end_date", "2025-07-30", "month"),
        ("ev-operation-thunder-2025", "start_date", "2025-06-01", "month"),
        ("ev-ambassador-talks-2026-01", "end_date", "", "range"),
    ],
)
def test_a_window_that_does_not_match_its_precision_is_reported(in_package, event, column, value, precision):
    line = in_package.set_cell("events", event, column, value)
    assert fired(in_package, "date-window-matches-precision") == [("data/events.csv", line, "date_precision")]
    assert message(in_package, "date-window-matches-precision").startswith(f"date_precision is {precision} but the window is")


def test_a_year_precision_needs_the_whole_year(in_package):
    in_package.set_cell("events", "ev-operation-thunder-2025", "date_precision", "year")
    line = in_package.set_cell("events", "ev-operation-thunder-2025", "end_date", "2025-12-31")
    assert fired(in_package, "date-window-matches-precision") == [("data/events.csv", line, "date_precision")]
    in_package.set_cell("events", "ev-operation-thunder-2025", "start_date", "2025-01-01")
    assert fired(in_package, "date-window-matches-precision") == []


def test_unknown_precision_allows_open_bounds(in_package):
    in_package.set_cell("events", "ev-operation-thunder-2025", "date_precision", "unknown")
    in_package.set_cell("events", "ev-operation-thunder-2025", "end_date", "")
    assert fired(in_package, "date-window-matches-precision") == []


def test_an_agreement_date_more_precise_than_its_precision_is_reported(in_package):
    line = in_package.set_cell("agreements", "agr-mou-online-fraud-2025-02", "date", "2025-02-14")
    assert fired(in_package, "date-matches-precision") == [("data/agreements.csv", line, "date")]
    assert (
        message(in_package, "date-matches-precision")
        == "date_precision is month but date is 2025-02-14: date must be the 1st of the month"
    )


# Figures


@pytest.mark.parametrize(
    "figure, typo",
    [
        ("fig-operation-thunder-arrests", "278"),  # digits
        ("fig-operation-thunder-cash", "1200000"),  # "12 million"
        ("fig-sihanoukville-cases", "9"),  # "eight"
        ("fig-sihanoukville-funds", "23000000"),  # "230 million"
        ("fig-sihanoukville-efficiency", "4"),  # "tripling"
    ],
)
def test_a_value_that_does_not_match_what_the_source_printed_is_reported(in_package, figure, typo):
    line = in_package.set_cell("figures", figure, "value", typo)
    assert fired(in_package, "as-printed-shows-value") == [("data/figures.csv", line, "as_printed")]


# Provenance, against a synthetic archive (tests/conftest.py) so nothing here needs the real texts


def test_an_alias_cited_to_another_paragraph_than_the_one_that_prints_it_is_reported(in_package):
    copy = in_package.with_synthetic_archive()
    header, rows = copy.read_rows("actor_aliases")
    index = next(i for i, r in enumerate(rows) if r["alias"] == "Sar The")
    rows[index]["source_locator"] = "para 4"
    copy.write_rows("actor_aliases", header, rows)
    assert fired(copy, "printed-verbatim") == [("data/actor_aliases.csv", index + 2, "alias")]


def test_a_fragment_found_anywhere_in_a_span_is_verbatim(in_package):
    copy = in_package.with_synthetic_archive()
    header, rows = copy.read_rows("actor_aliases")
    index = next(i for i, r in enumerate(rows) if r["alias"] == "Sar The")
    rows[index]["source_locator"] = "para 2-3"  # printed in para 3
    copy.write_rows("actor_aliases", header, rows)
    assert fired(copy, "printed-verbatim") == []


def test_an_archived_text_that_changed_is_reported(in_package):
    copy = in_package.with_synthetic_archive()
    text = copy.archive / "synthetic.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("287 suspects", "278 suspects"), encoding="utf-8")
    lines = [copy.line_of("sources", row["source_id"]) for row in copy.read_rows("sources")[1] if row["sha256"]]
    assert fired(copy, "archived-text-present") == [("data/sources.csv", line, "sha256") for line in lines]


def test_without_the_archive_its_checks_are_skipped_not_passed(in_package, tmp_path):
    in_package.set_cell("figures", "fig-cross-border-case-arrests", "as_printed", "156 suspects")
    result = validate_package(in_package.descriptor, tmp_path / "no-archive")
    assert result.valid
    assert f"printed-verbatim on figures: no archive of source texts at {tmp_path / 'no-archive'}" in result.skipped


# Graph


def test_both_actors_of_a_loop_in_the_hierarchy_are_reported(in_package):
    first = in_package.set_cell("actors", "act-cambodia", "parent_actor_id", "act-cambodian-national-police")
    second = in_package.line_of("actors", "act-cambodian-national-police")
    assert fired(in_package, "no-parent-cycle") == [
        ("data/actors.csv", first, "parent_actor_id"),
        ("data/actors.csv", second, "parent_actor_id"),
    ]
