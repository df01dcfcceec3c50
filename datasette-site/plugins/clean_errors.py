"""Every error gets its status, a short message and one line in the log.

Datasette 0.65.5 prints a `rich` traceback with every local variable for each error it answers,
404s included: 17-90 KB of log and 0.2-0.7 s of the event loop per error, which stalls every
other request. Where no exception is active (a path no route matches, such as //etc/passwd)
that printing fails and the answer is a 500. It answers a bad sort column, a malformed `_next`,
`_facet`, `_through` or `_timelimit`, and a POST to a table with a 500 too, and percent-encoded
paths with a redirect.

So this plugin refuses, before Datasette routes the request, path tricks (404), methods other
than GET and HEAD (405), malformed parameters and ready-made-query parameters that do not fit
the schema field they are named after (400); and it answers every error with Datasette's own
error page or JSON, rendered without the traceback. `SERVE_DEBUG=1` adds the plain traceback to
the log.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from pathlib import Path
from urllib.parse import unquote_to_bytes

from datasette import Response, hookimpl
from datasette.utils import add_cors_headers, derive_named_parameters, tilde_decode, urlsafe_components
from datasette.utils.asgi import Base400, Request
from datasette.views.base import DatasetteError
from markupsafe import Markup

DEBUG = os.environ.get("SERVE_DEBUG") == "1"
MAX_PATH_BYTES = 1000  # the longest page URL here (a row of a compound key) is under 200
MAX_PARAMETER_CHARS = 200  # ids, dates and search words are short; longer values only cost work
# Datasette's routes for a table, view or canned query (/database/name.format) and for a row (/database/table/key)
NAMED_PAGE = re.compile(r"^/(?P<database>[^/.]+)/(?P<name>[^/.]+)(\.\w+)?$")
ROW_PAGE = re.compile(r"^/(?P<database>[^/.]+)/(?P<name>[^/]+?)/(?P<pks>[^/]+?)(\.\w+)?$")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}  # no page of this site takes a POST: it has no login and no writable query
REPO = Path(__file__).resolve().parents[2]


def path_trick(raw_path: bytes) -> str | None:
    """Why a path cannot name a page of this site (dot segments, empty segments, encoded slashes…), or None."""
    if len(raw_path) > MAX_PATH_BYTES:
        return "path too long"
    if re.search(rb"%(2f|5c)", raw_path, re.IGNORECASE):
        return "encoded slash in the path"
    decoded = unquote_to_bytes(raw_path)
    if CONTROL_CHARACTER.search(decoded.decode("latin-1")) or b"\\" in decoded:
        return "control character or backslash in the path"
    segments = decoded.split(b"/")[1:]
    if b"" in segments[:-1] or any(segment in (b".", b"..") for segment in segments):
        return "empty or dot segment in the path"
    return None


def _facet_column(key: str, value: str) -> str | None:
    """The column a facet option names; ValueError when it is neither a name nor a JSON object naming one."""
    if not value.startswith("{"):
        return value
    try:
        config = json.loads(value)
    except ValueError:
        config = None
    column = (config.get("column") or config.get("simple")) if isinstance(config, dict) else None
    if not isinstance(column, str):
        raise ValueError(f'{key} must be a column name or a JSON object such as {{"simple": "column"}}')
    return column


def _through_error(value: str) -> str | None:
    try:
        through = json.loads(value)
    except ValueError:
        through = None
    if not isinstance(through, dict) or not all(isinstance(through.get(k), str) for k in ("table", "column")):
        return '_through must be a JSON object such as {"table": "...", "column": "...", "value": "..."}'
    if "value" not in through:
        return "_through needs a value"
    return None


def parameter_error(request: Request) -> str | None:
    """Why Datasette's own query-string options cannot be used as given, or None (checks that need no query)."""
    for key in request.args:
        for value in request.args.getlist(key):
            if CONTROL_CHARACTER.search(value):
                return f"{key} contains a control character"
            if key == "_through" and (message := _through_error(value)):
                return message
            if key.startswith("_facet"):
                try:
                    _facet_column(key, value)
                except ValueError as error:
                    return str(error)
    if not request.args.get("_timelimit", "1").isdigit():  # Datasette's int() would fail with a 500
        return "_timelimit must be a number of milliseconds"
    if len(request.args.get("_next", "")) > MAX_PARAMETER_CHARS:
        return "_next must be the value from a page's next link"
    return None


