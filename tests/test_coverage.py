"""docs/coverage.md, the record of the documented search, agrees with the data: its pages, ids, months and goals."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from conftest import REPO

COVERAGE = REPO / "docs" / "coverage.md"
FIRST_MONTH = "2025-01"
DATED = ("day", "month", "range")  # precisions that place an event in the month its window starts
ID = re.compile(r"(?<![\w/.-])((?:ev|fig|act|agr|pl|src|cit)-[a-z0-9]+(?:-[a-z0-9]+)*)")
KEYS = {
    "events": "event_id",
    "figures": "figure_id",
    "actors": "actor_id",
    "agreements": "agreement_id",
    "places": "place_id",
    "sources": "source_id",
    "citations": "citation_id",
}


def rows(table: str) -> list[dict]:
    with (REPO / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sections() -> dict[str, str]:
    """The page's `## ` sections by heading."""
    parts = re.split(r"^## (.+)$", COVERAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {heading.strip(): body for heading, body in zip(parts[1::2], parts[2::2])}


def table(heading: str) -> list[dict]:
    """The Markdown table of a section, as dicts keyed by its header (cells split on unescaped pipes)."""
    lines = [line for line in sections()[heading].splitlines() if line.startswith("|")]

    def cells(line: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]

    header = cells(lines[0])
    return [dict(zip(header, cells(line))) for line in lines[2:]]


def ids_in(text: str) -> list[str]:
    return ID.findall(text)


def url_of(cell: str) -> str:
    return cell.removeprefix("<").removesuffix(">")


def pages() -> list[dict]:
    return table("Pages found")


def months() -> dict[str, dict]:
    return {row["month"]: row for row in table("Months")}


def month_span(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def test_every_page_is_listed_once_with_a_decision_and_an_excluded_page_says_why():
    listed = pages()
    urls = Counter(url_of(p["page"]) for p in listed)
    assert [url for url, n in urls.items() if n > 1] == []
    assert {p["decision"] for p in listed} == {"included", "excluded"}
    assert [p["page"] for p in listed if p["decision"] == "excluded" and not p["rows, or why excluded"]] == []


def test_every_included_page_is_a_source_and_every_source_is_listed_as_included():
    included = {url_of(p["page"]) for p in pages() if p["decision"] == "included"}
    sources = {r["url"] for r in rows("sources")}
    assert included - sources == set(), "pages marked included that no sources row has"
    assert sources - included == set(), "sources rows missing from docs/coverage.md"


def test_every_id_the_page_names_exists():
    known = {r[key] for table_name, key in KEYS.items() for r in rows(table_name)}
    assert sorted(set(ids_in(COVERAGE.read_text(encoding="utf-8"))) - known) == []


def test_the_rows_given_for_an_included_page_are_rows_that_cite_it():
    by_url = {r["url"]: r["source_id"] for r in rows("sources")}
    cites: dict[str, set] = {}
    for c in rows("citations"):
        cites.setdefault(c["source_id"], set()).add(c["record_id"])
    for table_name in ("events", "figures", "agreements"):
        for r in rows(table_name):
            cites.setdefault(r["source_id"], set()).add(r[KEYS[table_name]])
    for a in rows("actor_aliases"):
        cites.setdefault(a["source_id"], set()).add(a["actor_id"])
    for page in pages():
        if page["decision"] == "included":
            source = by_url[url_of(page["page"])]
            named = set(ids_in(page["rows, or why excluded"]))
            assert named and named <= cites.get(source, set()), page["page"]


def test_every_month_from_january_2025_to_the_newest_holds_events_or_was_searched_and_found_empty():
    table_months = months()
    newest = max(table_months)
    assert list(table_months) == month_span(FIRST_MONTH, newest)
    for month, row in table_months.items():
        held = ids_in(row["events dated in the month"])
        assert held or row["searched and empty"].startswith("yes"), month


def test_the_months_table_lists_exactly_the_events_the_data_dates_in_each_month():
    events = {r["event_id"]: r for r in rows("events")}
    table_months = months()
    for month, row in table_months.items():
        expected = {e for e, r in events.items() if r["date_precision"] in DATED and r["start_date"][:7] == month}
        assert set(ids_in(row["events dated in the month"])) == expected, month
        undated = ids_in(row["events reported in the month, date not known"])
        assert all(events[e]["date_precision"] not in DATED for e in undated), month
    newest = max(table_months)
    later = [e for e, r in events.items() if r["date_precision"] in DATED and r["start_date"][:7] > newest]
    assert later == [], "events dated after the newest month of the table"


def test_the_goals_hold_and_the_page_states_them_as_the_data_has_them():
    events = rows("events")
    publisher = {r["source_id"]: r["publisher"] for r in rows("sources")}
    publishers = {publisher[e["source_id"]] for e in events}
    assert len(events) >= 60
    assert len(publishers) >= 25
    goals = {row["goal"]: row["now"] for row in table("Goals")}
    assert goals["events in the package"] == str(len(events))
    assert goals["distinct publishers of the events' own sources"] == str(len(publishers))


def test_the_queries_are_numbered_in_the_order_they_were_run():
    numbers = [int(row["#"]) for row in table("Queries")]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers


@pytest.mark.parametrize("heading", ["Scope", "Search method", "Second reading"])
def test_the_page_keeps_its_sections(heading):
    assert sections()[heading].strip()


def test_the_second_reading_adds_up_and_lists_every_error_it_counts():
    readers = {row["reader"]: row for row in table("Second reading")}
    assert set(readers) >= {"A", "B", "both"}
    for name, row in readers.items():
        checked, right, errors, fixed = (int(row[k]) for k in ("rows checked", "right", "errors", "fixed"))
        assert checked == right + errors and fixed == errors, name
    text = sections()["Second reading"]
    for name in ("A", "B"):
        listed = re.findall(rf"^- {name} `", text, flags=re.M)
        assert len(listed) == int(readers[name]["errors"]), name
    assert int(readers["both"]["rows checked"]) == sum(int(readers[n]["rows checked"]) for n in ("A", "B"))
