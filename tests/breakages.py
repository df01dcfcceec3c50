"""Each rule's own breakage: the minimal corruption that must trip it, wherever the rule registry says it applies.

`BREAKAGES[rule](copy, entry)` corrupts the package copy at one place the rule covers (entry.table,
entry.column) and returns where the problem must be reported. The rule-matrix test applies every breakage of
a rule to one copy and checks each is reported at exactly its cell, by that rule, and by no other rule except
those any change of that value trips (a pattern, a foreign key, a quoted fragment). A rule the registry lists
without a breakage here fails that test: a new rule lands with its breakage.

How to add one: write a function that takes the copy and the entry, picks a row with `copy.pick(table, wanted)`
(so two breakages in one copy never share a row), changes as little as it can, and returns an `Expect`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from conftest import FILLER, PackageCopy
from rule_registry import Coverage

# Rules that almost any change of a value they cover trips: allowed beside the rule under test at its cell.
VALUE_SENSITIVE = frozenset(
    {
        "pattern",
        "enum",
        "foreign-key",
        "http-url",
        "printed-verbatim",
        "archived-text-present",
        "as-printed-shows-value",
        "citation-record-exists",
        "event-has-actor",
        "actor-is-used",
        "place-is-used",
        "verification-current",
        "primary-citation",
        "not-after-source-publication",
    }
)


@dataclass(frozen=True)
class Expect:
    file: str
    row: int | None
    column: str | None
    says: str = ""  # a fragment the message must hold
    also: frozenset[str] = field(default_factory=frozenset)  # other rules this corruption trips at the same cell


def _file(table: str) -> str:
    return f"data/{table}.csv"


def _schema(copy: PackageCopy, table: str) -> dict:
    return json.loads((copy.root / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))


def _field(copy: PackageCopy, table: str, column: str) -> dict:
    return next(f for f in _schema(copy, table)["fields"] if f["name"] == column)


def _cell(copy: PackageCopy, entry: Coverage, value, wanted=lambda row: True, says: str = "", also=()) -> Expect:
    """Replace one cell of a row `wanted` accepts with `value(old)` (or `value`), and expect the rule there."""
    index, row = copy.pick(entry.table, wanted, entry.column)
    new = value(row[entry.column]) if callable(value) else value
    line = copy.set_at(entry.table, index, entry.column, new)
    return Expect(_file(entry.table), line, entry.column, says, frozenset(also))


def _text(old: str) -> str:
    return old or "Some text"


# Text hygiene, on every string column.


def _inside(insert: str):
    return lambda old: _text(old)[:1] + insert + _text(old)[1:]


HYGIENE = {
    "no-surrounding-whitespace": (lambda old: _text(old) + " ", "starts or ends with white space"),
    "no-double-spaces": (_inside("  "), "two spaces in a row"),
    "no-control-characters": (_inside("\t"), "control character"),
    "no-invisible-characters": (_inside("\u202e"), "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "no-formula-prefix": (lambda old: "=" + _text(old), "runs as a formula"),
}


def _hygiene(rule: str):
    corrupt, says = HYGIENE[rule]

    def breakage(copy, entry):
        # A field with a format (a URI) is also checked for it by frictionless, which calls that a type error.
        also = {"type"} if _field(copy, entry.table, entry.column).get("format") else set()
        return _cell(copy, entry, corrupt, _filled(copy, entry), says=says, also=also)

    return breakage


def _filled(copy, entry):
    """Rows where the cell has a value, when any has: setting an empty cell can trip a rule about when it is set."""
    _, rows = copy.read_rows(entry.table)
    return (lambda row: row[entry.column] != "") if any(row[entry.column] for row in rows) else (lambda row: True)


# Types, bounds and the schema's constraints, on every column that has them.


def _bad_type(copy, entry):
    kind = _field(copy, entry.table, entry.column).get("type")
    value = {"date": "2025-9-1", "number": "1_2", "integer": "1_2"}[kind]  # frictionless reads 12: within any bound here
    return _cell(copy, entry, value, says=f'"{value}" is not')


def _bound(name: str):
    def breakage(copy, entry):
        limit = _field(copy, entry.table, entry.column)["constraints"][name]
        value = str(limit - 1 if name == "minimum" else limit + 1)
        also = {"ratio-is-positive", "count-is-whole"}
        return _cell(copy, entry, value, lambda row: row.get("unit") != "ratio", f"{value}", also)

    return breakage


def _not_matching(copy, entry):
    pattern = _field(copy, entry.table, entry.column)["constraints"]["pattern"]
    value = next(v for v in ("Not a match", "x", "0") if not re.fullmatch(pattern, v))
    return _cell(copy, entry, value, _filled(copy, entry), says="does not match the pattern")


def _not_allowed(copy, entry):
    return _cell(copy, entry, "not-an-allowed-value", says="is not one of the allowed values")


def _empty(copy, entry):
    key = _schema(copy, entry.table)["primaryKey"]
    also = {"primary-key"} if entry.column in key else set()  # frictionless: a key cannot be empty
    return _cell(copy, entry, "", lambda row: row[entry.column] != "", says="a value is required", also=also)


def _duplicate_value(copy, entry):
    _, rows = copy.read_rows(entry.table)
    return _cell(
        copy, entry, rows[0][entry.column], lambda row: row is not rows[0] and row[entry.column] != rows[0][entry.column]
    )


def _web_url(copy, entry):
    return _cell(copy, entry, "javascript:alert(1)", says="is not an http(s) web address")


def _duplicate_key(copy, entry):
    schema = _schema(copy, entry.table)
    key = schema["primaryKey"] if isinstance(schema["primaryKey"], list) else [schema["primaryKey"]]
    header, rows = copy.read_rows(entry.table)
    first, _ = copy.pick(entry.table)
    second, _ = copy.pick(entry.table, lambda row: row is not rows[first])
    for name in key:
        rows[second][name] = rows[first][name]
    rows.insert(first + 1, rows.pop(second))  # next to its twin, so the rows stay sorted
    copy.write_rows(entry.table, header, rows)
    return Expect(_file(entry.table), first + 3, key[0], "duplicate primary key")


def _dangling(copy, entry):
    pattern = _field(copy, entry.table, entry.column).get("constraints", {}).get("pattern", "")
    prefix = pattern.split("[")[0]
    return _cell(copy, entry, f"{prefix}zz-nowhere", _filled(copy, entry), says="no row of")


# Rules across columns, rows and tables: each with the corruption a careful editor would miss.


def _row(copy, entry, changes: dict, wanted=lambda row: True, says: str = "", also=()) -> Expect:
    """Change several cells of one row (values may be functions of the row); expect the rule at entry.column."""
    index, row = copy.pick(entry.table, wanted)
    header, rows = copy.read_rows(entry.table)
    for column, value in changes.items():
        rows[index][column] = value(row) if callable(value) else value
    copy.write_rows(entry.table, header, rows)
    return Expect(_file(entry.table), index + 2, entry.column, says, frozenset(also))


def _sources(copy) -> dict[str, dict]:
    return {row["source_id"]: row for row in copy.read_rows("sources")[1]}


def _archived(copy, row) -> bool:
    return bool(_sources(copy)[row["source_id"]]["sha256"])


def _event_archived(copy, row) -> bool:
    """An event_actors row quotes its event's source, which may or may not be archived."""
    event = next(e for e in copy.read_rows("events")[1] if e["event_id"] == row["event_id"])
    return _archived(copy, event)


