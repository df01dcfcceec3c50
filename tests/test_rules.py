"""Each pandera rule fires on its own minimal corruption of the real data, naming file, row, column and rule."""

from __future__ import annotations

import shutil

import pytest

from archive import Archive
from conftest import ARCHIVE, PackageCopy, needs_archive
from package import load_package
from pandera_checks import check_with_pandera
from validate import validate_package

pytestmark = pytest.mark.usefixtures("in_package")


def fired(copy: PackageCopy, rule: str, archive=ARCHIVE) -> list[tuple]:
    """(file, row, column) of every problem the given rule reports."""
    return [(p.file, p.row, p.column) for p in validate_package(copy.descriptor, archive).problems if p.rule == rule]


def message(copy: PackageCopy, rule: str) -> str:
    return next(p.message for p in validate_package(copy.descriptor, ARCHIVE).problems if p.rule == rule)


# Dates


def test_an_end_before_the_start_is_reported(in_package):
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


def test_an_agreement_date_that_does_not_match_its_precision_is_reported(in_package):
    line = in_package.set_cell("agreements", "agr-mou-online-fraud-2025-02", "date", "2025-02-14")
    assert fired(in_package, "date-matches-precision") == [("data/agreements.csv", line, "date")]
    assert (
        message(in_package, "date-matches-precision")
        == "date_precision is month but date is 2025-02-14: date must be the 1st of the month"
    )


def test_a_date_that_is_not_a_calendar_day_is_a_type_problem_in_the_second_layer_too(in_package):
    line = in_package.set_cell("events", "ev-operation-thunder-2025", "end_date", "2025-02-30")
    package = load_package(in_package.descriptor)
    problems = check_with_pandera(package, Archive(ARCHIVE)).problems
    assert [(p.row, p.column, p.rule) for p in problems] == [(line, "end_date", "type")]


# Figures


def test_a_figure_with_both_an_event_and_an_agreement_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-arrests", "agreement_id", "agr-cybercrime-law-2025-08")
    assert fired(in_package, "exactly-one-parent") == [("data/figures.csv", line, "event_id")]
    assert message(in_package, "exactly-one-parent") == "set exactly one of event_id and agreement_id (both are set)"


def test_a_figure_with_neither_an_event_nor_an_agreement_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-arrests", "event_id", "")
    assert fired(in_package, "exactly-one-parent") == [("data/figures.csv", line, "event_id")]


def test_money_without_a_currency_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-operation-thunder-cash", "currency", "")
    assert fired(in_package, "currency-iff-money") == [("data/figures.csv", line, "currency")]


def test_a_currency_on_a_count_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-operation-thunder-arrests", "currency", "USD")
    assert fired(in_package, "currency-iff-money") == [("data/figures.csv", line, "currency")]
    assert message(in_package, "currency-iff-money") == "currency is set to USD but unit is person: set currency only for money"


def test_a_currency_code_that_is_not_iso_4217_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-funds", "currency", "RMB")
    assert fired(in_package, "currency-is-iso-4217") == [("data/figures.csv", line, "currency")]


def test_a_ratio_of_zero_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-efficiency", "value", "0")
    assert fired(in_package, "ratio-is-positive") == [("data/figures.csv", line, "value")]


def test_a_fractional_count_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-sihanoukville-arrests", "value", "64.5")
    assert fired(in_package, "count-is-whole") == [("data/figures.csv", line, "value")]


@pytest.mark.parametrize(
    "figure, typo",
    [
        ("fig-operation-thunder-arrests", "278"),
        ("fig-operation-thunder-cash", "1200000"),
        ("fig-sihanoukville-cases", "9"),
        ("fig-sihanoukville-funds", "23000000"),
        ("fig-sihanoukville-efficiency", "4"),
    ],
)
def test_a_value_that_does_not_match_what_the_source_printed_is_reported(in_package, figure, typo):
    line = in_package.set_cell("figures", figure, "value", typo)
    assert fired(in_package, "as-printed-shows-value") == [("data/figures.csv", line, "as_printed")]


# Provenance


def test_a_claim_from_an_archived_source_without_a_paragraph_is_reported(in_package):
    line = in_package.set_cell("events", "ev-us-sanctions-19-targets", "source_locator", "")
    assert fired(in_package, "locator-required") == [("data/events.csv", line, "source_locator")]


@needs_archive
def test_a_paragraph_beyond_the_end_of_the_source_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-us-sanctions-targets", "source_locator", "para 12")
    assert ("data/figures.csv", line, "source_locator") in fired(in_package, "locator-within-source")
    assert (
        message(in_package, "locator-within-source")
        == "para 12 is beyond the end of src-dnyxxg-3889, whose archived text has 11 paragraphs"
    )


@needs_archive
def test_an_alias_not_printed_in_the_cited_paragraph_is_reported(in_package):
    header, rows = in_package.read_rows("actor_aliases")
    row = next(r for r in rows if r["alias"] == "Sassok Kasat")
    row["alias"] = "Sassok Kaset"
    in_package.write_rows("actor_aliases", header, sorted(rows, key=lambda r: (r["actor_id"], r["alias"], r["source_id"])))
    line = [r["alias"] for r in sorted(rows, key=lambda r: (r["actor_id"], r["alias"]))].index("Sassok Kaset") + 2
    assert fired(in_package, "printed-verbatim") == [("data/actor_aliases.csv", line, "alias")]


