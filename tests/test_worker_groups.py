"""`make test` keeps each server and browser module on one worker (`--dist loadgroup`), so each starts its server
or browser once. pytest-xdist 3.8 silently stops grouping with pytest 9.2 (pytest-dev/pytest-xdist#1386): the
tests still pass, only slower, so this test says so instead."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("worker-groups")


def test_a_test_marked_for_a_worker_group_runs_in_that_group(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("runs under `make test` (pytest -n 2 --dist loadgroup)")
    assert request.node.nodeid.endswith("@worker-groups"), (
        f"--dist loadgroup did not group {request.node.nodeid}: pin a pytest that pytest-xdist supports"
    )
