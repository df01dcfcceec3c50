"""Bound what one SQL query can cost, so pages stay responsive whatever SQL is sent.

Datasette's time limit is SQLite's progress handler, which runs between virtual-machine
instructions. A recursive CTE, however large the rows it materialises for a sort or a DISTINCT,
is interrupted on time (measured: 1.00-1.01 s for a 1 s limit). But one instruction that builds a
huge value runs to its end: `randomblob(900000000)` took 2.4 s and `printf('%.*c', 900000000, 'x')`
7.3 s, each holding 900 MB. So every connection caps values at 1 MB (such an instruction fails at
once with "string or blob too big") and refuses printf() and its alias format(): SQLite 3.40's
`%c` with a precision goes on repeating the character after the value is too big. No page, view
or canned query of this site uses them or needs a value near 1 MB.

Datasette also runs every query, a page's and anyone's own SQL alike, on one pool of threads in
the order they arrive: with six runaway queries in flight (each cut off at 1 s), each of a table
page's queries queued behind them and the page took about 25 s. Where arbitrary SQL is allowed
(`serve.py --allow-sql`), a request with its own SQL (`?sql=`, `?_where=`) therefore waits for
its turn, one at a time, before Datasette sees it, so the other SQL threads stay free for pages;
when a few already wait it is answered 503 at once.
"""

import asyncio
import sqlite3
import sys
from urllib.parse import parse_qs

from datasette import Response, hookimpl

MAX_VALUE_BYTES = 1_000_000
MAX_SQL_CHARS = 100_000  # a query typed into a URL; the canned queries are under 2,000
REFUSED_FUNCTIONS = {"printf", "format"}
OWN_SQL_AT_ONCE = 1  # of num_sql_threads (3): the others are left to pages
OWN_SQL_WAITING = 4  # beyond this, answer 503 rather than hold the request for seconds


def refuse_slow_functions(action, name, function, database, source):
    if action == sqlite3.SQLITE_FUNCTION and function.lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_CHARS)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)  # Datasette refuses ATTACH; SQLite now refuses it too
    conn.set_authorizer(refuse_slow_functions)


def runs_own_sql(scope) -> bool:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return "sql" in query or "_where" in query


async def answer_busy(datasette, scope, send) -> None:
    message = f"{OWN_SQL_WAITING} SQL queries are already waiting: try again in a few seconds"
    target = scope.get("raw_path", b"")[:300].decode("latin-1").encode("unicode_escape").decode("ascii")
    sys.stderr.write(f"error 503 {scope['method']} {target}: {message}\n")
    headers = {"Retry-After": "5"}
    if scope["path"].endswith(".json"):
        response = Response.json({"ok": False, "error": message, "status": 503, "title": "Busy"}, status=503, headers=headers)
    else:
        html = await datasette.render_template("error.html", {"title": "Busy", "error": message, "status": 503})
        response = Response.html(html, status=503, headers=headers)
    await response.asgi_send(send)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        turn = asyncio.Semaphore(OWN_SQL_AT_ONCE)
        waiting = 0

        async def one_at_a_time(scope, receive, send):
            nonlocal waiting
            # Where arbitrary SQL is off, Datasette refuses it at once (403): nothing to queue.
            if scope["type"] != "http" or not datasette.setting("default_allow_sql") or not runs_own_sql(scope):
                return await app(scope, receive, send)
            if waiting >= OWN_SQL_WAITING:
                return await answer_busy(datasette, scope, send)
            waiting += 1
            try:
                await turn.acquire()
            finally:
                waiting -= 1
            try:
                await app(scope, receive, send)
            finally:
                turn.release()

        return one_at_a_time

    return wrap
