"""SQL views for the questions users ask first, and the canned queries Datasette offers.

They join the tables the package defines; their columns are the tables' columns, so their
descriptions come from the schemas too (see datasette_metadata.py).
"""

from __future__ import annotations

# Lists inside one cell: `; `-separated, ordered, so the same data always gives the same text.
VIEWS = {
    "timeline": """
SELECT e.event_id, e.start_date, e.end_date, e.date_precision, e.event_type, e.title, e.verification, e.summary,
       p.name AS place, p.latitude, p.longitude, e.country,
       (SELECT group_concat(label, '; ') FROM (
            SELECT a.name || ' (' || ea.role || ')' AS label FROM event_actors ea
            JOIN actors a ON a.actor_id = ea.actor_id WHERE ea.event_id = e.event_id
            ORDER BY ea.role, a.name)) AS actors,
       (SELECT group_concat(as_printed, '; ') FROM (
            SELECT f.as_printed FROM figures f WHERE f.event_id = e.event_id ORDER BY f.figure_id)) AS figures,
       s.title AS source, s.url AS source_url, e.source_locator
FROM events e
LEFT JOIN places p ON p.place_id = COALESCE(e.place_id, e.about_place_id)
JOIN sources s ON s.source_id = e.source_id
ORDER BY e.start_date IS NULL, e.start_date, e.event_id""",
    "figures_in_context": """
SELECT f.figure_id, f.metric, f.value, f.value_qualifier, f.unit, f.currency, f.as_printed, f.verification,
       COALESCE(e.start_date, g.date) AS date, COALESCE(e.date_precision, g.date_precision) AS date_precision,
       CASE WHEN f.event_id IS NOT NULL THEN 'event' ELSE 'agreement' END AS record_kind,
       COALESCE(f.event_id, f.agreement_id) AS record_id, COALESCE(e.title, g.title) AS record_title,
       c.name AS claimed_by, s.title AS source, s.url AS source_url, f.source_locator
FROM figures f
LEFT JOIN events e ON e.event_id = f.event_id
LEFT JOIN agreements g ON g.agreement_id = f.agreement_id
LEFT JOIN actors c ON c.actor_id = f.claimed_by_actor_id
JOIN sources s ON s.source_id = f.source_id
ORDER BY date IS NULL, date, f.figure_id""",
    "actor_events": """
SELECT a.actor_id, a.name, a.actor_type, ea.role, ea.title_in_source,
       e.event_id, e.start_date, e.date_precision, e.event_type, e.title AS event_title,
       e.source_id, e.source_locator
FROM actors a
JOIN event_actors ea ON ea.actor_id = a.actor_id
JOIN events e ON e.event_id = ea.event_id
ORDER BY a.name, e.start_date IS NULL, e.start_date, e.event_id""",
    "claims": """
SELECT 'events' AS record_table, e.event_id AS record_id, e.title AS claim, e.start_date AS date, e.verification,
       NULL AS claimed_by, e.source_id, s.title AS source, s.publisher, s.url AS source_url, e.source_locator
FROM events e JOIN sources s ON s.source_id = e.source_id
UNION ALL
SELECT 'figures', f.figure_id, f.as_printed || ' (' || f.metric || ')', COALESCE(e.start_date, g.date), f.verification,
       c.name, f.source_id, s.title, s.publisher, s.url, f.source_locator
FROM figures f JOIN sources s ON s.source_id = f.source_id
LEFT JOIN events e ON e.event_id = f.event_id LEFT JOIN agreements g ON g.agreement_id = f.agreement_id
LEFT JOIN actors c ON c.actor_id = f.claimed_by_actor_id
UNION ALL
SELECT 'agreements', g.agreement_id, g.title || ' (' || g.status || ')', g.date, g.verification,
       NULL, g.source_id, s.title, s.publisher, s.url, g.source_locator
FROM agreements g JOIN sources s ON s.source_id = g.source_id
UNION ALL
SELECT 'actor_aliases', a.actor_id, a.alias || ' (' || a.alias_type || ')', NULL, NULL,
       NULL, a.source_id, s.title, s.publisher, s.url, a.source_locator
FROM actor_aliases a JOIN sources s ON s.source_id = a.source_id
ORDER BY record_table, record_id, claim""",
}

# datasette-vega reads its chart from the URL fragment: a link with this fragment opens the chart.
CHART = "g.mark=circle&g.x_column=date&g.x_type=temporal&g.y_column=value&g.y_type=quantitative&g.color_column=metric"