def _latest(copy, source_id: str) -> str:
    source = _sources(copy)[source_id]
    return source["published_date"] or source["accessed_date"]


def _after_source(copy, entry):
    if entry.table == "figures":  # the figure's own source was published before its event
        events = {e["event_id"]: e for e in copy.read_rows("events")[1]}
        index, row = copy.pick("figures", lambda r: r["event_id"] in events and events[r["event_id"]]["start_date"])
        early = next(
            s
            for s in _sources(copy).values()
            if s["published_date"] and s["published_date"] < events[row["event_id"]]["start_date"]
        )
        line = copy.set_at("figures", index, "source_id", early["source_id"])
        return Expect(
            _file("figures"), line, "source_id", "after the figure's source", frozenset({"locator-required", "primary-citation"})
        )
    if entry.table == "agreements":
        return _row(copy, entry, {"date": "2099-01-01", "date_precision": "day"}, lambda r: r["date"], "a source cannot report")
    if entry.column == "start_date":
        return _row(
            copy, entry, {"start_date": "2099-01-01", "end_date": "2099-01-01", "date_precision": "day"}, says="cannot report"
        )
    return _row(  # an end after publication, in a window that is not a month or year
        copy,
        entry,
        {"start_date": lambda r: _latest(copy, r["source_id"]), "end_date": "2099-12-31", "date_precision": "range"},
        lambda r: r["start_date"],
        "cannot report",
    )