async def table_page_error(db, request: Request, name: str, is_view: bool) -> str | None:
    """Facets must name a column; _next must be what Datasette's next link gives (Datasette answers others with a 500)."""
    facets = [(key, value) for key in request.args if key.startswith("_facet") for value in request.args.getlist(key)]
    if facets:
        columns = await db.table_columns(name)
        for key, value in facets:
            if (column := _facet_column(key, value)) not in columns:
                return f"{key}: {name} has no column {column!r}"
    next_token = request.args.get("_next")
    if next_token is None:
        return None
    if is_view:  # a view pages by row offset
        return None if next_token.isdigit() else "_next must be the value from a page's next link (a row offset)"
    keys = len(await db.primary_keys(name)) or 1  # a table without a primary key pages by rowid
    if len(urlsafe_components(next_token)) not in (keys, keys + 1):  # the key, after the sort value when sorted
        return "_next must be the value from a page's next link"
    return None


def _schema_fields() -> dict[str, dict]:
    """Each field of the package's table schemas by name: canned-query parameters named after one take its format."""
    fields: dict[str, dict] = {}
    descriptor = REPO / "datapackage.json"
    if not descriptor.is_file():
        return fields
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        schema = json.loads((REPO / resource["schema"]).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            fields.setdefault(field["name"], field)
    return fields


SCHEMA_FIELDS = _schema_fields()


def canned_value_error(name: str, value: str) -> str | None:
    """A parameter named after a schema field (actor_id), or ending in one (from_date), must fit that field."""
    if value == "":
        return None  # an empty parameter means "not given": the query page shows its form
    if len(value) > MAX_PARAMETER_CHARS:
        return f"{name} is longer than {MAX_PARAMETER_CHARS} characters"
    field = SCHEMA_FIELDS.get(name) or SCHEMA_FIELDS.get(name.partition("_")[2])
    if field is None:
        return None
    pattern = field.get("constraints", {}).get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        return f"{name} must match {pattern}"
    if field["type"] == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{name} must be a date as YYYY-MM-DD, or empty"
    return None


async def canned_query_error(datasette, request: Request, database: str, query: dict) -> str | None:
    names = list(dict.fromkeys(await derive_named_parameters(datasette.get_database(database), query["sql"])))
    unknown = sorted(key for key in request.args if not key.startswith("_") and key not in names)
    if unknown:
        return f"unknown parameter {unknown[0]}: this query takes {', '.join(names) or 'no parameters'}"
    for key in names:
        if message := canned_value_error(key, request.args.get(key, "")):
            return message
    return None


_NAMES: dict = {}


async def table_and_view_names(db) -> tuple[set[str], set[str]]:
    """An immutable database's tables and views never change: look them up once, not on every page."""
    if db.is_mutable or db not in _NAMES:
        _NAMES[db] = set(await db.table_names()), set(await db.view_names())
    return _NAMES[db]


async def page_refusal(datasette, request: Request) -> tuple[int, str] | None:
    """Checks that need to know what the path names: a table, a view, a canned query or a row."""
    page = NAMED_PAGE.match(request.path) or ROW_PAGE.match(request.path)
    if not page or page["database"] not in datasette.databases:
        return None  # Datasette answers these itself, with a 404 where nothing matches
    database, name = page["database"], tilde_decode(page["name"])
    db = datasette.get_database(database)
    tables, views = await table_and_view_names(db)
    if page.re is ROW_PAGE:
        return None if name in tables else (404, "Table not found")
    if query := await datasette.get_canned_query(database, name, None):  # Datasette, too, looks for a query first
        message = await canned_query_error(datasette, request, database, query)
    elif name in tables or name in views:
        message = await table_page_error(db, request, name, is_view=name in views)
    else:
        message = None
    return (400, message) if message else None


async def refusal(datasette, scope, receive) -> tuple[int, str] | None:
    """The status and message for a request Datasette must not see, or None to let it through."""
    if scope["method"] not in READ_METHODS:  # Datasette answers a POST to a table or a read-only query with a 500
        return 405, "This site is read-only: it answers GET and HEAD"
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    if reason := path_trick(raw_path.partition(b"?")[0]):
        return 404, f"Not found ({reason})"
    request = Request(scope, receive)
    if message := parameter_error(request):
        return 400, message
    return await page_refusal(datasette, request)


async def error_response(datasette, request: Request, status: int, message, title: str | None = None, info=None):
    """Datasette's own error page or JSON (as its default handler renders them), without the traceback."""
    info = dict(info or {}, ok=False, error=message, status=status, title=title)
    headers = {"Allow": ", ".join(sorted(READ_METHODS))} if status == 405 else {}
    if datasette.cors:
        add_cors_headers(headers)
    if request.path.endswith(".json"):
        return Response.json(info, status=status, headers=headers)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    context = dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
    return Response.html(await template.render_async(context), status=status, headers=headers)


def log_error(request: Request, status: int, what: str, exception: BaseException | None = None) -> None:
    """One line per error, with the request as sent (control characters escaped, so no line can be forged)."""
    target = request.scope.get("raw_path") or request.path.encode("utf-8")
    if request.query_string:
        target += b"?" + request.query_string.encode("latin-1")
    target = target[:300].decode("latin-1").encode("unicode_escape").decode("ascii")
    what = " ".join(str(what).split())[:300].encode("unicode_escape").decode("ascii")
    sys.stderr.write(f"error {status} {request.method} {target}: {what}\n")
    if DEBUG and exception is not None:
        traceback.print_exception(exception)
    sys.stderr.flush()


def describe(exception: BaseException) -> tuple[int, str, str | None, dict]:
    """Status, message, title and extra JSON fields for an exception a view raised."""
    if isinstance(exception, Base400):
        message = str(exception.args[0]) if exception.args else ""
        return exception.status, "Not found" if message in ("", "404") else message, None, {}
    if isinstance(exception, DatasetteError):
        # Datasette 0.65.5 leaves DatasetteError's default status, 500, only on requests it cannot
        # answer as asked (an unknown sort column, _sort with _sort_desc, a _through with no foreign key).
        status = 400 if exception.status == 500 else exception.status
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return status, message, exception.title, exception.error_dict
    return 500, "The server could not answer this request.", None, {}


@hookimpl(wrapper=True)
def handle_exception(datasette, request, exception):
    # The other implementations (Datasette's default) return coroutines that have not run yet:
    # answering in their place keeps their traceback printing from ever running.
    yield
    status, message, title, info = describe(exception)
    if status == 500:  # the page keeps the cause to itself; the log names it
        shown = str(exception)
    else:
        shown = Markup(message).striptags() if isinstance(message, Markup) else message
    log_error(request, status, f"{type(exception).__name__}: {title + ': ' if title else ''}{shown}", exception)

    async def answer():
        return await error_response(datasette, request, status, message, title, info)

    return [answer]


# Datasette's message for a refused permission is the permission's name alone.
REFUSED_PERMISSIONS = {
    "execute-sql": "This server runs no SQL of your own: use the tables, facets, search and ready-made queries (execute-sql)"
}


@hookimpl(tryfirst=True)
def forbidden(datasette, request, message):
    """A refused permission (SQL of one's own): the same page or JSON as every other error, and one log line."""
    message = REFUSED_PERMISSIONS.get(message, message)
    log_error(request, 403, message)

    async def answer():
        return await error_response(datasette, request, 403, message, "Forbidden")

    return answer


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def checked(scope, receive, send):
            if scope["type"] == "http" and (refused := await refusal(datasette, scope, receive)):
                status, message = refused
                request = Request(scope, receive)
                log_error(request, status, message)
                response = await error_response(datasette, request, status, message)
                await response.asgi_send(send)
                return
            await app(scope, receive, send)

        return checked

    return wrap
