"""Turn a list of problems into what a person, a program or GitHub Actions reads."""

from __future__ import annotations

import json

from problems import Omitted, Problem


def as_text(problems: list[Problem]) -> str:
    """`file:row:column: message [rule]`, one problem a line, like a compiler's diagnostics.

    Row and column are left out when the problem concerns the whole file or row.
    """
    lines = []
    for p in problems:
        place = ":".join(str(part) for part in (p.file, p.row, p.column) if part)
        lines.append(f"{place}: {p.message} [{p.rule}]")
    return "\n".join(lines)


def as_omitted_text(omitted: list[Omitted]) -> str:
    return "\n".join(f"{o.file}: … and {o.count:,} more [{o.rule}] (--max-per-rule 0 lists them all)" for o in omitted)


def as_json(result) -> str:
    """The whole result: `complete` is false when some check could not run (exit status 2)."""
    return json.dumps(
        {
            "valid": result.valid,
            "complete": result.complete,
            "problems": [p.to_dict() for p in result.problems],
            "omitted": [o.to_dict() for o in result.omitted],
            "skipped": list(result.skipped),
        },
        ensure_ascii=False,
        indent=2,
    )


def _escape_annotation(text: str, *, is_property: bool = False) -> str:
    # GitHub's workflow-command escaping: %, CR and LF always; ':' and ',' inside properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github_annotations(problems: list[Problem], columns: dict[str, list[str]] | None = None) -> str:
    """`::error file=…,line=…,col=…,title=…::…` lines, so a pull request shows each problem on its CSV line.

    `columns` maps a file to its header, to turn a column name into the column number GitHub wants.
    """
    lines = []
    for p in problems:
        props = [f"file={_escape_annotation(p.file, is_property=True)}"]
        if p.row:
            props.append(f"line={p.row}")
        header = (columns or {}).get(p.file, [])
        if p.column in header:
            props.append(f"col={header.index(p.column) + 1}")
        props.append(f"title={_escape_annotation(p.rule + (' in ' + p.column if p.column else ''), is_property=True)}")
        lines.append(f"::error {','.join(props)}::{_escape_annotation(p.message)}")
    return "\n".join(lines)


def as_skipped_text(skipped: list[str]) -> str:
    return "\n".join(f"skipped (not checked): {line}" for line in skipped)


def summary(result) -> str:
    skipped = result.skipped
    note = f" {len(skipped)} check{'s' if len(skipped) != 1 else ''} skipped (see above)." if skipped else ""
    if not result.complete:
        errors = sum(1 for p in result.problems if p.rule == "rule-error")
        why = f"{errors} check{'s' if errors != 1 else ''} failed to run" if errors else "its descriptor cannot be read"
        return f"The package could not be checked in full ({why}): do not rely on it until this is fixed." + note
    if result.valid:
        return "The package is valid: no problems found." + note
    count = len(result.problems) + sum(o.count for o in result.omitted)
    files = len({p.file for p in result.problems} | {o.file for o in result.omitted})
    return f"{count:,} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}." + note
