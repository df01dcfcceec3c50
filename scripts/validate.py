"""Validate the data package and print every problem as `file:row:column: message [rule]`.

Usage: python scripts/validate.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--format text|json] [--max-per-rule N]
Exit status: 0 valid; 1 problems found; 2 the package could not be checked in full (a check failed to run,
or the descriptor cannot be read) or a usage error.

Layers run in order: the package's skeleton (descriptor and schemas; nothing else runs until it is sound), its
metadata and CSV layout, frictionless (cells, keys, foreign keys), then pandera (the schema's constraints on every
row, and the rules across columns, rows and tables, including provenance against the archived texts).
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from archive import Archive
from csv_format import check_csv_format
from metadata_checks import check_metadata
from package import PackageError, display_path, load_package, read_json
from problems import RULE_ERROR, Omitted, Problem, is_disabled, limit_per_rule, sorted_problems
from report import as_github_annotations, as_json, as_omitted_text, as_skipped_text, as_text, summary
from structure_checks import check_skeleton

DEFAULT_ARCHIVE = Path("../shared/sources")
DEFAULT_LIMIT = 50  # problems listed per rule and file; the rest are counted


@dataclass
class Result:
    problems: list[Problem]
    skipped: list[str] = field(default_factory=list)  # checks that could not run: not passed, not failed
    columns: dict[str, list[str]] = field(default_factory=dict)  # file -> header, for annotations
    omitted: list[Omitted] = field(default_factory=list)  # more problems of a rule than are listed
    unreadable: bool = False  # the descriptor itself could not be read: nothing was checked

    @property
    def valid(self) -> bool:
        return not self.problems and not self.omitted

    @property
    def complete(self) -> bool:
        """Every check ran: no rule failed to run and the package could be read."""
        return not self.unreadable and not any(p.rule == RULE_ERROR for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 2 if not self.complete else 0 if self.valid else 1


def validate_package(
    descriptor_path: str | Path,
    archive: str | Path = DEFAULT_ARCHIVE,
    *,
    disabled: frozenset[str] | set[str] = frozenset(),
    limit: int | None = None,
    parallel: bool = False,
) -> Result:
    """Every problem all layers find, sorted by file and row. The one function the CLI and the tests call.

    `disabled` names rules to leave out, as `rule` or `rule@table` (the knockout tests use it); `limit` caps the problems listed per
    rule and file (None lists all); `parallel` runs frictionless in a second process beside pandera.
    """
    disabled = frozenset(disabled)
    descriptor_path = Path(os.path.abspath(descriptor_path))
    try:
        descriptor = read_json(descriptor_path)
    except PackageError as exc:
        return Result(_kept([Problem(exc.file, None, None, "package", exc.message)], disabled, {}), unreadable=True)
    problems = _guarded("structure", descriptor_path, lambda: check_skeleton(descriptor_path, descriptor))
    if problems:
        return _skeleton_only(problems, disabled, descriptor_path, descriptor)
    try:
        package = load_package(descriptor_path)
    except PackageError as exc:
        return Result([Problem(exc.file, None, None, "package", exc.message)], unreadable=True)
    problems = _guarded("metadata", descriptor_path, lambda: check_metadata(package))
    try:
        layout = check_csv_format(package)
    except Exception as exc:
        return Result([*problems, _rule_error(descriptor_path, f"the CSV layout checks could not run: {_one_line(exc)}")])
    problems += layout.problems
    # frictionless (its profiles, then its layer) in a second process while pandera works, when parallel
    first = _frictionless(descriptor_path, descriptor, package, layout, parallel)
    if not parallel and first()[0]:
        return _skeleton_only(first()[0], disabled, descriptor_path, descriptor)
    found: Counter = Counter()
    unreadable: dict[str, str] = {}
    skipped: list[str] = []
    try:
        from pandera_checks import check_with_pandera  # pandas and pandera load only when the data is read

        layer = check_with_pandera(package, Archive(archive), layout, disabled, limit)
        second, skipped, found, unreadable = layer.problems, layer.skipped, layer.found, layer.unreadable
    except Exception as exc:
        second = [_rule_error(descriptor_path, f"the pandera layer could not run: {_one_line(exc)}")]
    profile_problems, first_problems, first_skipped = first()
    if profile_problems:  # pandera ran on a schema frictionless refuses: what it found does not count
        return _skeleton_only(profile_problems, disabled, descriptor_path, descriptor)
    problems += first_problems + second
    skipped += first_skipped
    located = {p.file for p in problems if p.row is not None}
    for shown, reason in unreadable.items():  # a knock-on of a located problem, or a check that could not run
        if shown in located:
            skipped.append(f"cells of {shown}: {reason}")
        else:
            problems.append(Problem(shown, None, None, RULE_ERROR, f"{reason}; none of its rules ran"))
    tables = {display_path(r.path): r.name for r in package.resources}
    kept, omitted = limit_per_rule(sorted_problems(_kept(problems, disabled, tables)), found, limit)
    columns = {display_path(r.path): r.field_names for r in package.resources}
    return Result(kept, sorted(set(skipped)), columns, omitted)


def _skeleton_only(problems: list[Problem], disabled, descriptor_path: Path, descriptor: dict) -> Result:
    skipped = ["every other check: fix datapackage.json and the table schemas first"]
    return Result(_kept(problems, disabled, _tables_named(descriptor_path, descriptor)), skipped)


def _tables_named(descriptor_path: Path, descriptor: dict) -> dict[str, str]:
    """Each data file the descriptor names, as shown in problems, with its table's name (when both are strings)."""
    resources = descriptor.get("resources") if isinstance(descriptor.get("resources"), list) else []
    return {
        display_path(descriptor_path.parent / r["path"]): r["name"]
        for r in resources
        if isinstance(r, dict) and isinstance(r.get("path"), str) and isinstance(r.get("name"), str)
    }


