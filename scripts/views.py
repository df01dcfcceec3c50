"""Joined tables for the questions users ask first ("views"), and the canned queries Datasette offers.

They join the tables the package defines; their columns are the tables' columns, so their
descriptions come from the schemas too (see datasette_metadata.py).

The build writes each view's rows into a table of that name, in the view's order, rather than a
SQLite VIEW: the database never changes once built, and Datasette re-ran a VIEW's joins and sort for
every page and count of it (70-90 ms a page at 100 times the data, against about 30 ms for a table).
"""

from __future__ import annotations

# Lists inside one cell: `; `-separated, ordered, so the same data always gives the same text.
# Each view ends with `view_order`, a text that never ties (ids are unique): its rows are written in that order, its
# page sorts by it (datasette_metadata.py) and a query over a view orders by it too.
NO_DATE = "'9999-12-31'"  # sorts after every date: undated rows come last
VIEWS = {
    "timeline": f"""
SELECT e.event_id, e.start_date, e.end_date, e.date_precision, e.event_type, e.title, e.verification, e.summary,
       p.name AS place_or_place_concerned, p.latitude, p.longitude, e.country,
       (SELECT group_concat(label, '; ') FROM (
            SELECT a.name || ' (' || ea.role || ')' AS label FROM event_actors ea
            JOIN actors a ON a.actor_id = ea.actor_id WHERE ea.event_id = e.event_id
            ORDER BY ea.role, a.name)) AS actors,
       (SELECT group_concat(as_printed, '; ') FROM (
            SELECT f.as_printed FROM figures f WHERE f.event_id = e.event_id ORDER BY f.figure_id)) AS figures,
       s.title AS source, s.url AS source_url, e.source_locator,
       COALESCE(e.start_date, {NO_DATE}) || ' ' || e.event_id AS view_order
FROM events e
LEFT JOIN places p ON p.place_id = COALESCE(e.place_id, e.about_place_id)
JOIN sources s ON s.source_id = e.source_id""",
    "figures_in_context": f"""
SELECT f.figure_id, f.metric, f.value, f.value_qualifier, f.unit, f.currency, f.as_printed, f.verification,
       COALESCE(e.start_date, g.date) AS date, COALESCE(e.date_precision, g.date_precision) AS date_precision,
       CASE WHEN f.event_id IS NOT NULL THEN 'event' ELSE 'agreement' END AS record_kind,
       COALESCE(f.event_id, f.agreement_id) AS record_id, COALESCE(e.title, g.title) AS record_title,
       c.name AS claimed_by, s.title AS source, s.url AS source_url, f.source_locator,
       COALESCE(e.start_date, g.date, {NO_DATE}) || ' ' || f.figure_id AS view_order
FROM figures f
LEFT JOIN events e ON e.event_id = f.event_id
LEFT JOIN agreements g ON g.agreement_id = f.agreement_id
LEFT JOIN actors c ON c.actor_id = f.claimed_by_actor_id
JOIN sources s ON s.source_id = f.source_id""",
    "actor_events": f"""
SELECT a.actor_id, a.name, a.actor_type, ea.role, ea.title_in_source,
       e.event_id, e.start_date, e.date_precision, e.event_type, e.title AS event_title,
       e.source_id, e.source_locator,
       a.name || ' ' || a.actor_id || ' ' || COALESCE(e.start_date, {NO_DATE}) || ' ' || e.event_id || ' ' || ea.role AS view_order
FROM actors a
JOIN event_actors ea ON ea.actor_id = a.actor_id
JOIN events e ON e.event_id = ea.event_id""",
    "claims": """
SELECT 'events' AS record_table, e.event_id AS record_id, e.title AS claim, e.start_date AS date, e.verification,
       NULL AS claimed_by, e.source_id, s.title AS source, s.publisher, s.url AS source_url, e.source_locator,
       'events ' || e.event_id AS view_order
FROM events e JOIN sources s ON s.source_id = e.source_id
UNION ALL
SELECT 'figures', f.figure_id, f.as_printed || ' (' || f.metric || ')', COALESCE(e.start_date, g.date), f.verification,
       c.name, f.source_id, s.title, s.publisher, s.url, f.source_locator, 'figures ' || f.figure_id
FROM figures f JOIN sources s ON s.source_id = f.source_id
LEFT JOIN events e ON e.event_id = f.event_id LEFT JOIN agreements g ON g.agreement_id = f.agreement_id
LEFT JOIN actors c ON c.actor_id = f.claimed_by_actor_id
UNION ALL
SELECT 'agreements', g.agreement_id, g.title || ' (' || g.status || ')', g.date, g.verification,
       NULL, g.source_id, s.title, s.publisher, s.url, g.source_locator, 'agreements ' || g.agreement_id
FROM agreements g JOIN sources s ON s.source_id = g.source_id
UNION ALL
SELECT 'actor_aliases', a.actor_id, a.alias || ' (' || a.alias_type || ')', NULL, NULL,
       NULL, a.source_id, s.title, s.publisher, s.url, a.source_locator,
       'actor_aliases ' || a.actor_id || ' ' || a.alias || ' ' || a.source_id
FROM actor_aliases a JOIN sources s ON s.source_id = a.source_id""",
}

