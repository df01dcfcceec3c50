"""Table pages and the index page laid out for a reader at 1366 px, from the metadata the build derives.

A table page shows each table's label (title, name, figure as printed), dates and verdict first, and
its id and helper columns (sha256, the build's link columns) last; the column order in SQLite stays
the schema's. Headers show the schema's field titles. With every row on one page, undated rows come
last when sorting by a date (SQLite sorts NULL first; Datasette's paging relies on that order, so
across several pages they stay first). The index page lists the tables in the order the metadata
gives (events, figures, agreements and actors first), then the views and ready-made queries.
"""

from __future__ import annotations

import json
import weakref

from datasette import hookimpl

PLUGIN = "datasette-site"
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def site_layout(datasette) -> dict:
    """The `layout` the build writes into the metadata, parsed once per Datasette instance (each
    plugin file is loaded on its own, so each keeps its copy)."""
    if datasette not in _layouts:
        _layouts[datasette] = json.loads((datasette.plugin_config(PLUGIN) or {}).get("layout") or "{}")
    return _layouts[datasette]


def column_order(names: list[str], layout: dict) -> list[int]:
    """Indexes of `names` in reading order: lead columns, the rest as in SQLite, then the last ones."""
    first = [names.index(n) for n in layout.get("lead", []) if n in names]
    final = [names.index(n) for n in layout.get("last", []) if n in names]
    return first + [i for i in range(len(names)) if i not in first and i not in final] + final


def arranged(display_columns: list[dict], display_rows: list, layout: dict, sort: str | None, whole_table_shown: bool) -> dict:
    """Datasette's columns and rows (lists of cells) in reading order, for _table.html.

    Rows with no value in the date column sorted on move after the dated ones, but only when every
    row is on this page: across pages, Datasette's keyset paging relies on SQLite's order.
    """
    order = column_order([c["name"] for c in display_columns], layout)
    columns = [display_columns[i] for i in order]
    rows = [[row.cells[i] for i in order] for row in display_rows]
    names = [c["name"] for c in columns]
    if sort in layout.get("dates", []) and sort in names and whole_table_shown:
        at = names.index(sort)
        rows = [r for r in rows if r[at]["raw"] is not None] + [r for r in rows if r[at]["raw"] is None]
    return {"columns": columns, "rows": rows}


async def _table_guide(datasette, database: str, config: dict) -> list[dict]:
    """Tables, then views, then canned queries, each with its title, description and row count."""
    db = datasette.get_database(database)
    counts = await db.table_counts(limit=100)
    tables = datasette.metadata("tables", database=database) or {}
    queries = datasette.metadata("queries", database=database) or {}
    guide = []
    for kind, names, url in (
        ("table", config.get("table_order", []), datasette.urls.table),
        ("view", config.get("view_order", []), datasette.urls.table),
        ("query", config.get("query_order", []), datasette.urls.query),
    ):
        source = queries if kind == "query" else tables
        for name in names:
            meta = source.get(name, {})
            guide.append(
                {
                    "kind": kind,
                    "name": name,
                    "url": url(database, name),
                    "title": meta.get("title", name),
                    "description": meta.get("description") or "",
                    "count": counts.get(name) if kind == "table" else None,
                }
            )
    return guide


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    config = site_layout(datasette)
    if view_name == "table" and table:
        layout = config.get("tables", {}).get(table, {})
        return {
            "column_titles": layout.get("titles", {}),
            "arranged": lambda columns, rows, sort, whole: arranged(columns, rows, layout, sort, whole),
        }
    if view_name == "index":

        async def guide():
            databases = list(datasette.databases)
            name = next((d for d in databases if d != "_internal"), None)
            return {"table_guide": await _table_guide(datasette, name, config) if name else []}

        return guide
    return {}
