"""Mutations of the code that tests must catch, for the knockout suite (tests/test_knockout.py).

Each mutation changes one guarantee the way a careless edit would (a check that always passes, a step left out)
and names the tests that guard it. `KNOCKOUT=<name> pytest <guards>` applies it for that run (tests/conftest.py);
the knockout suite runs each so and expects the guards to fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Mutation:
    apply: Callable[[pytest.MonkeyPatch], None]
    guards: tuple[str, ...]  # pytest node ids, relative to the repository


def _no_descriptor_profile(mp):
    import structure_checks

    mp.setattr(structure_checks, "_frictionless_descriptor_problems", lambda shown, descriptor: [])


def _resource_title_not_required(mp):
    import metadata_checks

    mp.setattr(metadata_checks, "REQUIRED_RESOURCE_KEYS", ("name", "path", "schema"))


def _rule_errors_dropped(mp):
    import pandera_checks

    original = pandera_checks._to_problems

    def placed_only(shown, resource, frame, cases, *args):
        return original(shown, resource, frame, cases[cases["index"].notna()], *args)

    mp.setattr(pandera_checks, "_to_problems", placed_only)
    mp.setattr(pandera_checks, "_rule_error", lambda *args: pandera_checks.Problem("x", None, None, "ignored", "ignored"))


def _checksums_top_level_only(mp):
    import hashlib

    import release

    def top_level(directory):
        lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in sorted(directory.iterdir()) if p.is_file()]
        (directory / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")

    mp.setattr(release, "write_checksums", top_level)


def _canned_query_dropped(mp):
    import views

    mp.setattr(views, "QUERIES", {k: v for k, v in views.QUERIES.items() if k != "actor_dossier"})
    import datasette_metadata

    mp.setattr(datasette_metadata, "QUERIES", views.QUERIES)


def _label_columns_dropped(mp):
    import datasette_metadata

    mp.setattr(datasette_metadata, "LABEL_COLUMNS", ())


def _build_integrity_check_removed(mp):
    import build

    mp.setattr(build, "_check_integrity", lambda path: None)


def _plots_draw_nothing(mp):
    import plot

    original = plot.draw_timeline

    def fewer(tables, path):
        tables = {**tables, "events": tables["events"].head(3)}
        return original(tables, path)

    mp.setattr(plot, "draw_timeline", fewer)


def _writers_skip_validation(mp):
    import validated
    from package import load_package

    mp.setattr(validated, "validated_package", lambda descriptor, archive: load_package(descriptor))


def _output_paths_unchecked(mp):
    import owned_paths

    mp.setattr(owned_paths, "owned", lambda root, *parts: root.joinpath(*parts))


def _whole_numbers_as_double(mp):
    import parquet_tables

    mp.setattr(parquet_tables, "_all_whole", lambda values: False)


def _staging_never_cleared(mp):
    import staging

    mp.setattr(staging, "_remove", lambda path: None)


def _precision_a_standing_facet(mp):
    import datasette_metadata

    mp.setattr(datasette_metadata, "NOT_FACETS", ())


def _facet_columns_unindexed(mp):
    import database

    mp.setattr(database, "facet_columns", lambda resource: [])


def _lookups_not_shared(mp):
    import frictionless_lookups

    frictionless_lookups.unshare_lookups()
    mp.setattr(frictionless_lookups, "share_lookups", lambda: False)


def _lookups_kept_between_validations(mp):
    import frictionless_lookups

    kept: dict = {}
    mp.setattr(frictionless_lookups, "_read_in_this_validation", lambda resource: kept)


def _lookups_by_table_alone(mp):
    import frictionless_lookups

    mp.setattr(frictionless_lookups, "_target", lambda resource, fk: fk["reference"]["resource"] or resource.name)


def _failure_tables_built_at_once(mp):
    import contextlib

    import pandera_checks

    mp.setattr(pandera_checks, "failure_tables_built_when_read", contextlib.nullcontext)


def _failures_without_a_row_dropped(mp):
    import pandera_checks

    listed = pandera_checks.failure_cases

    def with_rows_only(errors):
        cases = listed(errors)
        return cases[cases["index"].notna()]

    mp.setattr(pandera_checks, "failure_cases", with_rows_only)


def _outputs_not_flushed(mp):
    import build
    import release

    mp.setattr(build, "flush_to_disk", lambda path: None)
    mp.setattr(release, "flush_to_disk", lambda path: None)


MUTATIONS = {
    "descriptor-profile-dropped": Mutation(
        _no_descriptor_profile,
        (
            "tests/test_rule_matrix.py::test_the_rule_reports_its_breakage_at_each_cell_it_covers[package-structure]",
            "tests/test_hostile_packages.py",
        ),
    ),
    "resource-title-not-required": Mutation(
        _resource_title_not_required,
        ("tests/test_rule_matrix.py::test_the_rule_reports_its_breakage_at_each_cell_it_covers[resource-metadata]",),
    ),
    "rule-errors-dropped": Mutation(_rule_errors_dropped, ("tests/test_no_silent_pass.py",)),
    "checksums-top-level-only": Mutation(_checksums_top_level_only, ("tests/test_release.py",)),
    "canned-query-dropped": Mutation(_canned_query_dropped, ("tests/test_datasette.py",)),
    "label-columns-dropped": Mutation(_label_columns_dropped, ("tests/test_datasette.py",)),
    "build-integrity-check-removed": Mutation(_build_integrity_check_removed, ("tests/test_build.py",)),
    "timeline-draws-three-events": Mutation(_plots_draw_nothing, ("tests/test_plots.py",)),
    "writers-skip-validation": Mutation(_writers_skip_validation, ("tests/test_refused_runs_write_nothing.py",)),
    "output-paths-unchecked": Mutation(_output_paths_unchecked, ("tests/test_output_paths.py", "tests/test_release.py")),
    "parquet-whole-numbers-as-double": Mutation(_whole_numbers_as_double, ("tests/test_release.py",)),
    "staging-never-cleared": Mutation(_staging_never_cleared, ("tests/test_output_paths.py",)),
    "precision-a-standing-facet": Mutation(
        _precision_a_standing_facet,
        ("tests/test_datasette.py::test_precision_columns_are_not_counted_on_every_page_but_can_be_on_request",),
    ),
    "frictionless-lookups-not-shared": Mutation(
        _lookups_not_shared,
        ("tests/test_frictionless_lookups.py::test_each_referenced_table_is_read_once_however_many_tables_point_at_it",),
    ),
    "frictionless-lookups-kept-between-validations": Mutation(
        _lookups_kept_between_validations,
        (
            "tests/test_frictionless_lookups.py::test_a_referenced_table_changed_between_two_validations_is_read_again",
            "tests/test_frictionless_lookups.py::test_one_package_validated_twice_reads_a_changed_table_again",
        ),
    ),
    "frictionless-lookups-by-table-alone": Mutation(
        _lookups_by_table_alone,
        ("tests/test_frictionless_lookups.py::test_keys_to_other_columns_of_a_table_and_to_the_table_itself_are_read_apart",),
    ),
    "pandera-failure-tables-built-at-once": Mutation(
        _failure_tables_built_at_once,
        ("tests/test_pandera_failures.py::test_a_validation_builds_no_failure_table_and_leaves_pandera_as_it_came",),
    ),
    "pandera-failures-without-a-row-dropped": Mutation(
        _failures_without_a_row_dropped,
        ("tests/test_pandera_failures.py::test_the_listed_failures_are_pandera_s_failure_cases",),
    ),
    "build-outputs-not-flushed": Mutation(
        _outputs_not_flushed,
        (
            "tests/test_build.py::test_each_output_is_on_disk_before_it_replaces_the_last_good_one",
            "tests/test_release.py::test_every_released_file_is_on_disk_before_the_renames_that_replace_the_last_release",
        ),
    ),
    "facet-columns-unindexed": Mutation(
        _facet_columns_unindexed,
        ("tests/test_build.py::test_every_facet_of_every_table_leads_an_index_so_counting_by_it_reads_the_index",),
    ),
}
