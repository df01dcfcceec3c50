"""A public server as `make serve` runs it, walked with hostile URLs: clean statuses, one log line each, and it goes on."""

from __future__ import annotations

import asyncio
import collections
import http.client
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import h11
import httpx
import pytest

from serve import background_server, in_process

# One worker starts the servers of the whole module (`make test` runs pytest with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("hostile-urls")

DB = "/cambodia-china-anti-fraud"
RUNAWAY = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


def sql(query: str) -> str:
    return f"{DB}.json?sql={quote(query)}"


# (path exactly as sent, status, words the error page shows)
HOSTILE = [
    ("/../../etc/passwd", 404, "Not found"),
    ("//etc/passwd", 404, "Not found"),
    ("/%2e%2e/", 404, "Not found"),
    ("/%2e%2e/%2e%2e/etc/passwd", 404, "Not found"),
    ("/..%2f..%2fetc%2fpasswd", 404, "Not found"),
    (f"{DB}%2fevents", 404, "Not found"),
    (f"{DB}/events%2F..%2F..%2F", 404, "Not found"),
    ("//example.com/", 404, "Not found"),
    ("/%5c%5cexample.com", 404, "Not found"),
    ("/\\example.com", 404, "Not found"),
    ("/%00", 404, "Not found"),
    (f"{DB}/events%00", 404, "Not found"),
    (f"{DB}/events%0d%0aerror%20200%20GET%20/forged", 404, "Not found"),
    (f"{DB}/events?_search=x%0d%0aerror%20200%20GET%20/forged", 400, "_search contains a control character"),
    ("/" + "a" * 5000, 404, "path too long"),
    (f"{DB}/" + "b" * 5000, 404, "path too long"),
    ("/no_such_database", 404, "Database not found"),
    (f"{DB}/no_such_table", 404, "Table not found"),
    (f"{DB}/no_such_table/some-row", 404, "Table not found"),
    (f"{DB}/events/ev-no-such-row", 404, "Record not found"),
    (f"{DB}/events/ev-operation-thunder-2025/extra", 404, "Not found"),
    (f"{DB}/events?_sort=no_such_column", 400, "Cannot sort table by no_such_column"),
    (f"{DB}/events?_sort_desc=no_such_column", 400, "Cannot sort table by no_such_column"),
    (f"{DB}/events?_sort=rowid", 400, "Cannot sort table by rowid"),
    (f"{DB}/events?_sort=title&_sort_desc=title", 400, "Cannot use _sort and _sort_desc at the same time"),
    (f"{DB}/events?_size=-1", 400, "_size must be a positive integer"),
    (f"{DB}/events?_size=many", 400, "_size must be a positive integer"),
    (f"{DB}/events?_size=100000", 400, "_size must be &lt;= 1000"),
    (f"{DB}/events?_next=a,b,c", 400, "_next must be the value from a page"),
    (f"{DB}/timeline?_next=a,b,c", 400, "_next must be the value from a page"),
    (f"{DB}/events?_next=%00", 400, "_next contains a control character"),
    (f"{DB}/events?_next=" + "x" * 500, 400, "_next must be the value from a page"),
    (f"{DB}/events?_facet=no_such_column", 400, "events has no column"),
    (f"{DB}/events?_facet_array=no_such_column", 400, "events has no column"),
    (f"{DB}/events?_facet=%7B", 400, "_facet must be a column name or a JSON object"),
    (f"{DB}/events?_facet=%7B%22a%22:1%7D", 400, "_facet must be a column name or a JSON object"),
    (f"{DB}/events?_through=x", 400, "_through must be a JSON object"),
    (f"{DB}/events?_timelimit=soon", 400, "_timelimit must be a number of milliseconds"),
    (f"{DB}/actor_dossier?name_or_alias=%00", 400, "name_or_alias contains a control character"),
    (f"{DB}/actor_dossier?actorid=Hun+Sen", 400, "unknown parameter actorid: this query takes name_or_alias<"),
    (f"{DB}/figures?figure_id=fig-x&_sort=%00", 400, "_sort contains a control character"),
    (f"{DB}/timeline_between?from_date=yesterday&to_date=", 400, "from_date must be a date as YYYY-MM-DD"),
    (sql("SELECT 1"), 403, "runs no SQL of your own"),
    (sql("DELETE FROM events"), 400, "Statement must be a SELECT"),
    (sql("ATTACH DATABASE '/tmp/x.db' AS x"), 400, "Statement must be a SELECT"),
    (sql("PRAGMA table_info(events)"), 400, "Statement must be a SELECT"),
    (sql("SELECT load_extension('/tmp/x')"), 403, "runs no SQL of your own"),
    (sql(RUNAWAY), 403, "runs no SQL of your own"),
    (f"{DB}/events?_where=1", 403, "_where= is not allowed"),
]
# The site is read-only: Datasette answered these with a 500.
WRONG_METHODS = [("POST", f"{DB}/events"), ("POST", f"{DB}/actor_dossier"), ("PUT", f"{DB}/events"), ("DELETE", f"{DB}/events")]
NORMAL = [
    "/",
    f"{DB}/events",
    f"{DB}/events/ev-operation-thunder-2025",
    f"{DB}/actor_dossier?name_or_alias=Hun+Sen",
    f"{DB}/actor_dossier?name_or_alias={quote(chr(39) + ' OR 1=1 --')}",  # a bound parameter: finds nobody, runs nothing
    f"{DB}/figures.json",
]


