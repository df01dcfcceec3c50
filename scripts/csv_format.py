"""The CSV layout the package promises (UTF-8 without BOM, LF line ends, rows sorted by primary key).

Also locates an encoding error to its line, which frictionless does not.

Frictionless reads a BOM, CRLF or unsorted rows without complaint, so these few byte-level checks are
written here; everything about cells, types and keys is left to frictionless.
"""

from __future__ import annotations

import csv
import io

from package import Package, Resource, display_path
from problems import Problem


def check_csv_format(package: Package) -> list[Problem]:
    problems: list[Problem] = []
    for resource in package.resources:
        problems.extend(_check_resource(resource))
    return problems


def _check_resource(resource: Resource) -> list[Problem]:
    shown = display_path(resource.path)
    try:
        raw = resource.path.read_bytes()
    except OSError:
        return []  # frictionless reports the missing or unreadable file
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(shown, 1, None, "no-bom", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
    if b"\r" in raw:
        line = raw[: raw.index(b"\r")].count(b"\n") + 1
        problems.append(
            Problem(shown, line, None, "lf-line-endings", "line ends with a carriage return (CRLF); use LF line endings")
        )
    if raw and not raw.endswith(b"\n"):
        problems.append(
            Problem(shown, raw.count(b"\n") + 1, None, "final-newline", "the last line has no line ending; end the file with LF")
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(shown, line, None, "encoding", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
        )
        return problems
    problems.extend(_check_sorted(resource, shown, text))
    return problems


def _check_sorted(resource: Resource, shown: str, text: str) -> list[Problem]:
    """Rows sorted by primary key keep diffs small: a new row lands in one place only."""
    pk = resource.primary_key
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not pk or any(name not in rows[0] for name in pk):
        return []
    index = [rows[0].index(name) for name in pk]
    previous = None
    for line, row in enumerate(rows[1:], start=2):
        if len(row) <= max(index):
            continue
        key = tuple(row[i] for i in index)
        if previous is not None and key < previous:
            return [
                Problem(
                    shown,
                    line,
                    pk[0],
                    "sorted-by-primary-key",
                    f"row is out of order: key {_show(key)} comes after {_show(previous)}; sort rows by {', '.join(pk)}",
                )
            ]
        previous = key
    return []


def _show(key: tuple) -> str:
    return "/".join(key)
