"""Citations: each rule fires on its own minimal bad input, and the verdict comes from one rule."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ARCHIVE, PackageCopy, needs_archive
from validate import validate_package
from verification import derive, verdict

pytestmark = pytest.mark.usefixtures("in_package")


def fired(copy: PackageCopy, rule: str) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in validate_package(copy.descriptor, ARCHIVE).problems if p.rule == rule]


def add_citation(copy: PackageCopy, **values) -> int:
    """Append a citation (kept in primary-key order); return its CSV line."""
    header, rows = copy.read_rows("citations")
    row = {name: "" for name in header} | values
    rows = sorted(rows + [row], key=lambda r: r["citation_id"])
    copy.write_rows("citations", header, rows)
    return next(i + 2 for i, r in enumerate(rows) if r["citation_id"] == values["citation_id"])


def test_a_citation_of_a_record_that_does_not_exist_is_reported(in_package):
    line = in_package.set_cell("citations", "cit-ev-operation-thunder-2025-reports", "record_id", "ev-operation-lightning-2025")
    assert ("data/citations.csv", line, "record_id") in fired(in_package, "citation-record-exists")


def test_citing_the_same_source_twice_with_the_same_relation_is_reported(in_package):
    line = add_citation(
        in_package,
        citation_id="cit-ev-operation-thunder-2025-reports-again",
        record_table="events",
        record_id="ev-operation-thunder-2025",
        source_id="src-dnyxxg-3889",
        source_locator="para 3",
        relation="reports",
    )
    assert fired(in_package, "citation-not-repeated") == [("data/citations.csv", line, "relation")]


def test_a_contradiction_without_a_note_is_reported(in_package):
    line = in_package.set_cell("citations", "cit-agr-cybercrime-law-2025-08-contradicts-fmt-2026-02-12-draft-law", "note", "")
    assert fired(in_package, "citation-note-required") == [("data/citations.csv", line, "note")]


def test_a_record_cannot_corroborate_itself(in_package):
    line = add_citation(
        in_package,
        citation_id="cit-ev-operation-thunder-2025-self",
        record_table="events",
        record_id="ev-operation-thunder-2025",
        source_id="src-dnyxxg-3889",
        relation="corroborates",
        note="Itself.",
    )
    assert fired(in_package, "corroboration-independent") == [("data/citations.csv", line, "source_id")]


@pytest.mark.parametrize(
    "table, record",
    [
        ("events", "ev-sihanoukville-cases-2025-10"),
        ("figures", "fig-sihanoukville-cases"),
        ("agreements", "agr-mou-online-fraud-2025-02"),
    ],
)
def test_every_claim_needs_a_reports_citation_from_its_own_source(in_package, table, record):
    header, rows = in_package.read_rows("citations")
    in_package.write_rows("citations", header, [r for r in rows if r["citation_id"] != f"cit-{record}-reports"])
    assert fired(in_package, "primary-citation") == [(f"data/{table}.csv", in_package.line_of(table, record), "source_id")]


def test_a_figure_cannot_be_corroborated_when_its_record_is_contradicted(in_package):
    # The cybercrime law is contradicted; corroborating its 15-year term alone must not pass.
    header, rows = in_package.read_rows("citations")
    in_package.write_rows(
        "citations",
        header,
        [r for r in rows if r["citation_id"] != "cit-fig-cybercrime-law-max-term-contradicts-wsoctv-2026-03-13-draft-law"],
    )
    assert fired(in_package, "figure-not-above-its-record") == []
    add_citation(
        in_package,
        citation_id="cit-fig-cybercrime-law-max-term-corroborates-scandasia",
        record_table="figures",
        record_id="fig-cybercrime-law-max-term",
        source_id="src-scandasia-2023-08-24-hun-manet",
        relation="corroborates",
        note="Made-up corroboration for the test.",
    )
    line = in_package.line_of("figures", "fig-cybercrime-law-max-term")
    assert fired(in_package, "figure-not-above-its-record") == [("data/figures.csv", line, "figure_id")]


@needs_archive
def test_a_citation_beyond_the_archived_text_is_reported(in_package):
    line = in_package.set_cell("citations", "cit-ev-operation-thunder-2025-reports", "source_locator", "para 99")
    assert fired(in_package, "locator-within-source") == [("data/citations.csv", line, "source_locator")]


@pytest.mark.parametrize(
    "relations, expected",
    [
        ({"reports"}, "uncorroborated"),
        ({"reports", "contextualises"}, "uncorroborated"),
        ({"reports", "corrects"}, "uncorroborated"),
        ({"reports", "corroborates"}, "corroborated"),
        ({"reports", "corroborates", "corrects"}, "partly_corroborated"),
        ({"reports", "corroborates", "contradicts"}, "contradicted"),
    ],
)
def test_the_verdict_rule(relations, expected):
    assert verdict(relations) == expected


def test_the_verdicts_of_the_articles_claims_follow_the_research_notes(in_package):
    citations = pd.read_csv(in_package.csv_path("citations"), dtype="string")
    verdicts = derive(citations)
    assert verdicts[("agreements", "agr-cybercrime-law-2025-08")] == "contradicted"
    assert verdicts[("figures", "fig-cybercrime-law-max-term")] == "contradicted"
    assert verdicts[("figures", "fig-us-sanctions-targets")] == "contradicted"
    assert verdicts[("events", "ev-us-sanctions-19-targets")] == "partly_corroborated"
    assert verdicts[("events", "ev-fraud-committee-established")] == "partly_corroborated"
    for uncorroborated in (
        "ev-operation-thunder-2025",
        "ev-sihanoukville-cases-2025-10",
        "ev-equipment-transfer-2025-11",
        "ev-cross-border-case-2025-12-03",
        "ev-border-surveillance-system-2025-09",
    ):
        assert verdicts[("events", uncorroborated)] == "uncorroborated"
    assert verdicts[("agreements", "agr-mou-online-fraud-2025-02")] == "uncorroborated"