def _published_late(bound: str):
    """Read before it was published (accessed_date moved back), or published after the package was created."""

    def breakage(copy, entry):
        other = "published_date" if entry.column == "published_not_before" else "published_not_before"
        if bound == "accessed":
            changes = {"accessed_date": "2000-01-01"}
        else:
            changes = {entry.column: "2099-01-01", "accessed_date": "2099-01-01"}
        return _row(copy, entry, changes, lambda r: r[entry.column] and not r[other], "is after")

    return breakage


RULE_BREAKAGES = {
    "end-not-before-start": lambda copy, entry: _row(
        copy, entry, {"end_date": "2000-01-01"}, lambda r: r["start_date"] and r["end_date"], "is before start_date"
    ),
    "date-window-matches-precision": lambda copy, entry: _row(
        copy,
        entry,
        {"end_date": lambda r: r["start_date"][:8] + "28"},
        lambda r: r["date_precision"] == "day" and r["start_date"][8:] != "28",
        "date_precision is day",
    ),
    "date-matches-precision": lambda copy, entry: _row(
        copy, entry, {"date": lambda r: r["date"][:8] + "15"}, lambda r: r["date_precision"] == "month", "must be the 1st"
    ),
    "not-after-source-publication": _after_source,
    "published-before-accessed": _published_late("accessed"),
    "published-before-created": _published_late("created"),
    "exactly-one-parent": lambda copy, entry: _row(
        copy,
        entry,
        {"agreement_id": lambda r: copy.read_rows("agreements")[1][0]["agreement_id"]},
        lambda r: r["event_id"],
        "both are set",
    ),
    "currency-iff-money": lambda copy, entry: _row(
        copy, entry, {"currency": ""}, lambda r: r["unit"] == "currency", "unit is currency"
    ),
    "currency-is-iso-4217": lambda copy, entry: _row(
        copy, entry, {"currency": "XXX"}, lambda r: r["unit"] == "currency", "codes no money"
    ),
    "ratio-is-positive": lambda copy, entry: _row(
        copy, entry, {"value": "0"}, lambda r: r["unit"] == "ratio", "greater than 0", {"as-printed-shows-value"}
    ),
    "count-is-whole": lambda copy, entry: _row(
        copy, entry, {"value": lambda r: r["value"] + ".5"}, lambda r: r["unit"] == "person", "whole number"
    ),
    "as-printed-shows-value": lambda copy, entry: _row(
        copy, entry, {"value": lambda r: str(int(float(r["value"])) + 1)}, lambda r: r["unit"] != "ratio", "does not show value"
    ),
    "locator-required": lambda copy, entry: _row(
        copy, entry, {"source_locator": ""}, lambda r: _archived(copy, r), "give the paragraph"
    ),
    "locator-within-source": lambda copy, entry: _row(
        copy, entry, {"source_locator": "para 99"}, lambda r: _archived(copy, r), "beyond the end", {"printed-verbatim"}
    ),
    "locator-span-ordered": lambda copy, entry: _row(
        copy, entry, {"source_locator": "para 2-1"}, lambda r: _archived(copy, r), "is not a span", {"printed-verbatim"}
    ),
    "printed-verbatim": lambda copy, entry: _row(
        copy,
        entry,
        {entry.column: lambda r: r[entry.column] + " (not printed)"},
        lambda r: (
            r[entry.column]
            and (_event_archived(copy, r) if entry.table == "event_actors" else _archived(copy, r))
            and r.get("alias_type", "as_printed") == "as_printed"
        ),
        "is not verbatim",
    ),
    "summary-not-copied": lambda copy, entry: _row(
        copy, entry, {"summary": "It says " + FILLER}, lambda r: _archived(copy, r), "consecutive words"
    ),
    "archived-text-present": lambda copy, entry: _row(
        copy, entry, {"sha256": "0" * 64}, lambda r: r["sha256"], "no file in the archive"
    ),
    "actor-is-used": lambda copy, entry: _new_row(
        copy, "actors", "actor_id", "act-zz-unused", {"name": "Unused actor", "parent_actor_id": ""}
    ),
    "place-is-used": lambda copy, entry: _new_row(copy, "places", "place_id", "pl-zz-unused", {"name": "Unused place"}),
    "no-parent-cycle": lambda copy, entry: _row(
        copy, entry, {"parent_actor_id": lambda r: r["actor_id"]}, lambda r: r["parent_actor_id"], "its own ancestor"
    ),
    "event-has-actor": lambda copy, entry: _orphan_event(copy),
    "statement-has-speaker": lambda copy, entry: _speechless_statement(copy),
    "title-unique": lambda copy, entry: _duplicate_title(copy, entry),
    "citation-record-exists": lambda copy, entry: _row(
        copy, entry, {"record_id": "ev-zz-nowhere"}, lambda r: r["record_table"] == "events", "is not an id in events"
    ),
    "citation-not-repeated": lambda copy, entry: _repeated_citation(copy),
    "citation-note-required": lambda copy, entry: _row(
        copy, entry, {"note": ""}, lambda r: r["relation"] == "contradicts", "needs a note"
    ),
    "corroboration-independent": lambda copy, entry: _self_corroboration(copy),
    "primary-citation": lambda copy, entry: _without_report(copy, entry),
    "verification-current": lambda copy, entry: _row(
        copy, entry, {"verification": "corroborated"}, lambda r: r["verification"] == "uncorroborated", "make verdicts"
    ),
    "figure-not-above-its-record": lambda copy, entry: _corroborated_figure_of_contradicted_record(copy),
}