def get_as_sent(base: str, path: str, method: str = "GET") -> tuple[int, str]:
    """Send `path` byte for byte: http.client, unlike httpx, does not resolve dot segments or re-encode."""
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=30)
    try:
        connection.request(method, path, body=b"name_or_alias=Hun+Sen" if method != "GET" else None)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def walked(built_site, tmp_path_factory):
    """Every hostile URL's answer, the normal pages' statuses afterwards, and the server's log."""
    log = tmp_path_factory.mktemp("log") / "server.log"
    with background_server(built_site, log=log) as base:
        answers = {path: get_as_sent(base, path) for path, _, _ in HOSTILE}
        answers |= {(method, path): get_as_sent(base, path, method) for method, path in WRONG_METHODS}
        after = {path: get_as_sent(base, path)[0] for path in NORMAL}
    return answers, after, log.read_text(encoding="utf-8")


def test_each_hostile_url_gets_a_404_400_or_403(walked):
    answers, _, _ = walked
    assert {path: answers[path][0] for path, _, _ in HOSTILE} == {path: status for path, status, _ in HOSTILE}


def test_a_post_put_or_delete_gets_a_405(walked):
    answers, _, _ = walked
    assert {request: answers[request][0] for request in WRONG_METHODS} == {request: 405 for request in WRONG_METHODS}
    assert "This site is read-only" in answers[WRONG_METHODS[0]][1]


def test_each_error_page_says_what_is_wrong(walked):
    answers, _, _ = walked
    assert [path for path, _, words in HOSTILE if words not in answers[path][1]] == []


def test_the_server_answers_normal_pages_after_the_hostile_ones(walked):
    _, after, _ = walked
    assert after == {path: 200 for path in NORMAL}


def test_the_log_holds_one_line_per_error_and_no_traceback(walked):
    _, _, log = walked
    assert "Traceback" not in log and "╭" not in log  # neither Python's nor rich's
    assert len([line for line in log.splitlines() if line.startswith("error ")]) == len(HOSTILE) + len(WRONG_METHODS)
    assert "error 404 GET /../../etc/passwd: Not found" in log


def test_a_log_line_cannot_be_forged_with_an_encoded_line_break(walked):
    _, _, log = walked
    assert not any(line.startswith("error 200") for line in log.splitlines())
    assert "error 404 GET /cambodia-china-anti-fraud/events%0d%0aerror%20200%20GET%20/forged: Not found" in log


