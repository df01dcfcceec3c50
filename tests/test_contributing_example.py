"""The worked example in CONTRIBUTING.md is real: its rows, added to the package, validate."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import ARCHIVE, REPO
from validate import validate_package

# A step names its file, then shows the rows to add, before the next file is named.
STEP = re.compile(r"`data/(\w+)\.csv`(?:(?!`data/).)*?```csv\n(.*?)```", re.S)


def example_rows() -> list[tuple[str, str]]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return [(table, block) for table, block in STEP.findall(text)]


def test_the_example_covers_an_event_an_actor_link_a_figure_and_citations():
    assert {"sources", "places", "events", "event_actors", "figures", "citations"} <= {t for t, _ in example_rows()}


@pytest.mark.usefixtures("in_package")
def test_the_worked_example_validates(in_package):
    for table, block in example_rows():
        header, rows = in_package.read_rows(table)
        for values in csv.reader(io.StringIO(block.replace("   ", "").strip())):
            assert len(values) == len(header), (table, values)
            rows.append(dict(zip(header, values, strict=True)))
        key = json.loads((REPO / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))["primaryKey"]
        rows.sort(key=lambda r: tuple(r[k] for k in key))
        in_package.write_rows(table, header, rows)
    assert validate_package(in_package.descriptor, ARCHIVE).problems == []
    line = in_package.set_cell("figures", "fig-poipet-raid-arrests", "as_printed", "14 people")
    messages = [
        f"{p.file}:{p.row}:{p.column}: {p.message} [{p.rule}]" for p in validate_package(in_package.descriptor, ARCHIVE).problems
    ]
    expected = re.search(
        r"```text\n(data/figures\.csv:\d+:.*)\n```", (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    ).group(1)
    assert messages == [re.sub(r":\d+:", f":{line}:", expected, count=1)]
