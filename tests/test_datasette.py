"""The built database as a user meets it in Datasette, through Datasette's own test client."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from html import escape, unescape
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode

from build import build
from conftest import REPO
from serve import in_process
from tables import read_rows
from views import QUERIES

DB = "/cambodia-china-anti-fraud"
PACKAGE = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [r["name"] for r in PACKAGE["resources"]]
VIEWS = ["timeline", "figures_in_context", "actor_events", "claims"]
LAW = "ev-cybercrime-law-passed-2025-08"


def title_of(event_id: str) -> str:
    """An event's title as the data gives it (titles change; ids do not)."""
    return next(r["title"] for r in read_rows(REPO / "data" / "events.csv") if r["event_id"] == event_id)


def schema(table: str) -> dict:
    resource = next(r for r in PACKAGE["resources"] if r["name"] == table)
    return json.loads((REPO / resource["schema"]).read_text(encoding="utf-8"))


def client(datasette):
    """GET through Datasette's own test client, over an instance configured as `make serve` runs it."""

    def get(path: str):
        async def fetch():
            return await datasette.client.get(path)

        return asyncio.run(fetch())

    return get


def text_of(html: str) -> str:
    """The page as a reader sees it: no styles or scripts, tags dropped (blocks end with a space), entities decoded."""
    html = re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>", "", html)
    html = re.sub(r"</(p|li|dt|dd|td|th|h[1-6]|div)>|<br ?/?>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


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


def test_every_page_gives_as_its_data_source_all_the_sources_the_rows_cite(site):
    """Each row names its own source (a row page shows it); the line atop the other pages must not make the first
    article the source of all."""
    cited = len(read_rows(REPO / "data" / "sources.csv"))
    for path in ("/", f"{DB}/events", f"{DB}/timeline"):
        page = site(path).text
        assert f"Data source: the {cited} sources the rows cite, each row naming its own" in text_of(page), path
        assert re.search(rf'Data source:\s*<a href="{DB}/sources">', page), path


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
    assert f'<a href="{DB}/events/ev-operation-thunder-2025">{escape(title_of("ev-operation-thunder-2025"))}</a>' in page


def test_an_events_row_page_lists_its_actors_by_name_with_the_title_as_printed(site):
    page = site(f"{DB}/events/ev-new-year-address-2026").text
    section = text_of(page[page.index("Who took part") :])
    assert "Hun Sen \u2014 speaker, printed as \u201cPrime Minister\u201d" in section
    assert f'href="{DB}/actors/act-hun-sen"' in page


def test_an_events_row_page_lists_its_figures_as_printed_with_their_verdicts(site):
    page = site(f"{DB}/events/ev-operation-thunder-2025").text
    section = page[page.index("<h2>Figures") :]
    assert f'<a href="{DB}/figures/fig-operation-thunder-arrests">287 suspects</a>' in section
    assert "US$12 million" in section and 'class="verdict verdict-uncorroborated"' in section


def test_an_agreements_row_page_lists_its_parties_and_figures(site):
    page = text_of(site(f"{DB}/agreements/agr-cybercrime-law-2025-08").text)
    parties, figures = page.index("Parties"), page.index("Figures (")
    assert "National Assembly" in page[parties:figures] and "15 years" in page[figures:]


def test_an_actors_row_page_lists_its_names_as_printed_and_its_events(site):
    page = text_of(site(f"{DB}/actors/act-sar-sokha").text)
    assert "Sassok Kasat \u2014 as_printed" in page[page.index("Names as printed") :]
    assert title_of("ev-ambassador-talks-2026-01") in page[page.index("Events (") :]


def test_a_sources_row_page_lists_the_claims_it_reports(site):
    page = site(f"{DB}/sources/src-dnyxxg-3889").text
    section = page[page.index("Claims it reports") :]
    assert f'href="{DB}/events/{LAW}"' in section and f'href="{DB}/figures/fig-operation-thunder-arrests"' in section


@pytest.mark.parametrize("table", TABLES)
def test_every_table_has_a_row_page_with_its_fields_titled_and_described(site, table):
    keys = schema(table)["primaryKey"]
    row = site(f"{DB}/{table}.json?_shape=array&_size=1").json()[0]
    page = site(f"{DB}/{table}/" + ",".join(tilde_encode(row[key]) for key in keys))
    assert page.status_code == 200
    text = text_of(page.text)
    assert "The record" in text and 'class="record-heading"' in page.text
    for field in schema(table)["fields"]:
        assert field["title"] in text and unescape(re.sub("`", "", field["description"]))[:40] in text.replace("`", "")


def test_the_laws_row_page_puts_its_title_then_its_verdict_and_reason_first(site):
    page = site(f"{DB}/events/{LAW}").text
    heading = page.index(f"{escape(title_of(LAW))}</h1>")
    badge = page.index('<span class="verdict verdict-contradicted">contradicted</span>')
    assert heading < badge < page.index("What the sources say") < page.index("The record")
    reason = text_of(page[badge : page.index("What the sources say")])
    assert "Contradicted by Free Malaysia Today (Bloomberg), The Straits Times and WSOC-TV (Associated Press)." in reason


def test_a_row_page_links_ids_inside_its_notes(site):
    page = site(f"{DB}/events/{LAW}").text
    notes = page[page.index('<code class="column-name">notes</code>') :]
    assert f'<a href="{DB}/agreements/agr-cybercrime-law-2025-08">agr-cybercrime-law-2025-08</a>' in notes


def test_a_row_page_shows_field_titles_with_descriptions_as_code_not_backticks(site):
    page = site(f"{DB}/events/{LAW}").text
    assert "<dt>Start date" in page and "Earliest day the event can have happened" in page
    assert "<code>day</code> (start = end)" in page and "`day`" not in page


def test_events_can_be_faceted_by_type(site):
    data = site(f"{DB}/events.json?_facet=event_type").json()
    values = {v["value"]: v["count"] for v in data["facet_results"]["event_type"]["results"]}
    assert values["statement"] >= 4


def test_the_configured_facets_come_from_the_schemas_enums(site):
    data = site(f"{DB}/figures.json").json()
    assert {"metric", "unit", "currency", "value_qualifier"} <= set(data["facet_results"])


def test_precision_columns_are_not_counted_on_every_page_but_can_be_on_request(site):
    """A date's or place's precision describes the value, not the claim: no standing facet (each one
    repeats a search's full-text match), yet `?_facet=` still counts by it."""
    for table in ("events", "agreements", "places"):
        facets = set(site(f"{DB}/{table}.json").json()["facet_results"])
        assert facets and not facets & {"date_precision", "geo_precision"}, (table, facets)
    counted = site(f"{DB}/events.json?_facet=date_precision").json()["facet_results"]["date_precision"]["results"]
    assert {v["value"] for v in counted} >= {"day", "month"}


def test_search_finds_a_garbled_name(site):
    data = site(f"{DB}/actor_aliases.json?_search=Sassok&_shape=array").json()
    assert [row["actor_id"] for row in data] == ["act-sar-sokha"]


def test_events_are_sorted_newest_first_by_default_with_undated_ones_last(site):
    rows = site(f"{DB}/events.json?_shape=array&_size=max").json()
    dates = [row["start_date"] for row in rows]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates == dated + [None] * (len(dates) - len(dated))


def test_sorting_events_by_date_oldest_first_still_puts_undated_ones_last(site):
    text = text_of(site(f"{DB}/events?_sort=start_date&_size=max").text)  # all rows on one page, as the README says
    undated = text.index(title_of("ev-fraud-committee-established"))
    dated = [row["title"] for row in site(f"{DB}/events.json?_shape=array&_size=max&start_date__notblank=1").json()]
    assert dated and all(text.index(title) < undated for title in dated)


def test_a_table_page_leads_with_title_dates_and_verdict_and_ends_with_the_id(site):
    page = site(f"{DB}/events").text
    head = page[page.index("<thead>") : page.index("</thead>")]
    columns = re.findall(r'data-column="([^"]+)"', head)
    assert columns[:4] == ["title", "start_date", "end_date", "verification"] and columns[-2:] == ["event_id", "date_order"]
    assert ">Start date" in head and ">Verdict" in head


def test_a_table_page_links_each_title_to_its_row_page_and_clamps_long_text(site):
    page = site(f"{DB}/events?_size=max").text
    assert f'<div class="cell"><a href="{DB}/events/{LAW}">{escape(title_of(LAW))}</a>' in page
    assert "-webkit-line-clamp: 3" in page


def test_a_table_page_folds_its_column_descriptions_with_code_rendered(site):
    page = site(f"{DB}/events").text
    guide = page[page.index('<details class="column-guide">') : page.index("</details>", page.index("column-guide"))]
    assert "What each column means" in guide and "<code>statement</code>" in guide and "`" not in guide


def test_helper_columns_come_last_and_short_on_the_sources_page(site):
    page = site(f"{DB}/sources?_size=max").text
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert re.findall(r'data-column="([^"]+)"', head)[-3:] == ["source_id", "sha256", "date_order"]
    assert re.search(r'<span title="[0-9a-f]{64}">[0-9a-f]{12}\u2026</span>', page)


def test_the_index_page_lists_events_figures_agreements_and_actors_first(site):
    text = text_of(site("/").text)
    tables = text[text.index("Tables") :]
    positions = [tables.index(f"{title} (") for title in ("Events", "Figures", "Agreements", "Actors", "Sources")]
    assert positions == sorted(positions)
    for query in QUERIES.values():
        assert query["title"] in text


@pytest.mark.parametrize("query", list(QUERIES))
def test_each_canned_query_runs_from_its_form_as_it_first_opens_with_rows_and_its_sql_hidden(site, query):
    page = site(f"{DB}/{query}").text
    assert 'class="rows-and-columns"' in page and "0 records" not in page
    assert 'id="sql-query"' not in page and 'id="sql-editor"' not in page
    assert QUERIES[query]["title"] in page and "?" in text_of(page)


def test_the_timeline_query_keeps_events_that_overlap_the_dates_given(site):
    rows = site(f"{DB}/timeline_between.json?from_date=2025-10-01&to_date=2025-10-31&_shape=array").json()
    ids = {row["event_id"] for row in rows}
    assert "ev-sihanoukville-cases-2025-10" in ids
    assert "ev-operation-thunder-2025" not in ids
    assert all(row["start_date"] is None or row["start_date"] <= "2025-10-31" for row in rows)


def dossier(site, name: str) -> list[dict]:
    return site(f"{DB}/actor_dossier.json?name_or_alias={quote(name)}&_shape=array").json()


def test_everything_about_one_actor_finds_them_by_name(site):
    rows = dossier(site, "Hun Sen")
    assert {row["actor"] for row in rows} == {"Hun Sen"} and {"name (person)", "event"} <= {row["kind"] for row in rows}
    assert any('as "Prime Minister"' in (row["role"] or "") for row in rows)


@pytest.mark.parametrize("name", ["hun sen", "HUN SEN", "un Se", "act-hun-sen"])
def test_everything_about_one_actor_ignores_case_and_takes_part_of_a_name_or_an_id(site, name):
    assert "Hun Sen" in {row["actor"] for row in dossier(site, name)}


def test_everything_about_one_actor_finds_them_by_a_name_as_printed(site):
    rows = dossier(site, "sassok kasat")
    assert {row["actor"] for row in rows} == {"Sar Sokha"} and any(row["what"] == "Sassok Kasat" for row in rows)


def test_everything_about_one_actor_finds_nobody_for_a_name_no_source_gives(site):
    assert dossier(site, "Nobody Atall") == []


def test_totals_add_counts_of_people_and_one_currencys_money_but_not_prison_terms_or_targets(site):
    rows = {(r["metric"], r["currency"]): r for r in site(f"{DB}/totals_by_metric_and_currency.json?_shape=array").json()}
    arrested = [float(r["value"]) for r in read_rows(REPO / "data" / "figures.csv") if r["metric"] == "persons_arrested"]
    assert rows[("persons_arrested", None)]["total_claimed"] == sum(arrested) and len(arrested) > 1
    assert rows[("funds_involved", "CNY")]["total_claimed"] == 230000000
    for metric in ("max_prison_term", "targets_sanctioned", "efficiency_multiplier"):
        assert rows[(metric, None)]["total_claimed"] is None and rows[(metric, None)]["how_to_read"].startswith("not added")
    assert "15 years (fig-cybercrime-law-max-term)" in rows[("max_prison_term", None)]["figures_as_printed"]


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
    rows = site(f"{DB}/events.json?verification=contradicted&_shape=array&_size=max").json()
    contradicted = {r["event_id"] for r in read_rows(REPO / "data" / "events.csv") if r["verification"] == "contradicted"}
    assert {row["event_id"] for row in rows} == contradicted and LAW in contradicted


def test_a_contradicted_events_page_links_to_its_citations_and_they_to_their_sources(site):
    page = site(f"{DB}/events/{LAW}").text
    assert f'href="{DB}/citations?record_table=events&amp;record_id={LAW}"' in page
    citations = site(f"{DB}/citations?record_table=events&record_id={LAW}").text
    assert f'<a href="{DB}/sources/src-fmt-2026-02-12-draft-law">' in citations
    assert "contradicts" in citations


def test_claims_and_what_others_say_gives_one_row_per_claim_and_citing_source_contradicted_first(site):
    rows = site(f"{DB}/claims_and_what_others_say.json?_shape=array&_size=max").json()
    verdicts = [row["verification"] for row in rows]
    assert verdicts[0] == "contradicted" and "corroborated" not in verdicts[: verdicts.count("contradicted")]
    law = [row for row in rows if row["record_id"] == LAW]
    assert [(r["relation"], r["publisher"]) for r in law] == [
        ("contradicts", "Free Malaysia Today (Bloomberg)"),
        ("contradicts", "The Straits Times"),
        ("contradicts", "WSOC-TV (Associated Press)"),
    ]
    assert all(r["url"].startswith("https://") and r["note"] for r in law)
    assert all(row["where_in_the_article"].startswith("para ") for row in rows)
    unmentioned = [row for row in rows if row["relation"] == "none"]
    assert unmentioned and all(row["publisher"] is None for row in unmentioned)


def test_claims_and_what_others_say_links_each_source_and_claim(site):
    page = site(f"{DB}/claims_and_what_others_say").text
    assert '<a href="https://www.wsoctv.com/news/technology/cambodia-drafts-its/SNAHI2SYMM77FKJPM23IJFVAUI/"' in page
    assert f'<a href="{DB}/events/{LAW}">{LAW}</a>' in page
    assert '<span class="verdict verdict-contradicted">contradicted</span>' in page


def test_a_claims_row_page_lists_what_each_source_says_with_links(site):
    page = site(f"{DB}/events/{LAW}").text
    section = page[page.index("What the sources say") : page.index("The record")]
    assert section.count('class="relation relation-contradicts">contradicts</strong>') == 3
    assert 'href="https://www.wsoctv.com/' in section and f'href="{DB}/sources/src-fmt-2026-02-12-draft-law"' in section
    assert "still drafting" in section


def test_an_actor_page_shows_the_sources_that_correct_its_printed_name(site):
    page = site(f"{DB}/actors/act-sar-sokha").text
    assert "What the sources say" in page and ">corrects</strong>" in page and "Sassok Kasat" in page


def test_the_whole_database_can_be_downloaded(site):
    response = site(f"{DB}.db")
    assert response.status_code == 200 and response.content.startswith(b"SQLite format 3\x00")


def test_whole_numbers_are_integers_in_json_and_csv(site):
    values = {row["figure_id"]: row["value"] for row in site(f"{DB}/figures.json?_shape=array&_size=max").json()}
    assert values["fig-crackdown-detained-2025-07-18"] == 2137 and type(values["fig-crackdown-detained-2025-07-18"]) is int
    assert ",2137," in site(f"{DB}/figures.csv?_size=max").text and "2137.0" not in site(f"{DB}/figures").text
    assert 11.5564 in [row["latitude"] for row in site(f"{DB}/places.json?_shape=array").json()]


def test_a_value_that_is_not_whole_stays_a_decimal(package_copy, tmp_path):
    package_copy.set_cell("figures", "fig-sihanoukville-efficiency", "value", "1.5")
    package_copy.set_cell("figures", "fig-sihanoukville-efficiency", "as_printed", "1.5 times")
    build(package_copy.descriptor, tmp_path / "out", tmp_path / "no-archive")
    rows = client(in_process(tmp_path / "out"))(f"{DB}/figures.json?_shape=array&_size=max").json()
    assert {row["figure_id"]: row["value"] for row in rows}["fig-sihanoukville-efficiency"] == 1.5


@pytest.fixture(scope="module")
def hostile_site(built_site, tmp_path_factory):
    """The real database with markup in a note and a javascript: URL, as a careless edit could leave them."""
    out = tmp_path_factory.mktemp("hostile")
    shutil.copytree(built_site, out, dirs_exist_ok=True)
    with sqlite3.connect(out / "cambodia-china-anti-fraud.db") as conn:
        conn.execute("UPDATE events SET notes = ? WHERE event_id = ?", ["<script>alert(1)</script> see src-dnyxxg-3889", LAW])
        conn.execute("UPDATE sources SET url = 'javascript:alert(1)' WHERE source_id = 'src-fmt-2026-02-12-draft-law'")
    return client(in_process(out))


@pytest.mark.parametrize("path", [f"{DB}/events/{LAW}", f"{DB}/events?_size=max"])
def test_markup_in_a_note_is_shown_as_text_never_run(hostile_site, path):
    page = hostile_site(path).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(
    "path", [f"{DB}/sources/src-fmt-2026-02-12-draft-law", f"{DB}/sources", f"{DB}/claims_and_what_others_say"]
)
def test_a_javascript_url_is_plain_text_not_a_link(hostile_site, path):
    page = hostile_site(path).text
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page


def test_a_javascript_url_is_no_link_among_what_the_sources_say(hostile_site):
    page = hostile_site(f"{DB}/events/{LAW}").text
    assert "Free Malaysia Today (Bloomberg)" in page and 'href="javascript:' not in page


def test_the_timeline_page_and_query_read_in_date_order_with_undated_events_last(site):
    """Views carry no ORDER BY (it made counting them slow); their pages and queries must still read in order."""
    for path in (f"{DB}/timeline.json?_shape=array&_size=max", f"{DB}/timeline_between.json?_shape=array&from_date=&to_date="):
        rows = site(path).json()
        assert len(rows) == sum(1 for _ in read_rows(REPO / "data" / "events.csv"))
        keys = [(row["start_date"] is None, row["start_date"] or "", row["event_id"]) for row in rows]
        assert keys == sorted(keys), path


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_page_opens_sorted_by_its_order_column(site, view):
    rows = site(f"{DB}/{view}.json?_shape=array&_size=max").json()
    orders = [row["view_order"] for row in rows]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
