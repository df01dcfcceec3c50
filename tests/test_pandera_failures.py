"""pandera's failure tables built only when read, and pandera_checks' own list of the failures: the same failures as
pandera gives unwrapped, at a fraction of the cost."""

from __future__ import annotations

import json

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.backends.pandas import base as pandera_backend

import pandera_failures
from conftest import ARCHIVE
from pandera_checks import failure_cases
from validate import validate_package


def _raises(values: pd.Series) -> pd.Series:
    raise ValueError("a rule that breaks")


# Every kind of failure a pandera model can give: a check on a column (built in and custom, on text and on numbers,
# named by `error`), a check on the whole table (which names the column of each failure), a check that raises and
# one that returns one verdict for the whole column (no row), a missing and an extra column (no row), an empty cell
# where one is required, a repeated value, and a column whose check passes.
FRAME = pd.DataFrame({"a": ["x", None, "y", "y"], "b": ["1", "2", "zz", "3"], "n": [1, 5, 7, 9], "ok": ["k", "k", "k", "k"]})
SCHEMA = pa.DataFrameSchema(
    {
        "a": pa.Column(
            None,
            checks=[pa.Check.isin(["x"]), pa.Check(lambda s: s != "y", name="not-y", ignore_na=False)],
            nullable=False,
            unique=True,
            report_duplicates="exclude_first",
        ),
        "b": pa.Column(None, checks=[pa.Check.str_matches("^[0-9]$"), pa.Check(_raises, name="raises")]),
        "n": pa.Column(
            None,
            checks=[
                pa.Check.less_than(6),
                pa.Check(lambda s: s % 2 == 0, error="even"),
                pa.Check(lambda s: False, name="one-verdict"),
            ],
        ),
        "ok": pa.Column(None, checks=[pa.Check.isin(["k"])]),
        "missing": pa.Column(None),
    },
    checks=[pa.Check(lambda frame: frame["b"] != "2", name="no-two")],
    strict=True,
)
COLUMNS = ["column", "check", "index", "failure_case"]


def errors_of(frame: pd.DataFrame = FRAME, schema: pa.DataFrameSchema = SCHEMA) -> pa.errors.SchemaErrors:
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema.validate(frame.assign(extra="q"), lazy=True)
    return caught.value


def in_order(cases: pd.DataFrame) -> list[tuple]:
    rows = cases[COLUMNS].astype(object).where(cases[COLUMNS].notna(), None).itertuples(index=False, name=None)
    return sorted(rows, key=repr)


def counting_builds(monkeypatch) -> list[int]:
    built: list[int] = []
    consolidate = pandera_backend.consolidate_failure_cases
    monkeypatch.setattr(pandera_backend, "consolidate_failure_cases", lambda errors: built.append(1) or consolidate(errors))
    return built


def test_the_failure_tables_are_pandera_s_own_when_read():
    before = errors_of()
    with pandera_failures.failure_tables_built_when_read() as wrapped:
        assert wrapped
        after = errors_of()
        pd.testing.assert_frame_equal(after.failure_cases, before.failure_cases)
        assert after.message == before.message and dict(after.error_counts) == dict(before.error_counts)
        assert json.loads(str(after)) == json.loads(str(before))


def test_each_table_is_built_once_and_only_when_read(monkeypatch):
    built = counting_builds(monkeypatch)
    with pandera_failures.failure_tables_built_when_read():
        errors = errors_of()
        assert built == []  # five columns failed, and the table: nothing built yet
        read = (errors.failure_cases, errors.message, errors.error_counts)
    assert built == [1] and len(read[0]) > 4


def test_pandera_builds_a_table_for_every_failing_column_outside_the_block(monkeypatch):
    """What the block saves, and that it ends with the block: pandera builds the failing columns' tables it then drops."""
    with pandera_failures.failure_tables_built_when_read():
        pass
    built = counting_builds(monkeypatch)
    errors_of()
    assert len(built) > 1 + 3  # the table's, and more than one for each failing column


def test_a_block_inside_another_leaves_pandera_wrapped_until_the_outer_one_ends(monkeypatch):
    with pandera_failures.failure_tables_built_when_read():
        with pandera_failures.failure_tables_built_when_read():
            pass
        built = counting_builds(monkeypatch)
        errors_of()
        assert built == []
    errors_of()
    assert built


def test_a_table_set_by_hand_is_the_one_read():
    with pandera_failures.failure_tables_built_when_read():
        errors = errors_of()
        errors.failure_cases = "set by hand"
        assert errors.failure_cases == "set by hand"
        assert errors.message  # the others are still built from the failures


def test_a_schema_errors_pandera_changed_is_left_as_it_comes(monkeypatch):
    def init(self, schema, schema_errors, data, *, new_argument=None):
        raise AssertionError("not called")

    monkeypatch.setattr(pa.errors.SchemaErrors, "__init__", init)
    with pandera_failures.failure_tables_built_when_read() as wrapped:
        assert wrapped is False
        assert pa.errors.SchemaErrors.__init__ is init


def test_the_listed_failures_are_pandera_s_failure_cases():
    """pandera_checks reads the failures itself: every kind of failure, with the column, check, row and value
    pandera's own table gives them."""
    errors = errors_of()
    ours = failure_cases(errors)
    assert list(ours.columns) == COLUMNS
    assert in_order(ours) == in_order(errors.failure_cases)
    kinds = set(ours["check"])
    assert {"isin(['x'])", "not-y", "even", "no-two", "not_nullable", "field_uniqueness", "column_in_dataframe"} <= kinds
    assert {"column_in_schema", "str_matches('^[0-9]$')", "less_than(6)", "raises", "one-verdict"} <= kinds
    # the table's check fails a whole row: each of its cells is a failure, named by its column (the empty one not)
    assert set(ours.loc[ours["check"] == "no-two", "column"]) == {"b", "n", "ok", "extra"}
    assert ours.loc[ours["check"].isin(["raises", "one-verdict"]), "index"].isna().all()


def test_a_frame_with_one_row_lists_the_same_failures():
    errors = errors_of(pd.DataFrame({"a": ["y"], "b": ["zz"], "n": [8], "ok": ["k"]}))
    assert len(errors.failure_cases) >= 6
    assert in_order(failure_cases(errors)) == in_order(errors.failure_cases)


def test_a_validation_builds_no_failure_table_and_leaves_pandera_as_it_came(in_package, monkeypatch):
    """The validator's own use: a package with failures in several columns, and no table built; after it, pandera
    is as it came."""
    in_package.set_cell("figures", "fig-operation-thunder-arrests", "unit", "bananas")
    in_package.set_cell("events", "ev-operation-thunder-2025", "title", "two  spaces")
    built = counting_builds(monkeypatch)
    problems = validate_package(in_package.descriptor, ARCHIVE).problems
    assert {p.rule for p in problems} >= {"enum", "no-double-spaces"}
    assert built == []
    assert not getattr(pa.errors.SchemaErrors.__init__, "builds_when_read", False)