def _new_row(copy, table: str, key: str, value: str, changes: dict) -> Expect:
    header, rows = copy.read_rows(table)
    rows.append(dict(rows[0], **{key: value}, **changes))
    rows.sort(key=lambda r: r[key])
    copy.write_rows(table, header, rows)
    line = next(i for i, r in enumerate(rows) if r[key] == value) + 2
    return Expect(_file(table), line, key, "link it or remove it")


def _orphan_event(copy) -> Expect:
    index, event = copy.pick("events", lambda r: r["event_type"] != "statement")
    header, links = copy.read_rows("event_actors")
    copy.write_rows("event_actors", header, [r for r in links if r["event_id"] != event["event_id"]])
    return Expect(_file("events"), index + 2, "event_id", "has no row in event_actors")


def _speechless_statement(copy) -> Expect:
    index, event = copy.pick("events", lambda r: r["event_type"] == "statement")
    header, links = copy.read_rows("event_actors")
    for link in links:
        if link["event_id"] == event["event_id"] and link["role"] == "speaker":
            link["role"] = "subject"
    copy.write_rows("event_actors", header, links)
    return Expect(_file("events"), index + 2, "event_type", "statement with no speaker")


def _duplicate_title(copy, entry) -> Expect:
    _, rows = copy.read_rows(entry.table)
    return _row(copy, entry, {"title": rows[0]["title"]}, lambda r: r["title"] != rows[0]["title"], "already has the title")


