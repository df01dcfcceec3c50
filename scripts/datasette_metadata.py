"""Datasette's metadata, generated from datapackage.json and the table schemas, never typed twice.

The package gives the index page its title, description, licences and sources; each resource
its table's title and description; each field its column's description. Facets are the fields
with an `enum` (plus country and currency codes); the default sort is a table's first date,
newest first, so undated rows come last. The site's own plugins (datasette-site/plugins) read
the rest from the `datasette-site` plugin block: each field's title, the columns a table page
shows first and last, which table each id prefix belongs to, and the order of the index page.
"""

from __future__ import annotations

import json
from html import escape

from derived_columns import DESCRIPTIONS as DERIVED
from derived_columns import ORDER_COLUMN, ordered_by
from package import Package, Resource
from structure_checks import is_web_url
from tables import read_rows
from views import QUERIES

DATABASE = "cambodia-china-anti-fraud"
SITE_PLUGIN = "datasette-site"
FACET_CODES = ("country", "currency")
# How precise a date or a place is describes the value, not the claim; such a facet cost a search of
# the events at 100 times the data 5 ms of its 50 (each facet repeats the full-text match).
# `?_facet=date_precision` still counts by it.
NOT_FACETS = ("date_precision", "geo_precision")
FACET_SIZE = 5  # values per facet before "…": keeps the facets short enough that rows show on the first screen
LABEL_COLUMNS = ("name", "title", "as_printed", "alias")
# The index page leads with the claims and who makes them; the other tables follow in package order.
LEAD_TABLES = ("events", "figures", "agreements", "actors")
# Columns a reader rarely needs on a table page: shown last, shortened.
HELPER_COLUMNS = ("sha256",)
# Titles of the columns the build derives (no schema has them); their descriptions are in derived_columns.py.
DERIVED_TITLES = {key: f"{key} (derived link)" for key in DERIVED} | {ORDER_COLUMN: "Order (newest first)"}
# Columns that views compute rather than copy from a table: title and description.
VIEW_COLUMNS = {
    "view_order": (
        "Order",
        "The view's order, a text that never ties: the date (undated rows last) and the id (derived; views.py).",
    ),
    "place_or_place_concerned": (
        "Place or place concerned",
        "Name of the place where the event happened or, when the source names none, the place it concerns.",
    ),
    "actors": ("Actors", "Actors of the event with their role, `; `-separated."),
    "figures": ("Figures", "The event's figures exactly as the source prints them, `; `-separated."),
    "source": ("Source", "Title of the cited source."),
    "source_url": ("Source URL", "Address of the cited source."),
    "date": ("Date", "Date of the figure's event (its start) or agreement."),
    "record_kind": ("Belongs to", "Whether the figure belongs to an event or an agreement."),
    "record_id": ("Record", "Id of the record (event, agreement, figure or actor) the row is about."),
    "record_title": ("Event or agreement", "Title of the figure's event or agreement."),
    "record_table": ("Record table", "The table the claim comes from."),
    "claim": ("Claim", "The claim in short: a title, a figure as printed, or a name as printed."),
    "claimed_by": ("Claimed by", "Who the source says asserts the figure."),
    "event_title": ("Event", "Title of the event."),
}
VIEW_DESCRIPTIONS = {
    "timeline": (
        "Timeline",
        "Events in date order (undated ones last) with their place, actors, figures and source paragraph. The map "
        "shows only the events whose source names a place, where they happened or that they concern; the others have no pin.",
    ),
    "figures_in_context": ("Figures in context", "Every figure with its event or agreement, its date and its source."),
    "actor_events": (
        "Actors and their events",
        "Each actor with every event they appear in, their role and the title the source gives them.",
    ),
    "claims": ("Claims and sources", "Every claim (event, figure, agreement, printed name) with its source and paragraph."),
}