# datasette-vega reads its chart from the URL fragment: a link with this fragment opens the chart.
CHART = "g.mark=circle&g.x_column=date&g.x_type=temporal&g.y_column=value&g.y_type=quantitative&g.color_column=metric"

# Units whose figures can be added up: people are counted one by one, money in one currency. Prison
# terms (of different offences), sanction targets (lists that overlap), cases, locations and ratios are not.
ADDABLE_UNITS = ("person", "currency")
_ADDABLE = ", ".join(f"'{unit}'" for unit in ADDABLE_UNITS)
VERDICT_ORDER = "CASE {} WHEN 'contradicted' THEN 0 WHEN 'partly_corroborated' THEN 1 WHEN 'uncorroborated' THEN 2 ELSE 3 END"

# Canned queries: title, description (the question each answers) and SQL; `:name` parameters become
# form fields in Datasette. The SQL is hidden (`hide_sql`): readers fill in the form; "show" reveals it.
QUERIES = {
    "timeline_between": {
        "title": "Timeline between two dates",
        "description": "What happened between two dates? Events whose date window overlaps the dates you give "
        "(YYYY-MM-DD; leave one or both empty for an open end), in date order, undated events last, "
        "with place, actors, figures and source paragraph.",
        "hide_sql": True,
        "sql": """SELECT * FROM timeline
WHERE (:from_date = '' OR end_date IS NULL OR end_date >= :from_date)
  AND (:to_date = '' OR start_date IS NULL OR start_date <= :to_date)
ORDER BY view_order""",
    },
    "totals_by_metric_and_currency": {
        "title": "Totals by metric and currency",
        "description": "How many people do the sources say were arrested, detained or repatriated, and how much money "
        "do they name? Counts of people are added per metric and sums of money per metric and currency; prison terms "
        "(of different offences), sanction targets (overlapping lists), cases, locations and ratios are listed side by "
        "side, not added. Sources may report the same people or money twice: a total is the sum of claims, not a fact.",
        "hide_sql": True,
        "sql": f"""SELECT metric, unit, currency, count(*) AS figures,
       CASE WHEN unit IN ({_ADDABLE}) THEN sum(value) END AS total_claimed,
       CASE WHEN unit IN ({_ADDABLE}) THEN 'added: the sum of the claims' ELSE 'not added: read each figure' END AS how_to_read,
       group_concat(as_printed || ' (' || figure_id || ')', '; ') AS figures_as_printed
FROM (SELECT * FROM figures ORDER BY figure_id)
GROUP BY metric, unit, currency
ORDER BY unit NOT IN ({_ADDABLE}), unit, metric, currency""",
    },
    "actor_dossier": {
        "title": "Everything about one actor",
        "description": "What do the sources say about one person, state or body? Type a name or a name as a source "
        'printed it ("Hun Sen", "Sassok Kasat"; any case, part of a name is enough, an id such as act-hun-sen too; '
        "empty lists every actor): their names, aliases, events with the title the source gives them, agreements and the "
        "figures they give.",
        "hide_sql": True,
        "sql": """WITH wanted AS (SELECT lower(trim(:name_or_alias)) AS text),
found AS (
    SELECT actor_id FROM actors, wanted WHERE instr(lower(name), wanted.text) > 0 OR actor_id = wanted.text
    UNION
    SELECT actor_id FROM actor_aliases, wanted WHERE instr(lower(alias), wanted.text) > 0
),
facts AS (
    SELECT a.actor_id, 1 AS kind_order, 'name (' || a.actor_type || ')' AS kind, a.name AS what, NULL AS date, NULL AS role,
           NULL AS verification, a.actor_id AS record_id, NULL AS source_id, NULL AS source_locator
    FROM found JOIN actors a ON a.actor_id = found.actor_id
    UNION ALL
    SELECT al.actor_id, 2, 'alias (' || al.alias_type || ')', al.alias, NULL, NULL, NULL, NULL, al.source_id, al.source_locator
    FROM found JOIN actor_aliases al ON al.actor_id = found.actor_id
    UNION ALL
    SELECT ea.actor_id, 3, 'event', e.title, e.start_date, ea.role || COALESCE(' as "' || ea.title_in_source || '"', ''),
           e.verification, e.event_id, e.source_id, e.source_locator
    FROM found JOIN event_actors ea ON ea.actor_id = found.actor_id JOIN events e ON e.event_id = ea.event_id
    UNION ALL
    SELECT ap.actor_id, 4, 'agreement', g.title, g.date, ap.role, g.verification, g.agreement_id, g.source_id, g.source_locator
    FROM found JOIN agreement_parties ap ON ap.actor_id = found.actor_id JOIN agreements g ON g.agreement_id = ap.agreement_id
    UNION ALL
    SELECT f.claimed_by_actor_id, 5, 'figure they give', f.as_printed, NULL, f.metric, f.verification, f.figure_id,
           f.source_id, f.source_locator
    FROM found JOIN figures f ON f.claimed_by_actor_id = found.actor_id
)
SELECT a.name AS actor, facts.kind, facts.what, facts.date, facts.role, facts.verification, facts.record_id,
       facts.source_id, facts.source_locator
FROM facts JOIN actors a ON a.actor_id = facts.actor_id
ORDER BY a.name, facts.actor_id, facts.kind_order, facts.date IS NULL, facts.date, facts.what""",
    },
    "figures_with_source_paragraph": {
        "title": "Figures with their source paragraph",
        "description": "Where is each figure printed? Each figure as printed, with the source, its link and the "
        "paragraph to read it in.",
        "hide_sql": True,
        "sql": """SELECT f.figure_id, f.as_printed, f.metric, f.value, f.currency, s.publisher, s.title AS source,
       s.url AS source_url, f.source_locator
FROM figures f JOIN sources s ON s.source_id = f.source_id ORDER BY f.figure_id""",
    },
    "claims_and_what_others_say": {
        "title": "Claims and what others say",
        "description": "What do other sources say about each claim of the archived sources (the article)? One row per "
        "claim and source that contradicts, corrects, corroborates or puts it in context, with what that source says "
        'and a link to it; a claim no other source mentions has one row, relation "none". Contradicted claims first.',
        "hide_sql": True,
        "sql": f"""SELECT c.verification, c.claim, COALESCE(ci.relation, 'none') AS relation, s.publisher, ci.note, s.url,
       c.date, c.source_locator AS where_in_the_article, c.record_id, ci.source_id
FROM claims c
LEFT JOIN citations ci ON ci.record_table = c.record_table AND ci.record_id = c.record_id AND ci.relation <> 'reports'
LEFT JOIN sources s ON s.source_id = ci.source_id
WHERE c.verification IS NOT NULL AND c.source_id IN (SELECT source_id FROM sources WHERE sha256 IS NOT NULL)
ORDER BY {VERDICT_ORDER.format("c.verification")}, c.date IS NULL, c.date, c.record_id,
         CASE ci.relation WHEN 'contradicts' THEN 0 WHEN 'corrects' THEN 1 WHEN 'corroborates' THEN 2 ELSE 3 END, s.publisher""",
    },
    "figures_over_time": {
        "title": "Figures over time",
        "description": "How many people do the sources say were arrested, detained or repatriated, and when? "
        "Counts of people by the date of their event, to draw as a chart.",
        "description_html": "How many people do the sources say were arrested, detained or repatriated, and when? "
        "Counts of people by the date of their event. "
        f'<a href="#{CHART}">Show them as a chart</a> (datasette-vega: x = date, y = value, colour = metric), '
        "or choose your own with <em>Show charting options</em>.",
        "hide_sql": True,
        "sql": """SELECT date, metric, value, as_printed, verification, record_title FROM figures_in_context
WHERE date IS NOT NULL AND unit = 'person' ORDER BY date""",
    },
}


def create_views(db) -> None:
    for name, sql in VIEWS.items():
        db.execute(f"CREATE TABLE [{name}] AS SELECT * FROM ({sql.strip()}) ORDER BY view_order")
        db[name].create_index(["view_order"], unique=True, index_name=f"idx_{name}_view_order")
