"""The built database as a user meets it in Datasette, through Datasette's own test client."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

import pytest

from serve import in_process

DB = "/cambodia-china-anti-fraud"
PACKAGE = json.loads((__import__("conftest").REPO / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [r["name"] for r in PACKAGE["resources"]]
VIEWS = ["timeline", "figures_in_context", "actor_events", "claims"]


def client(datasette):
    def get(path: str):
        async def fetch():
            return await datasette.client.get(path)

        return asyncio.run(fetch())

    return get


@pytest.fixture(scope="module")
def site(built_site):
    return client(in_process(built_site))


@pytest.fixture(scope="module")
def local_site(built_site):
    """The site as `make serve ALLOW_SQL=1` runs it, where anyone may run their own SELECT."""
    return client(in_process(built_site, allow_sql=True))


def test_the_index_shows_title_licence_and_sources(site):
    page = site("/").text
    assert PACKAGE["title"] in page
    for licence in PACKAGE["licenses"]:
        assert licence["path"] in page and licence["title"] in page
    for source in PACKAGE["sources"]:
        assert source["path"] in page
    for source_id in ("src-dnyxxg-3889", "src-wsoctv-2026-03-13-draft-law", "src-starofcambodia-sar-thet"):
        assert f'href="{DB}/sources/{source_id}"' in page


@pytest.mark.parametrize("name", TABLES + VIEWS)
def test_every_table_and_view_has_a_page(site, name):
    response = site(f"{DB}/{name}")
    assert response.status_code == 200


def test_a_table_page_shows_the_schemas_title_description_and_column_descriptions(site):
    resource = next(r for r in PACKAGE["resources"] if r["name"] == "figures")
    schema = json.loads((__import__("conftest").REPO / resource["schema"]).read_text(encoding="utf-8"))
    page = site(f"{DB}/figures").text
    assert resource["title"] in page and resource["description"] in page
    as_printed = next(f for f in schema["fields"] if f["name"] == "as_printed")
    assert as_printed["description"].split(".")[0] in page


def test_a_table_page_shows_foreign_keys_as_labelled_links(site):
    page = site(f"{DB}/figures?figure_id=fig-operation-thunder-arrests").text
    assert f'<a href="{DB}/events/ev-operation-thunder-2025">Operation Thunder 2025' in page


def test_a_row_page_links_to_the_rows_that_refer_to_it(site):
    page = site(f"{DB}/events/ev-operation-thunder-2025").text
    assert "Links from other tables" in page
    assert f'href="{DB}/figures?event_id=ev-operation-thunder-2025"' in page
    assert f'href="{DB}/event_actors?event_id=ev-operation-thunder-2025"' in page


def test_events_can_be_faceted_by_type(site):
    data = site(f"{DB}/events.json?_facet=event_type").json()
    values = {v["value"]: v["count"] for v in data["facet_results"]["event_type"]["results"]}
    assert values["statement"] >= 4


def test_the_configured_facets_come_from_the_schemas_enums(site):
    data = site(f"{DB}/figures.json").json()
    assert {"metric", "unit", "currency", "value_qualifier"} <= set(data["facet_results"])


def test_search_finds_a_garbled_name(site):
    data = site(f"{DB}/actor_aliases.json?_search=Sassok&_shape=array").json()
    assert [row["actor_id"] for row in data] == ["act-sar-sokha"]


def test_events_are_sorted_by_date_by_default(site):
    rows = site(f"{DB}/events.json?_shape=array&_size=max").json()
    dates = [row["start_date"] for row in rows if row["start_date"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    "query",
    [
        "timeline_between.json?from_date=&to_date=",
        "totals_by_metric_and_currency",
        "figures_with_source_paragraph",
        "figures_over_time",
    ],
)
def test_each_canned_query_returns_rows(site, query):
    path = query if ".json" in query else f"{query}.json?"
    rows = site(f"{DB}/{path}&_shape=array").json()
    assert rows


def test_the_timeline_query_keeps_events_that_overlap_the_dates_given(site):
    rows = site(f"{DB}/timeline_between.json?from_date=2025-10-01&to_date=2025-10-31&_shape=array").json()
    ids = {row["event_id"] for row in rows}
    assert "ev-sihanoukville-cases-2025-10" in ids
    assert "ev-operation-thunder-2025" not in ids
    assert all(row["start_date"] is None or row["start_date"] <= "2025-10-31" for row in rows)


def test_everything_about_one_actor_takes_the_actor_as_a_parameter(site):
    rows = site(f"{DB}/actor_dossier.json?actor_id=act-hun-sen&_shape=array").json()
    kinds = {row["kind"] for row in rows}
    assert {"name", "event"} <= kinds
    assert any('as "Prime Minister"' in (row["role"] or "") for row in rows)


def test_rows_download_as_csv_and_json(site):
    csv_text = site(f"{DB}/figures.csv?_size=max").text
    assert csv_text.splitlines()[0].startswith("figure_id,")
    assert "287 suspects" in csv_text
    assert site(f"{DB}/figures.json").json()["rows"]


def test_the_public_site_offers_no_sql_box_and_refuses_sql_sent_anyway(site):
    assert 'name="sql"' not in site(DB).text
    for path, message in [
        (f"{DB}.json?sql={quote('SELECT 1')}", "runs no SQL of your own"),
        (f"{DB}/events.json?_where={quote('1 = 1')}", "_where= is not allowed"),
    ]:
        response = site(path)
        assert (response.status_code, message in response.json()["error"]) == (403, True)


def test_locally_an_expensive_query_is_cut_off_by_the_time_limit(local_site):
    sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    response = local_site(f"{DB}.json?sql={quote(sql)}")
    assert response.status_code == 400
    assert "too long" in response.json()["error"]


def test_locally_the_database_cannot_be_written(local_site):
    response = local_site(f"{DB}.json?sql={quote('DELETE FROM events')}")
    assert response.status_code == 400
    assert local_site(f"{DB}/events.json?_shape=array&_size=max").json()


# Each bad request gets its status and a page that names the problem; the server goes on serving.
@pytest.mark.parametrize(
    "path,status,message",
    [
        (f"{DB}/no_such_table", 404, "Table not found"),
        (f"{DB}/events?_sort=no_such_column", 400, "Cannot sort table by no_such_column"),
        (f"{DB}/events?_sort_desc=no_such_column", 400, "Cannot sort table by no_such_column"),
        (f"{DB}/events?_size=not-a-number", 400, "_size must be a positive integer"),
    ],
)
def test_bad_requests_get_an_error_page_not_a_crash(site, path, status, message):
    response = site(path)
    assert (response.status_code, message in response.text) == (status, True)
    assert site(f"{DB}/events").status_code == 200


def test_every_column_of_every_table_and_view_has_a_description(built_site):
    metadata = json.loads((built_site / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["cambodia-china-anti-fraud"]["tables"]
    assert set(TABLES + VIEWS) <= set(tables)
    undescribed = [(name, column) for name, table in tables.items() for column, text in table["columns"].items() if not text]
    assert undescribed == []


def test_events_can_be_filtered_to_the_contradicted_ones(site):
    facets = site(f"{DB}/events.json").json()["facet_results"]
    assert "verification" in facets
    rows = site(f"{DB}/events.json?verification=contradicted&_shape=array").json()
    assert [row["event_id"] for row in rows] == ["ev-cybercrime-law-passed-2025-08"]


def test_a_contradicted_events_page_links_to_its_citations_and_they_to_their_sources(site):
    page = site(f"{DB}/events/ev-cybercrime-law-passed-2025-08").text
    assert f'href="{DB}/citations?event_id=ev-cybercrime-law-passed-2025-08"' in page
    citations = site(f"{DB}/citations?event_id=ev-cybercrime-law-passed-2025-08").text
    assert f'<a href="{DB}/sources/src-fmt-2026-02-12-draft-law">' in citations
    assert "contradicts" in citations


def test_claims_and_what_others_say_puts_contradicted_claims_first_with_the_sources_that_say_so(site):
    rows = site(f"{DB}/claims_and_what_others_say.json?_shape=array").json()
    verdicts = [row["verification"] for row in rows]
    assert verdicts[0] == "contradicted" and "corroborated" not in verdicts[: verdicts.count("contradicted")]
    law = next(row for row in rows if row["record_id"] == "agr-cybercrime-law-2025-08")
    assert "https://www.wsoctv.com/" in law["contradicted_or_corrected_by"]
    assert all(row["source_locator"].startswith("para ") for row in rows)


def test_a_claims_row_page_lists_what_each_source_says_with_links(site):
    page = site(f"{DB}/events/ev-cybercrime-law-passed-2025-08").text
    section = page[page.index("What the sources say") :]
    assert section.count("<strong>contradicts</strong>") == 3
    assert 'href="https://www.wsoctv.com/' in section and f'href="{DB}/sources/src-fmt-2026-02-12-draft-law"' in section
    assert "still drafting" in section


def test_an_actor_page_shows_the_sources_that_correct_its_printed_name(site):
    page = site(f"{DB}/actors/act-sar-sokha").text
    assert "What the sources say" in page and "<strong>corrects</strong>" in page and "Sassok Kasat" in page


def test_the_whole_database_can_be_downloaded(site):
    response = site(f"{DB}.db")
    assert response.status_code == 200 and response.content.startswith(b"SQLite format 3\x00")