def _repeated_citation(copy) -> Expect:
    header, rows = copy.read_rows("citations")
    first, original = copy.pick("citations", lambda r: r["relation"] == "corroborates")
    twin = dict(original, citation_id=original["citation_id"] + "-twin")
    rows.insert(first + 1, twin)
    copy.write_rows("citations", header, rows)
    return Expect(_file("citations"), first + 3, "relation", "already cites")


def _self_corroboration(copy) -> Expect:
    own = {}
    for table, key in (("events", "event_id"), ("figures", "figure_id"), ("agreements", "agreement_id")):
        own.update({(table, r[key]): r["source_id"] for r in copy.read_rows(table)[1]})
    index, row = copy.pick("citations", lambda r: r["relation"] == "corroborates" and (r["record_table"], r["record_id"]) in own)
    line = copy.set_at("citations", index, "source_id", own[(row["record_table"], row["record_id"])])
    return Expect(_file("citations"), line, "source_id", "cannot corroborate it", frozenset({"citation-not-repeated"}))


def _without_report(copy, entry) -> Expect:
    key = {"events": "event_id", "figures": "figure_id", "agreements": "agreement_id"}[entry.table]
    index, row = copy.pick(entry.table)
    header, citations = copy.read_rows("citations")
    copy.write_rows(
        "citations", header, [c for c in citations if not (c["record_id"] == row[key] and c["relation"] == "reports")]
    )
    return Expect(_file(entry.table), index + 2, "source_id", "has no `reports` citation")


def _corroborated_figure_of_contradicted_record(copy) -> Expect:
    contradicted = {r["event_id"] for r in copy.read_rows("events")[1] if r["verification"] == "contradicted"}
    contradicted |= {r["agreement_id"] for r in copy.read_rows("agreements")[1] if r["verification"] == "contradicted"}
    index, figure = copy.pick("figures", lambda r: (r["event_id"] or r["agreement_id"]) in contradicted)
    header, citations = copy.read_rows("citations")
    citations = [c for c in citations if not (c["record_id"] == figure["figure_id"] and c["relation"] == "contradicts")]
    other = next(s for s in _sources(copy) if s != figure["source_id"])
    citations.append(
        {
            **{h: "" for h in header},
            "citation_id": f"cit-{figure['figure_id'][4:]}-corroborates-zz",
            "record_table": "figures",
            "record_id": figure["figure_id"],
            "source_id": other,
            "relation": "corroborates",
            "note": "Says the same.",
        }
    )
    citations.sort(key=lambda r: r["citation_id"])
    copy.write_rows("citations", header, citations)
    figure_header, figures = copy.read_rows("figures")
    figures[index]["verification"] = "corroborated"  # kept current, so only this rule speaks
    copy.write_rows("figures", figure_header, figures)
    return Expect(_file("figures"), index + 2, "figure_id", "is contradicted")


BREAKAGES = {
    **{rule: _hygiene(rule) for rule in HYGIENE},
    "type": _bad_type,
    "minimum": _bound("minimum"),
    "maximum": _bound("maximum"),
    "pattern": _not_matching,
    "enum": _not_allowed,
    "required": _empty,
    "unique": _duplicate_value,
    "http-url": _web_url,
    "primary-key": _duplicate_key,
    "foreign-key": _dangling,
    **RULE_BREAKAGES,
}


# Rules about a whole file: its bytes, its layout, its header and the shape of its rows.


def _lines(copy, table: str) -> list[str]:
    return copy.csv_path(table).read_text(encoding="utf-8").splitlines(keepends=True)


def _write_lines(copy, table: str, lines: list[str]) -> None:
    copy.csv_path(table).write_text("".join(lines), encoding="utf-8")


