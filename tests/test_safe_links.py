"""A URL from the package becomes a link only when it is http(s): the site never links `javascript:` or a file path,
even for a package that skipped validation."""

from __future__ import annotations

import json

from conftest import REPO
from datasette_metadata import DATABASE, build_metadata
from package import load_package


def test_metadata_links_only_web_addresses():
    package = load_package(REPO / "datapackage.json")
    package.descriptor["licenses"][0]["path"] = "javascript:alert(1)"
    package.descriptor["sources"][0]["path"] = "file:///etc/passwd"
    metadata = build_metadata(package, {"timeline": [], "figures_in_context": [], "actor_events": [], "claims": []})
    page = metadata["description_html"]
    assert "javascript:" not in page and "file:" not in page
    assert metadata["license_url"] is None and "file:" not in json.dumps(metadata)
    assert metadata["source_url"] == f"/{DATABASE}/sources"  # every page's "Data source" is the sources table
    assert '<a href="https://opensource.org/licenses/MIT">' in page  # the second licence is a web address