@needs_archive
def test_an_alias_cited_to_the_wrong_paragraph_is_reported(in_package):
    header, rows = in_package.read_rows("actor_aliases")
    index = next(i for i, r in enumerate(rows) if r["alias"] == "Sar The")
    rows[index]["source_locator"] = "para 4"
    in_package.write_rows("actor_aliases", header, rows)
    assert fired(in_package, "printed-verbatim") == [("data/actor_aliases.csv", index + 2, "alias")]


@needs_archive
def test_a_title_the_source_does_not_print_is_reported(in_package):
    header, rows = in_package.read_rows("event_actors")
    index = next(i for i, r in enumerate(rows) if r["actor_id"] == "act-sar-thet")
    rows[index]["title_in_source"] = "National Police Commissioner General"
    in_package.write_rows("event_actors", header, rows)
    assert fired(in_package, "printed-verbatim") == [("data/event_actors.csv", index + 2, "title_in_source")]


@needs_archive
def test_a_figure_not_printed_in_its_paragraph_is_reported(in_package):
    line = in_package.set_cell("figures", "fig-cross-border-case-arrests", "as_printed", "156 suspects")
    assert fired(in_package, "printed-verbatim") == [("data/figures.csv", line, "as_printed")]


@needs_archive
def test_an_archived_text_that_changed_is_reported(in_package, tmp_path):
    changed = tmp_path / "archive"
    shutil.copytree(ARCHIVE, changed)
    for path in changed.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("287 suspects", "278 suspects"), encoding="utf-8")
    line = in_package.line_of("sources", "src-dnyxxg-3889")
    assert fired(in_package, "archived-text-present", archive=changed) == [("data/sources.csv", line, "sha256")]


def test_without_the_archive_its_checks_are_skipped_not_passed(in_package, tmp_path):
    in_package.set_cell("figures", "fig-cross-border-case-arrests", "as_printed", "156 suspects")
    result = validate_package(in_package.descriptor, tmp_path / "no-archive")
    assert result.valid
    assert f"printed-verbatim on figures: no archive of source texts at {tmp_path / 'no-archive'}" in result.skipped


# Graph


def test_an_actor_nothing_refers_to_is_reported(in_package):
    header, rows = in_package.read_rows("actors")
    rows.append(dict(rows[0], actor_id="act-zz-unused", name="Unused actor"))
    in_package.write_rows("actors", header, rows)
    assert fired(in_package, "actor-is-used") == [("data/actors.csv", len(rows) + 1, "actor_id")]


def test_a_place_nothing_refers_to_is_reported(in_package):
    header, rows = in_package.read_rows("places")
    rows.append(dict(rows[0], place_id="pl-zz-unused", name="Unused place"))
    in_package.write_rows("places", header, rows)
    assert fired(in_package, "place-is-used") == [("data/places.csv", len(rows) + 1, "place_id")]


def test_a_loop_in_the_actor_hierarchy_is_reported(in_package):
    first = in_package.set_cell("actors", "act-cambodia", "parent_actor_id", "act-cambodian-national-police")
    second = in_package.line_of("actors", "act-cambodian-national-police")
    assert fired(in_package, "no-parent-cycle") == [
        ("data/actors.csv", first, "parent_actor_id"),
        ("data/actors.csv", second, "parent_actor_id"),
    ]


def test_an_event_without_actors_is_reported(in_package):
    header, rows = in_package.read_rows("event_actors")
    in_package.write_rows("event_actors", header, [r for r in rows if r["event_id"] != "ev-equipment-transfer-2025-11"])
    line = in_package.line_of("events", "ev-equipment-transfer-2025-11")
    assert fired(in_package, "event-has-actor") == [("data/events.csv", line, "event_id")]


def test_a_statement_without_a_speaker_is_reported(in_package):
    header, rows = in_package.read_rows("event_actors")
    for row in rows:
        if row["event_id"] == "ev-new-year-address-2026":
            row["role"] = "subject"
    in_package.write_rows("event_actors", header, rows)
    line = in_package.line_of("events", "ev-new-year-address-2026")
    assert fired(in_package, "statement-has-speaker") == [("data/events.csv", line, "event_type")]


# Text hygiene


@pytest.mark.parametrize(
    "value, rule",
    [
        (" Hun Sen", "no-surrounding-whitespace"),
        ("Hun Sen ", "no-surrounding-whitespace"),
        ("Hun  Sen", "no-double-spaces"),
        ("Hun\x07Sen", "no-control-characters"),
        ("Hun\nSen", "no-control-characters"),
        ('=HYPERLINK("http://x")', "no-formula-prefix"),
        ("+Hun Sen", "no-formula-prefix"),
        ("-Hun Sen", "no-formula-prefix"),
        ("@Hun Sen", "no-formula-prefix"),
    ],
)
def test_a_dirty_text_cell_is_reported(in_package, value, rule):
    line = in_package.set_cell("actors", "act-hun-sen", "name", value)
    assert fired(in_package, rule) == [("data/actors.csv", line, "name")]


def test_a_title_used_twice_is_reported(in_package):
    title = in_package.read_rows("events")[1][0]["title"]
    line = in_package.set_cell("events", "ev-us-sanctions-19-targets", "title", title)
    assert fired(in_package, "title-unique") == [("data/events.csv", line, "title")]


def test_an_id_with_another_tables_prefix_is_caught_by_the_derived_model(in_package):
    line = in_package.set_cell("agreements", "agr-mou-online-fraud-2025-02", "agreement_id", "ev-mou-online-fraud-2025-02")
    problems = check_with_pandera(load_package(in_package.descriptor), Archive(ARCHIVE)).problems
    assert ("data/agreements.csv", line, "agreement_id", "pattern") in [(p.file, p.row, p.column, p.rule) for p in problems]