# Canned queries: title, description and SQL; `:name` parameters become form fields in Datasette.
QUERIES = {
    "timeline_between": {
        "title": "Timeline between two dates",
        "description": "Events whose date window overlaps the dates you give (YYYY-MM-DD; leave one empty for an open end), "
        "in date order with place, actors, figures and source paragraph.",
        "sql": """SELECT * FROM timeline
WHERE (:from_date = '' OR end_date IS NULL OR end_date >= :from_date)
  AND (:to_date = '' OR start_date IS NULL OR start_date <= :to_date)""",
    },
    "totals_by_metric_and_currency": {
        "title": "Totals by metric and currency",
        "description": "Figures summed by what they count and in which unit or currency. Different sources "
        "may report the same thing twice, so read a total as the sum of claims, not a fact.",
        "sql": """SELECT metric, unit, currency, count(*) AS figures, sum(value) AS total_claimed,
       group_concat(figure_id, '; ') AS figure_ids
FROM (SELECT * FROM figures ORDER BY figure_id)
GROUP BY metric, unit, currency ORDER BY metric, unit, currency""",
    },
    "actor_dossier": {
        "title": "Everything about one actor",
        "description": "Names, aliases, events, agreements and figures for one actor id (for example act-hun-sen).",
        "sql": """SELECT 'name' AS kind, name AS what, NULL AS date, NULL AS role, NULL AS source_id, NULL AS source_locator
FROM actors WHERE actor_id = :actor_id
UNION ALL
SELECT 'alias (' || alias_type || ')', alias, NULL, NULL, source_id, source_locator
FROM actor_aliases WHERE actor_id = :actor_id
UNION ALL
SELECT 'event', e.title, e.start_date, ea.role || COALESCE(' as "' || ea.title_in_source || '"', ''), e.source_id, e.source_locator
FROM event_actors ea JOIN events e ON e.event_id = ea.event_id WHERE ea.actor_id = :actor_id
UNION ALL
SELECT 'agreement', g.title, g.date, ap.role, g.source_id, g.source_locator
FROM agreement_parties ap JOIN agreements g ON g.agreement_id = ap.agreement_id WHERE ap.actor_id = :actor_id
UNION ALL
SELECT 'figure claimed', f.as_printed, NULL, f.metric, f.source_id, f.source_locator
FROM figures f WHERE f.claimed_by_actor_id = :actor_id
ORDER BY kind, date, what""",
    },
    "figures_with_source_paragraph": {
        "title": "Figures with their source paragraph",
        "description": "Each figure as printed, with the source, its link and the paragraph to read it in.",
        "sql": """SELECT f.figure_id, f.as_printed, f.metric, f.value, f.currency, s.publisher, s.title AS source,
       s.url AS source_url, f.source_locator
FROM figures f JOIN sources s ON s.source_id = f.source_id ORDER BY f.figure_id""",
    },
    "claims_and_what_others_say": {
        "title": "Claims and what others say",
        "description": "Each claim of the archived sources (the article) with its verdict, the sources that contradict or "
        "correct it and those that corroborate it, each with what it says. Contradicted claims come first.",
        "sql": """SELECT c.record_table, c.record_id, c.claim, c.date, c.verification, c.source_locator,
       (SELECT group_concat(said, ' | ') FROM (
            SELECT ci.relation || ': ' || s.publisher || COALESCE(' <' || s.url || '>', '') || COALESCE(' ' || ci.note, '') AS said
            FROM citations ci JOIN sources s ON s.source_id = ci.source_id
            WHERE ci.record_table = c.record_table AND ci.record_id = c.record_id AND ci.relation IN ('contradicts', 'corrects')
            ORDER BY ci.relation, s.publisher)) AS contradicted_or_corrected_by,
       (SELECT group_concat(said, ' | ') FROM (
            SELECT s.publisher || COALESCE(' <' || s.url || '>', '') || COALESCE(' ' || ci.note, '') AS said
            FROM citations ci JOIN sources s ON s.source_id = ci.source_id
            WHERE ci.record_table = c.record_table AND ci.record_id = c.record_id AND ci.relation = 'corroborates'
            ORDER BY s.publisher)) AS corroborated_by
FROM claims c
WHERE c.verification IS NOT NULL AND c.source_id IN (SELECT source_id FROM sources WHERE sha256 IS NOT NULL)
ORDER BY CASE c.verification WHEN 'contradicted' THEN 0 WHEN 'partly_corroborated' THEN 1
         WHEN 'uncorroborated' THEN 2 ELSE 3 END, c.date, c.record_id""",
    },
    "figures_over_time": {
        "title": "Figures over time",
        "description_html": "Counts of people (arrested, detained, repatriated) by the date of their event. "
        f'<a href="#{CHART}">Show them as a chart</a> (datasette-vega: x = date, y = value, colour = metric), '
        "or choose your own with <em>Show charting options</em>.",
        "sql": """SELECT date, metric, value, as_printed, verification, record_title FROM figures_in_context
WHERE date IS NOT NULL AND unit = 'person' ORDER BY date""",
    },
}


def create_views(db) -> None:
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