def _unguessable(copy, entry) -> Expect:
    """Minimal quoting and a cell of single-quoted words near the top: the dialect a sniffer guesses is wrong."""
    import csv
    import io

    header, rows = copy.read_rows(entry.table)
    text = [f for f in _schema(copy, entry.table)["fields"] if f.get("type", "string") == "string"]
    free = [f["name"] for f in text if not {"pattern", "enum"} & set(f.get("constraints", {}))] or [text[-1]["name"]]
    # In the row's last free-text column (no delimiter follows, so each quoted word counts for the sniffer), and
    # enough of them to outnumber the double-quoted cells a long first row puts before them in the first kilobyte.
    rows[0][free[-1]] = " ".join(["'one' 'two' 'three' 'four' 'five' 'six' 'seven'"] * 3)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    copy.csv_path(entry.table).write_text(out.getvalue(), encoding="utf-8")
    return Expect(_file(entry.table), 1, None, "misread this file")


def _bom(copy, entry) -> Expect:
    path = copy.csv_path(entry.table)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Expect(_file(entry.table), 1, None, "byte-order mark")


def _crlf(copy, entry) -> Expect:
    lines = _lines(copy, entry.table)
    lines[1] = lines[1].replace("\n", "\r\n")
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), 2, None, "carriage return")


def _no_final_newline(copy, entry) -> Expect:
    lines = _lines(copy, entry.table)
    lines[-1] = lines[-1].rstrip("\n")
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), len(lines), None, "no line ending")


def _latin1(copy, entry) -> Expect:
    path = copy.csv_path(entry.table)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",", b",\xff", 1)
    path.write_bytes(b"\n".join(lines))
    return Expect(_file(entry.table), 3, None, "is not valid UTF-8")


def _open_quote(copy, entry) -> Expect:
    """A closing quote lost at the end of a line: the rows below fall inside the cell until the next quote."""
    lines = _lines(copy, entry.table)
    number = next(i for i, line in enumerate(lines) if 1 <= i < len(lines) - 1 and line.endswith('"\n'))
    lines[number] = lines[number][:-2] + "\n"
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), number + 1, _header(copy, entry.table)[-1], "stays open")


def _header(copy, table: str) -> list[str]:
    return [f["name"] for f in _schema(copy, table)["fields"]]


def _stray_quote(copy, entry) -> Expect:
    lines = _lines(copy, entry.table)
    lines[1] = lines[1].replace('",', '"x,', 1)
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), 2, None, "cannot be read here")


def _huge_cell(copy, entry) -> Expect:
    from csv_format import CELL_LIMIT

    column = next(
        f["name"]
        for f in _schema(copy, entry.table)["fields"]
        if f.get("type", "string") == "string" and not f.get("constraints", {}).get("pattern")
    )
    index, _ = copy.pick(entry.table, column=column)
    line = copy.set_at(entry.table, index, column, "x" * (CELL_LIMIT + 1))
    return Expect(_file(entry.table), line, column, "the limit is")


def _long_line(copy, entry) -> Expect:
    """Over LINE_LIMIT, which the matrix test lowers to 20,000 bytes for this rule (16 MiB per table is slow to write)."""
    lines = _lines(copy, entry.table)
    lines.insert(2, "x" * 25_000 + "\n")
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), 3, None, "longer than")


def _unsorted(copy, entry) -> Expect:
    lines = _lines(copy, entry.table)
    lines[1], lines[2] = lines[2], lines[1]
    _write_lines(copy, entry.table, lines)
    key = _schema(copy, entry.table)["primaryKey"]
    return Expect(_file(entry.table), 3, key[0] if isinstance(key, list) else key, "out of order")


def _drop_column(copy, entry) -> Expect:
    header, rows = copy.read_rows(entry.table)
    gone = header[-1]
    copy.write_rows(entry.table, header[:-1], [{k: v for k, v in row.items() if k != gone} for row in rows])
    return Expect(_file(entry.table), 1, gone, "lacks the column")


def _extra_column(copy, entry) -> Expect:
    header, rows = copy.read_rows(entry.table)
    copy.write_rows(entry.table, [*header, "zz_extra"], rows)
    return Expect(_file(entry.table), 1, "zz_extra", "does not define")


