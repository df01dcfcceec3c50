"""The served site answers each permission question once (datasette-site/plugins/permission_cache.py),
and the answers it keeps are the ones Datasette gave: per actor, denials included."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest

from datasette_metadata import DATABASE
from serve import in_process

DB = f"/{DATABASE}"


def get(datasette, path: str, actor: dict | None = None):
    cookies = {"ds_actor": datasette.sign({"a": actor}, "actor")} if actor else None

    async def fetch():
        return await datasette.client.get(path, cookies=cookies)

    return asyncio.run(fetch())


@pytest.fixture
def site_with_a_private_table(built_site, tmp_path):
    """The built site with the events table open to one actor only."""
    for name in (f"{DATABASE}.db", "metadata.json"):
        shutil.copy(built_site / name, tmp_path / name)
    metadata = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    metadata["databases"][DATABASE]["tables"]["events"]["allow"] = {"id": "editor"}
    (tmp_path / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return in_process(tmp_path)


def test_a_kept_answer_is_the_answer_for_that_actor_and_a_denial_stays_a_denial(site_with_a_private_table):
    site = site_with_a_private_table
    for _ in range(2):  # the second round is answered from what was kept
        assert get(site, f"{DB}/events").status_code == 403
        assert get(site, f"{DB}/events", actor={"id": "editor"}).status_code == 200
        assert get(site, f"{DB}/events", actor={"id": "someone-else"}).status_code == 403
        assert get(site, f"{DB}/figures").status_code == 200


def test_a_page_seen_before_asks_datasette_nothing_new(built_site):
    site = in_process(built_site)
    first = get(site, "/")
    asked = len(site._permission_checks)  # Datasette logs every question it answers itself
    assert first.status_code == 200 and asked > 0
    assert get(site, "/").status_code == 200
    assert len(site._permission_checks) == asked


def test_questions_about_made_up_tables_do_not_grow_the_kept_answers_without_bound(built_site):
    site = in_process(built_site)

    async def ask_many():
        await site.invoke_startup()
        for n in range(site.permission_allowed.limit + 500):
            assert await site.permission_allowed(None, "view-table", (DATABASE, f"no_such_table_{n}"), default=True)

    asyncio.run(ask_many())
    assert len(site.permission_allowed.answers) == site.permission_allowed.limit
