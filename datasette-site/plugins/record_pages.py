"""Row pages that read like a record: heading, verdict and its reason, sources, fields, related rows.

Datasette's own row page is a one-row table with the verdict off-screen and counts of related rows.
This read-only plugin gives `row.html` a `record`: the row's title (or name, or figure as printed),
its verdict with a one-line reason taken from the citations, what each source says, every field
with its title and description (from the metadata the build derives from the schemas), and the
related rows themselves: an event's actors and figures, an actor's events and aliases, a source's
records. All queries are lookups by primary or foreign key (indexed), run in one call to SQLite.
"""

from __future__ import annotations

import json
import sqlite3
import weakref

from datasette import hookimpl
from datasette.utils import urlsafe_components

PLUGIN = "datasette-site"
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
CITATIONS = """
SELECT c.citation_id, c.relation, c.note, c.source_locator, s.source_id, s.publisher, s.title, s.url, s.published_date
FROM citations c JOIN sources s ON s.source_id = c.source_id
WHERE c.record_table = :table AND c.record_id = :id
ORDER BY CASE c.relation WHEN 'reports' THEN 0 WHEN 'contradicts' THEN 1 WHEN 'corrects' THEN 2
         WHEN 'corroborates' THEN 3 ELSE 4 END, s.publisher, s.source_id
"""
# What each verdict's one-line reason names: (relation, wording), in order; see scripts/verification.py.
REASONS = {
    "contradicted": (("contradicts", "Contradicted by"), ("corrects", "corrected by")),
    "partly_corroborated": (("corroborates", "Corroborated by"), ("corrects", "but corrected by")),
    "corroborated": (("corroborates", "Corroborated by"),),
    "uncorroborated": (("reports", "Reported only by"), ("contextualises", "put in context by")),
}
# Headings of rows that have no title or name of their own: {column} is that column's label.
HEADINGS = {
    "event_actors": "{actor_id} as {role} in \u201c{event_id}\u201d",
    "agreement_parties": "{actor_id} as {role} of \u201c{agreement_id}\u201d",
    "citations": "{publisher} {relation} \u201c{record_id}\u201d",
}
# Related rows listed on each table's row page: (heading, SQL). The SQL gets the row's columns as
# parameters (and :id, its first key) and returns, in this order:
RELATED_COLUMNS = ("link_table", "link_id", "label", "detail", "verdict")  # a NULL label is looked up
RELATED = {
    "events": (
        (
            "Who took part",
            """SELECT 'actors', a.actor_id, a.name, ea.role || COALESCE(', printed as \u201c' || ea.title_in_source || '\u201d', ''), NULL
FROM event_actors ea JOIN actors a ON a.actor_id = ea.actor_id WHERE ea.event_id = :id ORDER BY ea.role, a.name""",
        ),
        (
            "Figures",
            """SELECT 'figures', figure_id, as_printed, metric, verification
FROM figures WHERE event_id = :id ORDER BY figure_id""",
        ),
    ),
    "agreements": (
        (
            "Parties",
            """SELECT 'actors', a.actor_id, a.name, ap.role, NULL
FROM agreement_parties ap JOIN actors a ON a.actor_id = ap.actor_id WHERE ap.agreement_id = :id ORDER BY ap.role, a.name""",
        ),
        (
            "Figures",
            """SELECT 'figures', figure_id, as_printed, metric, verification
FROM figures WHERE agreement_id = :id ORDER BY figure_id""",
        ),
    ),
    "actors": (
        (
            "Names as printed and other names",
            """SELECT 'sources', al.source_id, al.alias,
       al.alias_type || ', in ' || s.publisher || COALESCE(', ' || al.source_locator, ''), NULL
FROM actor_aliases al JOIN sources s ON s.source_id = al.source_id WHERE al.actor_id = :id ORDER BY al.alias""",
        ),
        (
            "Events",
            """SELECT 'events', e.event_id, e.title,
       COALESCE(e.start_date || ', ', '') || ea.role || COALESCE(', printed as \u201c' || ea.title_in_source || '\u201d', ''),
       e.verification
FROM event_actors ea JOIN events e ON e.event_id = ea.event_id WHERE ea.actor_id = :id
ORDER BY e.start_date IS NULL, e.start_date, e.event_id""",
        ),
        (
            "Agreements",
            """SELECT 'agreements', g.agreement_id, g.title, ap.role, g.verification
FROM agreement_parties ap JOIN agreements g ON g.agreement_id = ap.agreement_id WHERE ap.actor_id = :id
ORDER BY g.date, g.agreement_id""",
        ),
        (
            "Figures they give",
            """SELECT 'figures', figure_id, as_printed, metric, verification
FROM figures WHERE claimed_by_actor_id = :id ORDER BY figure_id""",
        ),
        (
            "Parts of it",
            "SELECT 'actors', actor_id, name, actor_type, NULL FROM actors WHERE parent_actor_id = :id ORDER BY name",
        ),
    ),
    "places": (
        (
            "Events there",
            """SELECT 'events', event_id, title, start_date, verification FROM events WHERE place_id = :id
ORDER BY start_date IS NULL, start_date, event_id""",
        ),
        (
            "Events about it",
            """SELECT 'events', event_id, title, start_date, verification FROM events WHERE about_place_id = :id
ORDER BY start_date IS NULL, start_date, event_id""",
        ),
    ),
    "sources": (
        (
            "Claims it reports",
            """SELECT 'events', event_id, title, 'event' || COALESCE(', ' || source_locator, ''), verification
FROM events WHERE source_id = :id
UNION ALL SELECT 'agreements', agreement_id, title, 'agreement' || COALESCE(', ' || source_locator, ''), verification
FROM agreements WHERE source_id = :id
UNION ALL SELECT 'figures', figure_id, as_printed, 'figure' || COALESCE(', ' || source_locator, ''), verification
FROM figures WHERE source_id = :id
UNION ALL SELECT 'actors', actor_id, alias, 'name as printed' || COALESCE(', ' || source_locator, ''), NULL
FROM actor_aliases WHERE source_id = :id""",
        ),
        (
            "What it says about other records",
            """SELECT record_table, record_id, NULL, relation || COALESCE(': ' || note, ''), NULL
FROM citations WHERE source_id = :id AND relation <> 'reports' ORDER BY record_table, record_id""",
        ),
    ),
    "actor_aliases": (
        (
            "Other names of the same actor",
            """SELECT 'actors', actor_id, alias, alias_type, NULL FROM actor_aliases
WHERE actor_id = :actor_id AND NOT (alias = :alias AND source_id = :source_id) ORDER BY alias""",
        ),
    ),
    "event_actors": (
        (
            "Everyone in this event",
            """SELECT 'actors', a.actor_id, a.name,
       ea.role || COALESCE(', printed as \u201c' || ea.title_in_source || '\u201d', ''), NULL
FROM event_actors ea JOIN actors a ON a.actor_id = ea.actor_id WHERE ea.event_id = :event_id ORDER BY ea.role, a.name""",
        ),
    ),
    "agreement_parties": (
        (
            "Every party to this agreement",
            """SELECT 'actors', a.actor_id, a.name, ap.role, NULL
FROM agreement_parties ap JOIN actors a ON a.actor_id = ap.actor_id WHERE ap.agreement_id = :agreement_id
ORDER BY ap.role, a.name""",
        ),
    ),
    "citations": (
        (
            "Other citations of the same record",
            """SELECT 'citations', citation_id, NULL, relation || COALESCE(': ' || note, ''), NULL FROM citations
WHERE record_table = :record_table AND record_id = :record_id AND citation_id <> :citation_id ORDER BY citation_id""",
        ),
    ),
}


