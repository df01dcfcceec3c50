"""Datasette's metadata, generated from datapackage.json and the table schemas, never typed twice.

The package gives the index page its title, description, licences and sources; each resource
its table's title and description; each field its column's description. Facets are the fields
with an `enum` (plus country and currency codes); the default sort is a table's first date.
"""

from __future__ import annotations

from html import escape

from derived_columns import DESCRIPTIONS as DERIVED
from package import Package
from tables import read_rows
from verification import VERIFIED_TABLES
from views import QUERIES

DATABASE = "cambodia-china-anti-fraud"
FACET_CODES = ("country", "currency")
LABEL_COLUMNS = ("name", "title", "as_printed", "alias")
# Columns that views compute rather than copy from a table.
VIEW_COLUMNS = {
    "place": "Name of the place where the event happened, or that it concerns.",
    "actors": "Actors of the event with their role, `; `-separated.",
    "figures": "The event's figures exactly as the source prints them, `; `-separated.",
    "source": "Title of the cited source.",
    "source_url": "Address of the cited source.",
    "date": "Date of the figure's event (its start) or agreement.",
    "record_kind": "Whether the figure belongs to an event or an agreement.",
    "record_id": "Id of the record (event, agreement, figure or actor) the row is about.",
    "record_title": "Title of the figure's event or agreement.",
    "record_table": "The table the claim comes from.",
    "claim": "The claim in short: a title, a figure as printed, or a name as printed.",
    "claimed_by": "Who the source says asserts the figure.",
    "event_title": "Title of the event.",
}
VIEW_DESCRIPTIONS = {
    "timeline": ("Timeline", "Events in date order with their place, actors, figures and source paragraph."),
    "figures_in_context": ("Figures in context", "Every figure with its event or agreement, its date and its source."),
    "actor_events": (
        "Actors and their events",
        "Each actor with every event they appear in, their role and the title the source gives them.",
    ),
    "claims": ("Claims and sources", "Every claim (event, figure, agreement, printed name) with its source and paragraph."),
}


def _facets(resource) -> list[str]:
    return [f["name"] for f in resource.fields if f.get("constraints", {}).get("enum") or f["name"] in FACET_CODES]


def _first(names: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((w for w in wanted if w in names), None)


def _field_descriptions(package: Package) -> dict[str, str]:
    """The first description each field name has in the package: views reuse table columns."""
    found: dict[str, str] = {}
    for resource in package.resources:
        for f in resource.fields:
            found.setdefault(f["name"], f.get("description", ""))
    return found


def _index_html(package: Package) -> str:
    d = package.descriptor
    licences = "".join(
        f'<li><a href="{escape(lic.get("path", ""))}">{escape(lic.get("title") or lic["name"])}</a></li>'
        for lic in d.get("licenses", [])
    )
    sources = "".join(
        f'<li><a href="{escape(s.get("path", ""))}">{escape(s.get("title", ""))}</a></li>' for s in d.get("sources", [])
    )
    rows = _source_rows(package)
    cited = "".join(
        f'<li>{escape(row["publisher"])}: <a href="/{DATABASE}/sources/{escape(row["source_id"])}">{escape(row["title"])}</a>'
        f"{', ' + escape(row['published_date']) if row['published_date'] else ''}</li>"
        for row in rows
    )
    return (
        f"<p>{escape(d.get('description', ''))}</p>"
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
    described = _field_descriptions(package)
    tables = {}
    for resource in package.resources:
        names = resource.field_names
        raw = next(r for r in d["resources"] if r["name"] == resource.name)
        table = {
            "title": raw.get("title", resource.name),
            "description": raw.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in resource.fields},
            "facets": _facets(resource),
        }
        if resource.name in VERIFIED_TABLES:
            table["columns"]["verification"] = DERIVED["verification"]
            table["facets"].append("verification")
        if resource.name == "citations":
            table["columns"].update({k: v for k, v in DERIVED.items() if k != "verification"})
        date = next((f["name"] for f in resource.fields if f.get("type") == "date"), None)
        if date:
            table["sort"] = date
        label = _first(names, LABEL_COLUMNS)
        if label:
            table["label_column"] = label
        tables[resource.name] = table
    for view, (title, description) in VIEW_DESCRIPTIONS.items():
        columns = {name: VIEW_COLUMNS.get(name) or DERIVED.get(name) or described.get(name, "") for name in view_columns[view]}
        tables[view] = {"title": title, "description": description, "columns": columns}
    first_licence = (d.get("licenses") or [{}])[0]
    return {
        "title": d.get("title"),
        "description_html": _index_html(package),
        "license": first_licence.get("name"),
        "license_url": first_licence.get("path"),
        "source": (d.get("sources") or [{}])[0].get("title"),
        "source_url": (d.get("sources") or [{}])[0].get("path"),
        "databases": {
            DATABASE: {
                "title": d.get("title"),
                "description": d.get("description"),
                "tables": tables,
                "queries": QUERIES,
            }
        },
        "plugins": {"datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"}},
    }
