"""Every way a package was seen to fool or crash the validator: each gets its exit code and a located message, never
a traceback or a hang."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

import validate
from conftest import REPO, PackageCopy
from csv_format import CELL_LIMIT

pytestmark = pytest.mark.usefixtures("in_package")


def cli(capsys) -> tuple[int, str]:
    code = validate.main(["datapackage.json", "--archive", "no-archive"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out


def set_first(copy: PackageCopy, table: str, column: str, value: str) -> int:
    return copy.set_at(table, 0, column, value)


def edit_json(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


CELLS = [
    ("events", "title", '=HYPERLINK("http://x")', "no-formula-prefix"),
    ("figures", "notes", '=HYPERLINK("http://x")', "no-formula-prefix"),
    ("sources", "notes", '=HYPERLINK("http://x")', "no-formula-prefix"),
    ("events", "title", "A title ", "no-surrounding-whitespace"),
    ("agreements", "title", "A  title", "no-double-spaces"),
    ("events", "summary", "a\tb", "no-control-characters"),
    ("figures", "value", "1e309", "type"),
    ("figures", "value", "Infinity", "type"),
    ("figures", "value", "1_27", "type"),
    ("agreements", "date", "2025-9-1", "type"),
    ("events", "title", "Ti\u200btle", "no-invisible-characters"),
    ("events", "notes", "x\u202ey", "no-invisible-characters"),
    ("sources", "url", "javascript:alert(1)", "http-url"),
]


@pytest.fixture(scope="module")
def bad_cells(tmp_path_factory):
    """Every case of CELLS in one copy, each on a row of its own (one validation for all: they cannot interfere)."""
    copy = PackageCopy(tmp_path_factory.mktemp("cells"))
    for name in ("data", "schemas"):
        shutil.copytree(REPO / name, copy.root / name)
    shutil.copy(REPO / "datapackage.json", copy.descriptor)
    lines = {}
    for case, (table, column, value, _) in enumerate(CELLS):
        index, _ = copy.pick(table)
        lines[case] = copy.set_at(table, index, column, value)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(copy.root)  # files named as a contributor sees them: data/<table>.csv
        result = validate.validate_package("datapackage.json", "no-archive")
    return result.exit_code, {(p.file, p.row, p.column, p.rule) for p in result.problems}, lines


@pytest.mark.parametrize("case", range(len(CELLS)), ids=[f"{t}.{c}={v!r}" for t, c, v, _ in CELLS])
def test_a_bad_cell_is_reported_at_its_row_and_column(bad_cells, case):
    code, problems, lines = bad_cells
    table, column, _, rule = CELLS[case]
    assert code == 1
    assert (f"data/{table}.csv", lines[case], column, rule) in problems


def test_a_line_break_in_a_cell_is_reported_at_its_line_and_later_lines_stay_right(in_package, capsys):
    line = set_first(in_package, "events", "summary", "a\nb")
    later = in_package.set_at("events", 5, "title", "=x")
    code, out = cli(capsys)
    assert code == 1
    assert f"data/events.csv:{line}:summary: " in out and "[no-control-characters]" in out
    assert f"data/events.csv:{later + 1}:title: " in out  # one line further down, for the line break above


def test_a_currency_that_codes_no_money_is_reported(in_package, capsys):
    index, _ = in_package.pick("figures", lambda row: row["unit"] == "currency")
    line = in_package.set_at("figures", index, "currency", "XXX")
    code, out = cli(capsys)
    assert code == 1 and f"data/figures.csv:{line}:currency: XXX is not the ISO 4217 code of a currency" in out


DESCRIPTORS = [
    (lambda d: d.__setitem__("resources", []), "datapackage.json:resources:", "package-structure"),
    (lambda d: d.__setitem__("resources", 5), "datapackage.json:resources:", "package-structure"),
    (lambda d: d.__setitem__("name", "../../../../tmp/x"), "datapackage.json:name:", "package-name"),
    (lambda d: d.__setitem__("licenses", "CC-BY"), "datapackage.json: 'CC-BY' is not of type 'array'", "package-structure"),
    (lambda d: d["licenses"][0].__setitem__("path", "javascript:alert(1)"), "datapackage.json:licenses[1].path:", "url-scheme"),
    (lambda d: d["resources"][0].__setitem__("path", "/etc/passwd"), "datapackage.json:resources[1].path:", "resource-path"),
    (
        lambda d: d["resources"][0].__setitem__("path", "https://example.org/x.csv"),
        "datapackage.json:resources[1].path:",
        "resource-path",
    ),
    (
        lambda d: d["resources"][0].__setitem__("schema", "../../etc/passwd"),
        "datapackage.json:resources[1].schema:",
        "resource-path",
    ),
]


@pytest.mark.parametrize("change, where, rule", DESCRIPTORS)
def test_a_malformed_or_unsafe_descriptor_is_reported_and_nothing_else_is_read(in_package, capsys, change, where, rule):
    edit_json(in_package.descriptor, change)
    code, out = cli(capsys)
    assert code == 1
    assert out.startswith(where) and out.rstrip().endswith(f"[{rule}]")


def field_of(name: str):
    return lambda schema: next(f for f in schema["fields"] if f["name"] == name)


SCHEMAS = [
    (lambda s: field_of("title")(s).__setitem__("type", "money"), "schemas/events.schema.json:title: events.title: type 'money'"),
    (lambda s: s.__setitem__("fields", {"a": 1}), "schemas/events.schema.json:fields:"),
    (lambda s: field_of("title")(s).pop("name"), "schemas/events.schema.json:fields[3]: field 3 of events needs a name"),
    (
        lambda s: s.__setitem__("primaryKey", 5),
        "schemas/events.schema.json:primaryKey: the schema of events: primaryKey must name its fields",
    ),
    (
        lambda s: s.__setitem__("foreignKeys", [{"fields": "place_id"}]),
        "schemas/events.schema.json:foreignKeys[1]: the schema of events: foreign key 1 must name fields",
    ),
    (
        lambda s: s["foreignKeys"][0]["reference"].__setitem__("resource", "nope"),
        "schemas/events.schema.json:foreignKeys[1]: events",
    ),
    (lambda s: field_of("event_id")(s)["constraints"].__setitem__("pattern", "(["), "pattern '([' is not a regular expression"),
]


@pytest.mark.parametrize("change, message", SCHEMAS)
def test_a_malformed_schema_gets_a_located_message(in_package, capsys, change, message):
    edit_json(in_package.root / "schemas" / "events.schema.json", change)
    code, out = cli(capsys)
    assert code == 1 and message in out and "[schema-structure]" in out


def test_json_nested_too_deeply_to_read_exits_2(in_package, capsys):
    in_package.descriptor.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, out = cli(capsys)
    assert code == 2 and out.startswith("datapackage.json: not readable JSON: nested too deeply [package]")


def test_a_cell_larger_than_the_csv_module_default_is_read(in_package, capsys):
    set_first(in_package, "events", "notes", "x" * 200_000)
    assert cli(capsys) == (0, "")


def test_a_cell_over_the_limit_is_reported(in_package, capsys):
    line = set_first(in_package, "events", "notes", "x" * (CELL_LIMIT + 1))
    code, out = cli(capsys)
    assert (
        code == 1
        and f"data/events.csv:{line}:notes: the cell holds 1,000,001 characters; the limit is 1,000,000 [cell-too-large]" in out
    )


def test_an_unclosed_quote_is_reported_at_the_line_it_opens(in_package, capsys):
    path = in_package.csv_path("events")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if i >= 3 and line.endswith('"\n'))
    lines[number] = lines[number][:-2] + "\n"  # the last cell's closing quote is lost: the rows below fall inside it
    path.write_text("".join(lines), encoding="utf-8")
    code, out = cli(capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(f"data/events.csv:{number + 1}:notes: a quote opened on this line stays open")
    assert "[foreign-key]" not in out  # no knock-on errors from rows the quote swallowed


def test_a_quote_left_open_at_the_end_of_the_file_is_reported(in_package, capsys):
    path = in_package.csv_path("places")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append('pl-zz-new,"A name whose quote nothing closes\n')
    path.write_text("".join(lines), encoding="utf-8")
    code, out = cli(capsys)
    assert (
        code == 1 and f"data/places.csv:{len(lines)}:name: a quote opened on this line stays open to the end of the file" in out
    )


def run_with_timeout(copy: PackageCopy) -> subprocess.CompletedProcess:
    """A separate process with a deadline: a validator that hangs fails the test instead of hanging it."""
    script = REPO / "scripts" / "validate.py"
    return subprocess.run([sys.executable, str(script)], cwd=copy.root, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda path: os.mkfifo(path), "is a FIFO (named pipe), not a regular file"),
        (lambda path: os.symlink("/dev/zero", path), "leads outside the package directory (to /dev/zero)"),
        (lambda path: os.symlink("/etc/passwd", path), "leads outside the package directory (to /etc/passwd)"),
        (lambda path: path.mkdir(), "is a directory, not a regular file"),
    ],
)
def test_a_special_file_as_a_table_is_refused_before_it_is_opened(in_package, make, says):
    path = in_package.csv_path("places")
    path.unlink()
    make(path)
    result = run_with_timeout(in_package)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"datapackage.json:resources[2].path: resource 2 (places): data/places.csv {says} [resource-path]" in result.stdout


def test_a_fifo_as_a_schema_is_refused_before_it_is_opened(in_package):
    path = in_package.root / "schemas" / "places.schema.json"
    path.unlink()
    os.mkfifo(path)
    result = run_with_timeout(in_package)
    assert result.returncode == 1 and "is a FIFO (named pipe), not a regular file" in result.stdout