def facet_columns(resource) -> list[str]:
    """The columns each table page counts by (its facets): closed lists and codes. The build indexes them."""
    return [
        f["name"]
        for f in resource.fields
        if (f.get("constraints", {}).get("enum") or f["name"] in FACET_CODES) and f["name"] not in NOT_FACETS
    ]


def _first(names: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((w for w in wanted if w in names), None)


def _first_of_each_field(package: Package, key: str) -> dict[str, str]:
    """The first description (or title) each field name has in the package: views reuse table columns."""
    found: dict[str, str] = {}
    for resource in package.resources:
        for f in resource.fields:
            found.setdefault(f["name"], f.get(key, ""))
    return found


def _id_prefix(resource: Resource) -> str | None:
    """`ev-` for events: the literal start of the pattern of a single-column primary key."""
    if len(resource.primary_key) != 1:
        return None
    field = next(f for f in resource.fields if f["name"] == resource.primary_key[0])
    literal = field.get("constraints", {}).get("pattern", "").split("[")[0]
    return literal if literal.endswith("-") and literal[:-1].isalpha() else None


def _table_layout(resource: Resource) -> dict:
    """What the site's plugins need of one table: titles, its label, and the columns shown first and last."""
    names = resource.field_names
    label = _first(names, LABEL_COLUMNS)
    dates = [f["name"] for f in resource.fields if f.get("type") == "date"]
    verified = "verification" in names
    derived = [key for key in DERIVED if key != ORDER_COLUMN] if resource.name == "citations" else []  # no schema has them
    if ordered_by(resource):
        derived.append(ORDER_COLUMN)
    last = [name for name in names if name in HELPER_COLUMNS]
    if label and len(resource.primary_key) == 1:  # the label links to the row, so its id can wait
        last.insert(0, resource.primary_key[0])
    last += derived
    return {
        "titles": {key: DERIVED_TITLES[key] for key in derived} | {f["name"]: f.get("title", f["name"]) for f in resource.fields},
        "label": label,
        "primary_key": resource.primary_key,
        "dates": dates,
        "lead": ([label] if label else []) + dates + (["verification"] if verified else []),
        "last": last,
        "derived": derived,
    }


def _site_config(package: Package, view_columns: dict[str, list[str]]) -> dict:
    """The `datasette-site` plugin block: one place the site's templates and plugins read."""
    names = [r.name for r in package.resources]
    titles = _first_of_each_field(package, "title") | {k: t for k, (t, _) in VIEW_COLUMNS.items()}
    layouts = {r.name: _table_layout(r) for r in package.resources}
    for view, columns in view_columns.items():
        layouts[view] = {"titles": {c: titles.get(c, c) for c in columns}, "lead": [], "last": ["view_order"], "dates": []}
    citations = package.resource("citations") if "citations" in names else None
    record_table = next((f for f in citations.fields if f["name"] == "record_table"), {}) if citations else {}
    return {
        "id_tables": {prefix: r.name for r in package.resources if (prefix := _id_prefix(r))},
        "cited_tables": record_table.get("constraints", {}).get("enum", []),
        "table_order": [t for t in LEAD_TABLES if t in names] + [t for t in names if t not in LEAD_TABLES],
        "view_order": list(VIEW_DESCRIPTIONS),
        "query_order": list(QUERIES),
        "tables": layouts,
    }


def _link(url, text: str) -> str:
    """A link only to an http(s) address (the validator refuses others; this keeps a page safe regardless)."""
    return f'<a href="{escape(url)}">{escape(text)}</a>' if is_web_url(url) else escape(text)


def _index_html(package: Package) -> str:
    d = package.descriptor
    licences = "".join(f"<li>{_link(lic.get('path'), lic.get('title') or lic['name'])}</li>" for lic in d.get("licenses", []))
    sources = "".join(f"<li>{_link(s.get('path'), s.get('title', ''))}</li>" for s in d.get("sources", []))
    rows = _source_rows(package)
    cited = "".join(
        f'<li>{escape(row["publisher"])}: <a href="/{DATABASE}/sources/{escape(row["source_id"])}">{escape(row["title"])}</a>'
        f"{', ' + escape(row['published_date']) if row['published_date'] else ''}</li>"
        for row in rows
    )
    return (  # the description itself leads the index page, above the tables (datasette-site/templates/index.html)
        f"<p>Version {escape(d.get('version', ''))}.</p>"
        f"<p>Licences:</p><ul>{licences}</ul><p>Sources of the package:</p><ul>{sources}</ul>"
        f"<details><summary>Every source the rows cite ({len(rows)})</summary><ul>{cited}</ul></details>"
    )


def _source_rows(package: Package) -> list[dict]:
    """The rows of the sources table, sorted by publisher: the index page lists them all."""
    names = [r.name for r in package.resources]
    if "sources" not in names:
        return []
    return sorted(read_rows(package.resource("sources").path), key=lambda row: (row["publisher"], row["source_id"]))


def build_metadata(package: Package, view_columns: dict[str, list[str]]) -> dict:
    """`view_columns` maps each view to its columns, as the built database reports them."""
    d = package.descriptor
    described = _first_of_each_field(package, "description")
    tables = {}
    for resource in package.resources:
        names = resource.field_names
        raw = next(r for r in d["resources"] if r["name"] == resource.name)
        table = {
            "title": raw.get("title", resource.name),
            "description": raw.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in resource.fields},
            "facets": facet_columns(resource),
            "facet_size": FACET_SIZE,
        }
        if "verification" in table["facets"]:  # the verdict leads the facets
            table["facets"].insert(0, table["facets"].pop(table["facets"].index("verification")))
        if resource.name == "citations":
            table["columns"].update({k: v for k, v in DERIVED.items() if k != ORDER_COLUMN})
        if ordered_by(resource):  # newest first, undated last, and every page in step (derived_columns.py)
            table["columns"][ORDER_COLUMN] = DERIVED[ORDER_COLUMN]
            table["sort_desc"] = ORDER_COLUMN
        label = _first(names, LABEL_COLUMNS)
        if label:
            table["label_column"] = label
        tables[resource.name] = table
    for view, (title, description) in VIEW_DESCRIPTIONS.items():
        computed = {name: description for name, (_, description) in VIEW_COLUMNS.items()}
        columns = {name: computed.get(name) or DERIVED.get(name) or described.get(name, "") for name in view_columns[view]}
        tables[view] = {"title": title, "description": description, "columns": columns, "sort": "view_order"}
    first_licence = (d.get("licenses") or [{}])[0]
    first_source = (d.get("sources") or [{}])[0]
    cited = len(_source_rows(package))
    return {
        "title": d.get("title"),
        "description": d.get("description"),
        "description_html": _index_html(package),
        "license": first_licence.get("name"),
        "license_url": first_licence.get("path") if is_web_url(first_licence.get("path")) else None,
        # Every page says "Data source:"; each row names its own, so the line points at all of them, not at the
        # package's first source (one partisan article, which would read as the source of every row).
        "source": f"the {cited} sources the rows cite, each row naming its own" if cited else first_source.get("title"),
        "source_url": f"/{DATABASE}/sources"
        if cited
        else (first_source.get("path") if is_web_url(first_source.get("path")) else None),
        "databases": {
            DATABASE: {
                "title": d.get("title"),
                "description": d.get("description"),
                "tables": tables,
                "queries": QUERIES,
            }
        },
        "plugins": {
            "datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"},
            # One JSON string, not a tree: Datasette 0.65 deep-copies the metadata on every permission
            # check (dozens per page), and a string costs nothing to copy. The plugins parse it once.
            SITE_PLUGIN: {"layout": json.dumps(_site_config(package, view_columns), ensure_ascii=False, sort_keys=True)},
        },
    }