def site_layout(datasette) -> dict:
    """The `layout` the build writes into the metadata, parsed once per Datasette instance (each
    plugin file is loaded on its own, so each keeps its copy)."""
    if datasette not in _layouts:
        _layouts[datasette] = json.loads((datasette.plugin_config(PLUGIN) or {}).get("layout") or "{}")
    return _layouts[datasette]


def _dicts(conn: sqlite3.Connection, sql: str, params: dict | list) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _label(conn, tables: dict, table: str, record_id) -> str | None:
    """The title, name or figure as printed of one row, by its primary key (indexed)."""
    layout = tables.get(table, {})
    keys, label = layout.get("primary_key", []), layout.get("label")
    if not label or len(keys) != 1:
        return None
    found = conn.execute(f'SELECT "{label}" FROM "{table}" WHERE "{keys[0]}" = ?', [record_id]).fetchone()
    return found[0] if found else None


def _references(conn, table: str, row: dict) -> dict[str, str]:
    """Each foreign-key column with a value -> the table it points to."""
    return {fk[3]: fk[2] for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall() if row.get(fk[3]) is not None}


def _reason(verdict: str | None, citations: list[dict]) -> list[dict]:
    """The verdict's reason as phrases, each naming its sources: "Contradicted by A, B and C"."""
    phrases = []
    for relation, wording in REASONS.get(verdict, ()):
        sources = {c["source_id"]: c for c in citations if c["relation"] == relation}
        if sources:
            phrases.append({"text": wording, "sources": list(sources.values())})
    if verdict == "uncorroborated":
        phrases.insert(0, {"text": "No other source corroborates it", "sources": []})
    return phrases


