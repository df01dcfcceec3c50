"""The CSV layout the package promises: UTF-8 without BOM, LF line ends, one record a line, rows sorted by key.

Frictionless reads a BOM, CRLF, unsorted rows or a quoted cell that runs over several lines without complaint,
and does not locate an encoding error to its line, so these byte-level checks are written here; everything
about cells, types and keys is left to the other layers. Each file is read once, a line at a time, so a file
of any length costs the memory of one line.

A quoted cell may hold a line break (the hygiene rules report it); the other layers count records, not lines,
so where a record spans lines a `LineMap` turns their record numbers into line numbers. A file whose records
cannot be told apart (an unclosed quote, undecodable bytes, a line over the limit) is "unfit": the cell-level
layers skip it, since every row number they gave would be wrong.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from package import Package, Resource, display_path
from problems import Problem

CELL_LIMIT = 1_000_000  # characters in one cell; documented in the README
SNIFF_BYTES = 1024  # what csvkit and `sqlite-utils --sniff` read to guess a CSV's dialect
LINE_LIMIT = 16 * 1024 * 1024  # bytes in one line, so one endless line cannot exhaust memory


@dataclass
class LineMap:
    """Record numbers (the header is record 1) to the line each starts on, in a file where some records span lines."""

    records: list[int] = field(default_factory=list)  # records that span several lines, in order
    shifts: list[int] = field(default_factory=list)  # extra lines up to and including each of them

    def add(self, record: int, extra_lines: int) -> None:
        self.records.append(record)
        self.shifts.append((self.shifts[-1] if self.shifts else 0) + extra_lines)

    def line(self, record: int) -> int:
        before = bisect_right(self.records, record - 1)
        return record + (self.shifts[before - 1] if before else 0)


@dataclass
class Layout:
    problems: list[Problem] = field(default_factory=list)
    unfit: dict[str, str] = field(default_factory=dict)  # shown path -> why its cells cannot be checked
    line_maps: dict[str, LineMap] = field(default_factory=dict)  # shown path -> record-to-line map, where needed

    def line(self, shown: str, record: int | None) -> int | None:
        """The line a record (numbered from 1, the header) starts on in a file."""
        line_map = self.line_maps.get(shown)
        return record if record is None or line_map is None else line_map.line(record)


def check_csv_format(package: Package) -> Layout:
    layout = Layout()
    for resource in package.resources:
        shown = display_path(resource.path)
        problems, unfit, line_map = _check_resource(resource)
        layout.problems += problems
        if unfit:
            layout.unfit[shown] = unfit
        elif line_map.records:
            layout.line_maps[shown] = line_map
    return layout


class _Unfit(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _check_resource(resource: Resource) -> tuple[list[Problem], str | None, LineMap]:
    shown = display_path(resource.path)
    line_map = LineMap()
    try:
        handle = resource.path.open("rb")
    except OSError:
        return [], None, line_map  # the structure checks and frictionless report the missing or unreadable file
    problems: list[Problem] = []
    with handle:
        problems += _guessable(shown, handle.read(SNIFF_BYTES))
        handle.seek(0)
        lines = _Lines(handle, shown, problems)
        try:
            _check_records(resource, shown, lines, problems, line_map)
        except _Unfit as exc:
            problems.append(exc.problem)
            return problems, f"at line {exc.problem.row} [{exc.problem.rule}]", line_map
    return problems, None, line_map


class _Lines:
    """The file's lines as text, one at a time, noting BOM, CR and a missing final newline on the way."""

    def __init__(self, handle, shown: str, problems: list[Problem]):
        self.handle, self.shown, self.problems = handle, shown, problems
        self.number = 0
        self.seen_cr = False
        self.pending: list[str] = []  # the lines of the record being read

    def __iter__(self):
        while True:
            raw = self.handle.readline(LINE_LIMIT + 1)
            if not raw:
                return
            self.number += 1
            if len(raw) > LINE_LIMIT:
                raise _Unfit(
                    Problem(
                        self.shown,
                        self.number,
                        None,
                        "line-too-long",
                        f"the line is longer than {LINE_LIMIT:,} bytes: not a row of this package",
                    )
                )
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                self.problems.append(
                    Problem(
                        self.shown, 1, None, "no-bom", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
                    )
                )
                raw = raw[3:]
            if b"\r" in raw and not self.seen_cr:
                self.seen_cr = True
                self.problems.append(
                    Problem(
                        self.shown,
                        self.number,
                        None,
                        "lf-line-endings",
                        "line ends with a carriage return (CRLF); use LF line endings",
                    )
                )
            if not raw.endswith(b"\n"):
                self.problems.append(
                    Problem(
                        self.shown, self.number, None, "final-newline", "the last line has no line ending; end the file with LF"
                    )
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _Unfit(
                    Problem(
                        self.shown,
                        self.number,
                        None,
                        "encoding",
                        f"byte 0x{raw[exc.start]:02x} at position {exc.start + 1} is not valid UTF-8; save the file as UTF-8",
                    )
                ) from None
            self.pending.append(text)
            yield text


def _guessable(shown: str, head: bytes) -> list[Problem]:
    """Tools that guess the dialect from the first kilobyte (Python's csv.Sniffer, as csvkit and sqlite-utils do)
    must find the comma and the double quote, or they read one column, or split on spaces, without a word."""
    try:
        dialect = csv.Sniffer().sniff(head.decode("utf-8", errors="ignore"))
        guessed = (dialect.delimiter, dialect.quotechar)
    except csv.Error:
        guessed = None
    if guessed == (",", '"'):
        return []
    told = f"they guess delimiter {guessed[0]!r} and quote {guessed[1]!r}" if guessed else "they cannot tell the delimiter"
    return [
        Problem(
            shown,
            1,
            None,
            "dialect-guessable",
            f"tools that guess a CSV's format from its first kilobyte misread this file ({told}): "
            "quote every text cell, as `make format` writes the file",
        )
    ]


def _check_records(resource: Resource, shown: str, lines: _Lines, problems: list[Problem], line_map: LineMap) -> None:
    """Records that can be told apart, no cell over the limit, rows sorted by primary key (a new row lands in one place)."""
    previous_limit = csv.field_size_limit(LINE_LIMIT)
    last_line = 0
    header: list[str] | None = None
    try:
        reader = csv.reader(iter(lines), strict=True)
        key_index: list[int] = []
        previous_key = None
        for number, record in enumerate(reader, start=1):
            first, last_line = last_line + 1, lines.number
            opening, lines.pending = lines.pending[:1], []
            if header is None:
                header = record
                pk = resource.primary_key
                key_index = [header.index(name) for name in pk] if pk and all(name in header for name in pk) else []
            if last_line > first:
                if len(record) != len(header):  # a quote left open swallowed the lines after it
                    raise _Unfit(_unclosed(shown, first, _open_column(opening, header), last_line))
                line_map.add(number, last_line - first)
            for index, cell in enumerate(record):
                if len(cell) > CELL_LIMIT:
                    column = header[index] if index < len(header) else None
                    problems.append(
                        Problem(
                            shown,
                            first,
                            column,
                            "cell-too-large",
                            f"the cell holds {len(cell):,} characters; the limit is {CELL_LIMIT:,}",
                        )
                    )
            if first == 1 or not key_index or len(record) <= max(key_index):
                continue
            key = tuple(record[i] for i in key_index)
            if previous_key is not None and key < previous_key:
                problems.append(
                    Problem(
                        shown,
                        first,
                        resource.primary_key[0],
                        "sorted-by-primary-key",
                        f"row is out of order: key {'/'.join(key)} comes after {'/'.join(previous_key)}; "
                        f"sort rows by {', '.join(resource.primary_key)}",
                    )
                )
                key_index = []  # one report per file: after the first, the order of the rest says little
            previous_key = key
    except csv.Error as exc:
        start, at_end = last_line + 1, "unexpected end of data" in str(exc)
        if lines.number > start or at_end:  # the record that failed opened a quote lines ago
            raise _Unfit(_unclosed(shown, start, _open_column(lines.pending[:1], header), lines.number, at_end)) from None
        raise _Unfit(Problem(shown, lines.number, None, "csv-syntax", f"the CSV cannot be read here: {exc}")) from None
    finally:
        csv.field_size_limit(previous_limit)


def _open_column(opening: list[str], header: list[str] | None) -> str | None:
    """The column whose quote the line leaves open: read alone, the line ends inside its last cell."""
    if not opening or not header:
        return None
    cells = next(csv.reader([opening[0]], strict=False), [])
    return header[len(cells) - 1] if 0 < len(cells) <= len(header) else None


def _unclosed(shown: str, line: int, column: str | None, last_line: int, at_end: bool = False) -> Problem:
    where = "to the end of the file" if at_end else f"until line {last_line}, swallowing the rows between"
    return Problem(shown, line, column, "unclosed-quote", f"a quote opened on this line stays open {where}: close it")


def read_header(path: Path) -> list[str]:
    """The first record of a CSV, for annotations and header checks (reads one line)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])