def test_with_serve_debug_the_log_holds_the_traceback(built_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SERVE_DEBUG", "1")
    log = tmp_path / "server.log"
    with background_server(built_site, log=log) as base:
        assert get_as_sent(base, f"{DB}/events?_sort=no_such_column")[0] == 400
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")


async def status_of_whole_answer(base: str, path: str) -> int:
    """GET `path` on a connection of its own; the answer's status once h11 has read it whole, else 0 (no answer, not
    HTTP, or cut short). httpx spent 6 CPU-seconds on 400 such answers, more than the server took to make them: h11
    (the HTTP parser under httpx) on a plain socket spends 0.2."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    client = h11.Connection(h11.CLIENT)
    reader, writer = await asyncio.open_connection(host, port)
    try:
        request = h11.Request(method="GET", target=path, headers=[("Host", f"{host}:{port}"), ("Connection", "close")])
        writer.write(client.send(request) + client.send(h11.EndOfMessage()))
        client.receive_data(await asyncio.wait_for(reader.read(), timeout=120))
        client.receive_data(b"")  # the server closed the connection: the answer must be whole by now
    finally:
        writer.close()
    status = 0
    try:
        while not isinstance(event := client.next_event(), h11.EndOfMessage):
            if isinstance(event, h11.Response):
                status = event.status_code
            elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                return 0
    except h11.RemoteProtocolError:
        return 0
    return status


def test_four_hundred_concurrent_requests_are_all_answered(built_site):
    async def fetch_all(base: str) -> collections.Counter:
        paths = [NORMAL[i % len(NORMAL)] for i in range(400)]
        return collections.Counter(await asyncio.gather(*(status_of_whole_answer(base, f"/{p.lstrip('/')}") for p in paths)))

    with background_server(built_site) as base:
        assert asyncio.run(fetch_all(base)) == {200: 400}


# Locally (`make serve ALLOW_SQL=1`) anyone may run a SELECT; nothing else, and nothing without bounds.
@pytest.fixture(scope="module")
def local_site(built_site):
    datasette = in_process(built_site, allow_sql=True)

    def run(query: str) -> tuple[int, str]:
        async def fetch():
            return await datasette.client.get(sql(query))

        response = asyncio.run(fetch())
        return response.status_code, response.json()["error"] or ""

    return run


@pytest.mark.parametrize(
    "query,message",
    [
        ("DELETE FROM events", "Statement must be a SELECT"),
        ("INSERT INTO events (event_id) VALUES ('ev-x')", "Statement must be a SELECT"),
        ("UPDATE events SET title = 'x'", "Statement must be a SELECT"),
        ("DROP TABLE events", "Statement must be a SELECT"),
        ("ATTACH DATABASE '/tmp/x.db' AS x", "Statement must be a SELECT"),
        ("PRAGMA table_info(events)", "Statement must be a SELECT"),
        ("SELECT load_extension('/tmp/x')", "not authorized"),
        ("SELECT length(randomblob(100000000))", "string or blob too big"),
        ("SELECT length(printf('%.*c', 90000000, 'x'))", "not authorized"),
        (RUNAWAY, "SQL query took too long"),
        (  # materialises rows for a sort: still interrupted on time
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 100000000) SELECT x FROM n ORDER BY random()",
            "SQL query took too long",
        ),
    ],
)
def test_locally_sql_is_read_only_and_bounded(local_site, query, message):
    status, error = local_site(query)
    assert (status, message in error) == (400, True)


def test_locally_a_plain_select_still_answers(local_site):
    assert local_site("SELECT count(*) FROM events") == (200, "")


def test_locally_own_sql_runs_one_at_a_time_and_a_crowd_is_turned_away(built_site, tmp_path):
    async def crowd(base: str) -> tuple[collections.Counter, int]:
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=20)) as client:
            runaways = [asyncio.create_task(client.get(sql(RUNAWAY))) for _ in range(8)]
            await asyncio.sleep(0.3)
            page = (await client.get(f"{DB}/events")).status_code
            statuses = collections.Counter(response.status_code for response in await asyncio.gather(*runaways))
        return statuses, page

    log = tmp_path / "server.log"
    with background_server(built_site, allow_sql=True, log=log) as base:
        statuses, page = asyncio.run(crowd(base))
    assert page == 200
    assert set(statuses) == {400, 503} and statuses[400] >= 1  # cut off by the time limit, or turned away at once
    assert "error 503 GET" in log.read_text(encoding="utf-8")


def test_the_served_file_is_never_opened_for_writing(built_site):
    datasette = in_process(built_site)
    assert [(name, db.is_mutable) for name, db in datasette.databases.items() if name != "_internal"] == [(Path(DB).name, False)]


def test_a_sql_view_refuses_a_next_that_is_not_a_row_offset(built_site, tmp_path):
    """The build writes its views as tables, but a SQL view someone adds pages by offset, and Datasette answers 500
    to any other _next: the server refuses it with a 400 first."""
    for name in ("cambodia-china-anti-fraud.db", "metadata.json"):
        shutil.copy(built_site / name, tmp_path / name)
    with sqlite3.connect(tmp_path / "cambodia-china-anti-fraud.db") as connection:
        connection.execute("CREATE VIEW recent_events AS SELECT event_id, title FROM events")
    datasette = in_process(tmp_path)

    async def get(path: str):
        return await datasette.client.get(path)

    refused = asyncio.run(get(f"{DB}/recent_events?_next=abc"))
    assert refused.status_code == 400 and "row offset" in refused.text
    assert asyncio.run(get(f"{DB}/recent_events.json?_size=5&_next=5")).status_code == 200


@pytest.mark.parametrize("name", ["events", "event_actors", "timeline", "citations"])
def test_following_next_links_still_reaches_every_row(built_site, name):
    """The checks on _next refuse only what Datasette's own next links never hold: sorted, compound-key and view pages."""
    datasette = in_process(built_site)

    async def walk() -> tuple[int, int]:
        first = (await datasette.client.get(f"{DB}/{name}.json?_size=7")).json()
        rows, next_url = len(first["rows"]), first["next_url"]
        while next_url:
            page = (await datasette.client.get(next_url.replace("http://localhost", ""))).json()
            rows, next_url = rows + len(page["rows"]), page["next_url"]
        return rows, first["filtered_table_rows_count"]

    rows, total = asyncio.run(walk())
    assert rows == total > 7