def _fields(row: dict, layout: dict, descriptions: dict, labels: dict, references: dict) -> list[dict]:
    titles = layout.get("titles", {})
    derived = set(layout.get("derived", []))
    return [
        {
            "name": name,
            "title": titles.get(name, name),
            "description": descriptions.get(name, ""),
            "value": value,
            "link_table": references.get(name),
            "link_label": labels.get(name),
        }
        for name, value in row.items()
        if name not in derived
    ]


def _related(conn, tables: dict, table: str, row: dict, first_key) -> list[dict]:
    sections = []
    for heading, sql in RELATED.get(table, ()):
        found = conn.execute(sql, {**row, "id": first_key}).fetchall()
        items = [dict(zip(RELATED_COLUMNS, values)) for values in found]
        for item in items:
            if item["label"] is None:
                item["label"] = _label(conn, tables, item["link_table"], item["link_id"]) or item["link_id"]
        if items:
            sections.append({"heading": heading, "items": items})
    return sections


def read_record(conn, config: dict, table: str, pk_values: list[str], descriptions: dict) -> dict | None:
    """Everything the row page of one row shows, or None when there is no such row."""
    tables = config.get("tables", {})
    layout = tables.get(table, {})
    keys = layout.get("primary_key") or [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5]]
    if len(keys) != len(pk_values):
        return None
    where = " AND ".join(f'"{key}" = ?' for key in keys)
    found = _dicts(conn, f'SELECT * FROM "{table}" WHERE {where}', pk_values)
    if not found:
        return None
    row = found[0]
    references = _references(conn, table, row)
    if table == "citations":  # record_table names the table record_id points to
        references["record_id"] = row["record_table"]
    labels = {column: _label(conn, tables, other, row[column]) for column, other in references.items()}
    cited = table in config.get("cited_tables", [])
    citations = _dicts(conn, CITATIONS, {"table": table, "id": pk_values[0]}) if cited else []
    verdict = row.get("verification")
    shown = {column: labels.get(column) or value for column, value in row.items()}
    if "source_id" in row:
        shown["publisher"] = conn.execute("SELECT publisher FROM sources WHERE source_id = ?", [row["source_id"]]).fetchone()[0]
    label = layout.get("label")
    heading = row[label] if label else HEADINGS.get(table, "{}").format(*pk_values, **shown)
    return {
        "heading": heading,
        "verdict": verdict,
        "reason": _reason(verdict, citations),
        "citations": citations,
        "fields": _fields(row, layout, descriptions, labels, references),
        "related": _related(conn, tables, table, row, pk_values[0]),
    }


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or request is None or table is None:
        return {}

    async def record():
        config = site_layout(datasette)
        descriptions = datasette.table_metadata(database, table).get("columns", {})
        pk_values = urlsafe_components(request.url_vars["pks"])
        db = datasette.get_database(database)
        found = await db.execute_fn(lambda conn: read_record(conn, config, table, pk_values, descriptions))
        return {"record": found}

    return record
