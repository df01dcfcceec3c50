"""Show each claim's citations, with its sources' links and notes, on its row page.

Datasette's own row page only links to the citations table; a reader checking a claim wants
what each source says, and where to read it, on the page itself. Read-only: one SELECT.
"""

from datasette import hookimpl
from datasette.utils import urlsafe_components

CITED_TABLES = ("events", "figures", "agreements", "actors", "places")
SQL = """
SELECT c.relation, c.note, c.source_locator, s.source_id, s.publisher, s.title, s.url, s.published_date
FROM citations c JOIN sources s ON s.source_id = c.source_id
WHERE c.record_table = :table AND c.record_id = :record_id
ORDER BY CASE c.relation WHEN 'reports' THEN 0 WHEN 'contradicts' THEN 1 WHEN 'corrects' THEN 2
         WHEN 'corroborates' THEN 3 ELSE 4 END, s.publisher, s.source_id
"""


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or table not in CITED_TABLES or request is None:
        return {}

    async def citations():
        pk_values = urlsafe_components(request.url_vars["pks"])
        if len(pk_values) != 1:
            return {"citations": []}
        result = await datasette.get_database(database).execute(SQL, {"table": table, "record_id": pk_values[0]})
        return {"citations": [dict(row) for row in result.rows]}

    return citations
