"""Ids, links, verdicts and code in text, rendered one way in table cells, query results and row pages.

A note names other rows by id ("see src-fmt-2026-02-12-draft-law"): each id becomes a link to its
row page. Everything else is escaped, since a cell is data and may hold markup (every value put into an
f-string below goes through escape(); Markup.format does the same but costs a few ms a page). A URL becomes a
link only when it is http: or https: (a `javascript:` URL stays text). Backticks in a column's
description become <code>. Which table an id prefix belongs to comes from the metadata the build
derives from the schemas (`plugins.datasette-site.id_tables`).
"""

from __future__ import annotations

import json
import re
import weakref
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils import tilde_encode
from jinja2 import pass_context
from markupsafe import Markup, escape

PLUGIN = "datasette-site"
SHORT_URL = 36  # characters of a URL shown in a table cell; the row page shows it whole
SHORT_HASH = 12
HREFS_KEPT = 20_000  # row links kept per site; the data has a few thousand ids at 100 times its size
VERDICTS = ("contradicted", "partly_corroborated", "corroborated", "uncorroborated")
BACKTICKS = re.compile(r"`([^`]+)`")
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def site_layout(datasette) -> dict:
    """The `layout` the build writes into the metadata, parsed once per Datasette instance (each
    plugin file is loaded on its own, so each keeps its copy)."""
    if datasette not in _layouts:
        _layouts[datasette] = json.loads((datasette.plugin_config(PLUGIN) or {}).get("layout") or "{}")
    return _layouts[datasette]


def site_config(datasette) -> dict:
    """The layout with a compiled pattern for the ids of every table (render_cell runs for every cell)."""
    config = site_layout(datasette)
    if "id_pattern" not in config:
        prefixes = "|".join(re.escape(p) for p in sorted(config.get("id_tables", {}), key=len, reverse=True))
        config["id_pattern"] = re.compile(rf"(?<![\w-])(?:{prefixes})[a-z0-9]+(?:-[a-z0-9]+)*(?![\w])") if prefixes else None
    return config


def row_href(datasette, database: str, table: str, key: str) -> str:
    """A row page's URL, kept once made: Datasette's url builder tilde-encodes character by character,
    which was half of render_cell's time on a table page (two ids a row, and the label link)."""
    hrefs = site_config(datasette).setdefault("row_hrefs", {})
    cache_key = (database, table, key)
    if cache_key not in hrefs:
        if len(hrefs) >= HREFS_KEPT:
            hrefs.clear()
        hrefs[cache_key] = datasette.urls.row(database, table, tilde_encode(key))
    return hrefs[cache_key]


def is_web_url(value) -> bool:
    # "://" first: render_cell asks this of every text cell, and most hold no URL (urlsplit is slower).
    return isinstance(value, str) and "://" in value and urlsplit(value.strip()).scheme in ("http", "https")


def url_link(url: str, short: bool = False) -> Markup:
    """A link for an http(s) URL, shortened to its host and path in table cells; anything else as text."""
    url = url.strip()
    if not is_web_url(url):
        return Markup(escape(url))
    shown = url
    if short:
        parts = urlsplit(url)
        shown = parts.netloc.removeprefix("www.") + parts.path
        shown = shown if len(shown) <= SHORT_URL else shown[: SHORT_URL - 1] + "\u2026"
    return Markup(f'<a href="{escape(url)}" title="{escape(url)}">{escape(shown)}</a>')


def linked_text(text: str, datasette, database: str) -> Markup:
    """The text escaped, with every id of a known table linked to its row page."""
    config = site_config(datasette)
    pattern, tables = config["id_pattern"], config.get("id_tables", {})
    if pattern is None:
        return Markup(escape(text))
    html, start = [], 0
    for match in pattern.finditer(text):
        found = match.group(0)
        table = next(tables[p] for p in tables if found.startswith(p))
        href = row_href(datasette, database, table, found)
        html += [escape(text[start : match.start()]), Markup(f'<a href="{escape(href)}">{escape(found)}</a>')]
        start = match.end()
    html.append(escape(text[start:]))
    return Markup("").join(html)


def rich_value(value, datasette, database: str, short: bool = False) -> Markup:
    """One cell's value as HTML: a web URL as a link, other text with its ids linked."""
    if value is None or value == "":
        return Markup("")
    if is_web_url(value):
        return url_link(value, short)
    return linked_text(str(value), datasette, database)


def inline_code(text: str | None) -> Markup:
    """Markdown backticks as <code>, the rest escaped: column descriptions are written in Markdown."""
    return Markup(BACKTICKS.sub(r"<code>\1</code>", str(escape(text or ""))))


def verdict_badge(verdict: str) -> Markup:
    return Markup(f'<span class="verdict verdict-{escape(verdict)}">{escape(verdict.replace("_", " "))}</span>')


@hookimpl
def prepare_jinja2_environment(env, datasette):
    @pass_context
    def rich(context, value, short=False):
        return rich_value(value, datasette, context.get("database"), short)

    env.filters["rich"] = rich
    env.filters["inline_code"] = inline_code
    env.filters["verdict_badge"] = verdict_badge
    env.tests["web_url"] = is_web_url


def _row_link(row, value: str, layout: dict, datasette, database: str, table: str) -> Markup | None:
    """A table's label cell (its title or name) links to the row page, since the id column comes last."""
    keys = layout.get("primary_key", [])
    if len(keys) != 1 or keys[0] not in row.keys():
        return None
    href = row_href(datasette, database, table, str(row[keys[0]]))
    return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if not isinstance(value, str) or value == "":
        return None  # numbers, empty cells and Datasette's labelled foreign keys render as they do
    config = site_config(datasette)
    layout = config.get("tables", {}).get(table or "", {})
    if column == "verification" and value in VERDICTS:
        return verdict_badge(value)
    if column == "sha256":
        return Markup(f'<span title="{escape(value)}">{escape(value[:SHORT_HASH])}\u2026</span>')
    if table and column == layout.get("label"):
        return _row_link(row, value, layout, datasette, database, table)
    if is_web_url(value):
        return url_link(value, short=True)
    if config["id_pattern"] is not None and config["id_pattern"].search(value):
        return linked_text(value, datasette, database)
    return None
