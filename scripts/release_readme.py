"""The README inside the release zip: what each file is, how to load it, its licence and how to cite it.

Written for the zip, not the repository: every link is relative and leads to an entry of the zip (the project's own
README links to pictures, scripts and pages the zip does not hold). Generated from datapackage.json, so it cannot
disagree with the files it describes.
"""

from __future__ import annotations

from package import Package
from tables import read_rows

# The files a release copies from the repository, and what each is for a reader of the zip.
EXTRA_FILES = {
    "LICENSE-DATA": "the licence of the data (everything but `LICENSE`)",
    "LICENSE": "the licence of the project's code, named in `datapackage.json` (no code is in this zip)",
    "CHANGELOG.md": "what changed in each version",
}


def render(package: Package, zip_name: str, entries: set[str]) -> str:
    d = package.descriptor
    name, version = d["name"], d["version"]
    lines = [
        f"# {d['title']}",
        "",
        f"Version {version} of the data package `{name}`, as released in `{zip_name}`. {d['description']}",
        "",
        "Every claim is what a source reports, not a fact: each row names its source (`source_id`), and events, figures "
        "and agreements carry `verification`, the verdict their citations give (`corroborated`, `partly_corroborated`, "
        "`uncorroborated` or `contradicted`).",
        "",
        "## What is in this zip",
        "",
        "| file | what it is |",
        "|---|---|",
        "| [datapackage.json](datapackage.json) | the Frictionless Data Package descriptor: every table "
        "with its schema, the licences and sources; each file's size (`bytes`) and SHA-256 (`hash`) |",
    ]
    for res, resource in zip(d["resources"], package.resources):
        rows = len(read_rows(resource.path))
        schema = f"; columns in [{res['schema']}]({res['schema']})" if isinstance(res.get("schema"), str) else ""
        lines.append(f"| [{res['path']}]({res['path']}) | {res['title']}: {_cell(res['description'])} {rows} rows{schema} |")
    documents = {
        "docs/data-dictionary.md": "every column of every table: type, constraints, description and the values it takes",
        "CITATION.cff": "how to cite this version (Citation File Format)",
        **EXTRA_FILES,
    }
    lines += [f"| [{entry}]({entry}) | {what} |" for entry, what in documents.items() if entry in entries]
    lines += ["", *_loading(d, zip_name), "", *_licence_and_citation(d, entries)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _loading(d: dict, zip_name: str) -> list[str]:
    db = f"{d['name']}-{d['version']}.db"
    return [
        "## Load it",
        "",
        "Unzip it first (Frictionless also reads the zip as it is). The CSVs are UTF-8, comma-separated, with a header "
        "row; an empty cell is a missing value.",
        "",
        "pandas:",
        "",
        "```python",
        "import pandas as pd",
        "",
        'figures = pd.read_csv("data/figures.csv", dtype=str, keep_default_na=False)  # every cell as printed',
        'figures[["as_printed", "verification", "source_id"]]',
        "```",
        "",
        "DuckDB:",
        "",
        "```sql",
        "SELECT verification, count(*) FROM read_csv_auto('data/events.csv') GROUP BY verification;",
        "```",
        "",
        "Frictionless (typed rows, and a check of every cell, key and file hash against the schemas):",
        "",
        "```sh",
        f"frictionless validate {zip_name}",
        "```",
        "",
        "```python",
        "from frictionless import Package",
        "",
        f'package = Package("{zip_name}")  # or "datapackage.json" once unzipped',
        'rows = package.get_resource("events").read_rows()',
        "```",
        "",
        f"Datasette: the release publishes the SQLite database `{db}` beside this zip (`datasette {db}`). From these "
        "CSVs alone, load each table with sqlite-utils and serve the result:",
        "",
        "```sh",
        'for table in data/*.csv; do sqlite-utils insert data.db "$(basename "$table" .csv)" "$table" --csv; done',
        "datasette data.db",
        "```",
    ]


def _licence_and_citation(d: dict, entries: set[str]) -> list[str]:
    licences = "; ".join(f"{lic['name']}: {lic.get('title', '')}".rstrip(": ") for lic in d.get("licenses", []))
    authors = ", ".join(c.get("title") or c.get("name", "") for c in d.get("contributors", []))
    licence = f" {d['licenses'][0]['name']}." if d.get("licenses") else ""
    cff = " [CITATION.cff](CITATION.cff) holds the same." if "CITATION.cff" in entries else ""
    return [
        "## Licence",
        "",
        f"{licences}." + (" The full text is in [LICENSE-DATA](LICENSE-DATA)." if "LICENSE-DATA" in entries else ""),
        "",
        "## Citing it",
        "",
        f"> {authors} ({str(d['created'])[:4]}). *{d['title']}* (data package `{d['name']}`, version {d['version']}).{licence}",
        "",
        f"Cite the version you used.{cff} When you use a single claim, cite its original source too: the row's "
        "`source_id` leads to the publisher, title and address in `data/sources.csv`, and `source_locator` to the paragraph.",
    ]