def _rule_error(descriptor_path: Path, message: str) -> Problem:
    return Problem(display_path(descriptor_path), None, None, RULE_ERROR, message)


def _frictionless(descriptor_path: Path, descriptor: dict, package, layout, parallel: bool):
    """A function that returns frictionless's profile problems, its layer's problems and its skipped checks: computed at
    once, or in a second process (which alone imports frictionless: the other layers do not need it)."""
    from frictionless_checks import check_profiles_then_cells

    def failed(exc) -> tuple[list[Problem], list[Problem], list[str]]:
        return [], [_rule_error(descriptor_path, f"frictionless could not run: {_one_line(exc)}")], []

    if not parallel:
        try:
            result = check_profiles_then_cells(descriptor_path, descriptor, package, layout)
        except Exception as exc:
            result = failed(exc)
        return lambda: result
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may already hold pyarrow's threads, which a forked child would inherit locked.
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(check_profiles_then_cells, descriptor_path, descriptor, package, layout)

    def result() -> tuple[list[Problem], list[Problem], list[str]]:
        try:
            return future.result()
        except Exception as exc:  # the child failed or died (out of memory): the check did not run
            return failed(exc)
        finally:
            pool.shutdown()

    return result


def _guarded(layer: str, descriptor_path: Path, run) -> list[Problem]:
    """A layer's problems; a layer that raises is a rule error, never a pass."""
    try:
        return run()
    except Exception as exc:
        return [
            Problem(display_path(descriptor_path), None, None, RULE_ERROR, f"the {layer} checks could not run: {_one_line(exc)}")
        ]


def _kept(problems: list[Problem], disabled: frozenset[str], tables: dict[str, str]) -> list[Problem]:
    """Problems of rules not disabled: frictionless cannot leave out one check, so its findings are dropped instead."""
    return [p for p in problems if not is_disabled(disabled, p.rule, tables.get(p.file))]


def _one_line(text) -> str:
    return " ".join(str(text).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the Cambodia–China anti-fraud data package.")
    parser.add_argument(
        "datapackage", nargs="?", default="datapackage.json", help="path to datapackage.json (default: ./datapackage.json)"
    )
    parser.add_argument(
        "--archive",
        default=str(DEFAULT_ARCHIVE),
        metavar="DIR",
        help="directory of archived source texts, found by SHA-256 (default: ../shared/sources)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="how to print the problems (default: text)")
    parser.add_argument(
        "--max-per-rule",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"list at most N problems per rule and file, and count the rest (default {DEFAULT_LIMIT}; 0 lists all)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=2 if (os.cpu_count() or 1) > 1 else 1,
        help="2 runs frictionless in a second process beside the other layers (default on 2+ cores); 1 runs them in turn",
    )
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")  # exits 2: a usage error, not a data problem
    if args.max_per_rule < 0:
        parser.error("--max-per-rule must be 0 or more")
    result = validate_package(args.datapackage, args.archive, limit=args.max_per_rule or None, parallel=args.jobs == 2)
    if args.format == "json":
        print(as_json(result))
    else:
        if result.problems:
            print(as_text(result.problems))
        if result.omitted:
            print(as_omitted_text(result.omitted))
        if result.skipped:
            print(as_skipped_text(result.skipped), file=sys.stderr)
        print(summary(result), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true" and result.problems:
        print(as_github_annotations(result.problems, result.columns))
    return result.exit_code


if __name__ == "__main__":
    # pandera imports hypothesis, when it is installed (the tests need it), to synthesise data, which validating
    # never does: a sixth of the run. Without hypothesis installed nothing changes.
    sys.modules.setdefault("hypothesis", None)
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is printed: skip the 0.1 s pyarrow's thread pools take to wind down at exit.
    os._exit(code)
