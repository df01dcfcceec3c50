"""Table pages and the index page laid out for a reader at 1366 px, from the metadata the build derives.

A table page shows each table's label (title, name, figure as printed), dates and verdict first, and
its id and helper columns (sha256, the build's link columns) last; the column order in SQLite stays
the schema's. Headers show the schema's field titles. With every row on one page, undated rows come
last when sorting by a date (SQLite sorts NULL first; Datasette's paging relies on that order, so
across several pages they stay first). The index page lists the tables in the order the metadata
gives (events, figures, agreements and actors first), then the views and ready-made queries.
"""

from __future__ import annotations

from datasette import hookimpl

PLUGIN = "datasette-site"


def column_order(display_columns: list[dict], layout: dict) -> list[int]:
    """Indexes of `display_columns` in reading order: lead columns, the rest as in SQLite, then the last ones."""
    names = [c["name"] for c in display_columns]
    lead, last = layout.get("lead", []), layout.get("last", [])
    first = [names.index(n) for n in lead if n in names]
    final = [names.index(n) for n in last if n in names]
    return first + [i for i in range(len(names)) if i not in first and i not in final] + final


def undated_last(display_rows: list, sort: str | None, layout: dict, whole_table_shown: bool) -> list:
    """Rows with no value in the date column sorted on, moved after the dated ones (only when all rows are shown)."""
    if not sort or sort not in layout.get("dates", []) or not whole_table_shown:
        return display_rows
    dated = [row for row in display_rows if row[sort] is not None]
    return dated + [row for row in display_rows if row[sort] is None]


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
    config = datasette.plugin_config(PLUGIN) or {}
    if view_name == "table" and table:
        layout = config.get("tables", {}).get(table, {})
        return {
            "column_titles": layout.get("titles", {}),
            "column_order": lambda display_columns: column_order(display_columns, layout),
            "undated_last": lambda rows, sort, whole: undated_last(rows, sort, layout, whole),
        }
    if view_name == "index":

        async def guide():
            databases = list(datasette.databases)
            name = next((d for d in databases if d != "_internal"), None)
            return {"table_guide": await _table_guide(datasette, name, config) if name else [], "guide_database": name}

        return guide
    return {}
