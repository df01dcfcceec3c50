"""CITATION.cff written from datapackage.json, so the title, version, licence, authors and date have one source.

`make docs` writes it (scripts/docs.py) and its `--check`, which the tests run, fails when it is stale; the release
zip carries the same text. The licence is the package's first, the data's; the authors are the contributors with
the role `creator` (all contributors when none has it); the date is the package's `created` day.
"""

from __future__ import annotations

import yaml  # PyYAML: a dependency of frictionless, and pinned in uv.lock

MESSAGE = (
    "If you use this data, please cite it with the version you used, as below. When you use a single claim, cite its "
    "original source too (the row's source_id leads to it in sources.csv)."
)
HEADER = "# Generated from datapackage.json by scripts/docs.py (`make docs`): edit datapackage.json, not this file.\n"


def citation(descriptor: dict) -> dict:
    contributors = descriptor.get("contributors", [])
    creators = [c for c in contributors if "creator" in c.get("roles", [])] or contributors
    return {
        "cff-version": "1.2.0",
        "message": MESSAGE,
        "type": "dataset",
        "title": descriptor["title"],
        "abstract": descriptor["description"],
        "authors": [{"name": c.get("title") or c.get("name")} for c in creators],
        "version": descriptor["version"],
        "date-released": str(descriptor["created"])[:10],
        "license": descriptor["licenses"][0]["name"],
        "keywords": list(descriptor.get("keywords", [])),
    }


def render(descriptor: dict) -> str:
    return HEADER + yaml.safe_dump(citation(descriptor), sort_keys=False, allow_unicode=True, width=110)