def _short_row(copy, entry) -> Expect:
    import csv
    import io

    lines = _lines(copy, entry.table)
    records = [next(csv.reader([line])) for line in lines]
    # A row whose last cell is empty, where there is one: only the cell count changes, not what the row says.
    number = next((i for i, cells in enumerate(records) if i and not cells[-1]), 1)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(records[number][:-1])  # a quoted comma is no cell
    lines[number] = out.getvalue()
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), number + 1, _header(copy, entry.table)[-1], "fewer cells", frozenset({"required"}))


def _long_row(copy, entry) -> Expect:
    lines = _lines(copy, entry.table)
    lines[1] = lines[1].rstrip("\n") + ',"extra"\n'
    _write_lines(copy, entry.table, lines)
    return Expect(_file(entry.table), 2, None, "more cells")


def _missing(copy, entry) -> Expect:
    copy.csv_path(entry.table).unlink()
    return Expect(_file(entry.table), None, None, "file not found")


FILE_BREAKAGES = {
    "dialect-guessable": _unguessable,
    "no-bom": _bom,
    "lf-line-endings": _crlf,
    "final-newline": _no_final_newline,
    "encoding": _latin1,
    "unclosed-quote": _open_quote,
    "csv-syntax": _stray_quote,
    "cell-too-large": _huge_cell,
    "line-too-long": _long_line,
    "sorted-by-primary-key": _unsorted,
    "missing-label": _drop_column,
    "extra-label": _extra_column,
    "missing-cell": _short_row,
    "extra-cell": _long_row,
    "missing-file": _missing,
}


# Rules about datapackage.json and the schemas.


def _descriptor(copy, change, column, says) -> Expect:
    data = json.loads(copy.descriptor.read_text(encoding="utf-8"))
    change(data)
    copy.descriptor.write_text(json.dumps(data), encoding="utf-8")
    return Expect("datapackage.json", None, column, says)


def _events_schema(copy, change, column, says) -> Expect:
    path = copy.root / "schemas" / "events.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(next(f for f in schema["fields"] if f["name"] == column))
    path.write_text(json.dumps(schema), encoding="utf-8")
    return Expect("schemas/events.schema.json", None, column, says)


PACKAGE_BREAKAGES = {
    "package": lambda copy, entry: (
        copy.descriptor.write_text("{not json", encoding="utf-8"),
        Expect("datapackage.json", None, None, "not valid JSON"),
    )[1],
    "package-structure": lambda copy, entry: _descriptor(
        copy, lambda d: d.__setitem__("licenses", "CC-BY"), None, "is not of type 'array'"
    ),
    "package-name": lambda copy, entry: _descriptor(
        copy, lambda d: d.__setitem__("name", "../../tmp/x"), "name", "must be a lowercase slug"
    ),
    "url-scheme": lambda copy, entry: _descriptor(
        copy, lambda d: d["licenses"][0].__setitem__("path", "javascript:alert(1)"), "licenses[1].path", "not an http(s)"
    ),
    "resource-path": lambda copy, entry: _descriptor(
        copy, lambda d: d["resources"][0].__setitem__("path", "/etc/passwd"), "resources[1].path", "relative path inside"
    ),
    "schema-structure": lambda copy, entry: _events_schema(
        copy, lambda f: f.__setitem__("type", "money"), "title", "not a Table Schema type"
    ),
    "package-metadata": lambda copy, entry: _descriptor(
        copy, lambda d: d.pop("keywords"), "keywords", 'needs a non-empty "keywords"'
    ),
    "resource-metadata": lambda copy, entry: _descriptor(
        copy, lambda d: [r.pop("title") for r in d["resources"]], "title", 'needs a non-empty "title"'
    ),
    "field-description": lambda copy, entry: _events_schema(copy, lambda f: f.pop("description"), "title", "needs a description"),
}
BREAKAGES.update(FILE_BREAKAGES)
BREAKAGES.update(PACKAGE_BREAKAGES)
