"""scripts/build.py: a typed, keyed, searchable database, built atomically and reproducibly."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest
import sqlite_utils

from conftest import ARCHIVE, REPO

SCRIPT = REPO / "scripts" / "build.py"
DB = "cambodia-china-anti-fraud.db"


def run_build(package_root, out) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)],
        cwd=package_root,
        capture_output=True,
        text=True,
    )


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_table_has_its_rows_types_and_primary_key(built_site):
    db = sqlite_utils.Database(built_site / DB)
    assert db["events"].count == len(list((REPO / "data" / "events.csv").open())) - 1
    assert db["event_actors"].pks == ["event_id", "actor_id", "role"]
    assert db["figures"].columns_dict["value"] is float
    assert db["places"].columns_dict["latitude"] is float


def test_foreign_keys_are_real_so_datasette_links_rows(built_site):
    db = sqlite_utils.Database(built_site / DB)
    keys = {(fk.column, fk.other_table) for fk in db["figures"].foreign_keys}
    assert {
        ("event_id", "events"),
        ("agreement_id", "agreements"),
        ("claimed_by_actor_id", "actors"),
        ("source_id", "sources"),
    } <= keys
    assert ("parent_actor_id", "actors") in {(fk.column, fk.other_table) for fk in db["actors"].foreign_keys}


def test_every_foreign_key_and_date_is_indexed(built_site):
    db = sqlite_utils.Database(built_site / DB)
    indexed = {column for index in db["events"].indexes for column in index.columns}
    assert {"place_id", "about_place_id", "source_id", "start_date", "end_date"} <= indexed


def test_every_facet_of_every_table_leads_an_index_so_counting_by_it_reads_the_index(built_site):
    """Each table page counts its rows by each facet; without an index each count scans the table."""
    db = sqlite_utils.Database(built_site / DB)
    tables = json.loads((built_site / "metadata.json").read_text(encoding="utf-8"))["databases"][DB[:-3]]["tables"]
    faceted = {name: table["facets"] for name, table in tables.items() if table.get("facets")}
    assert {"events", "figures", "agreements", "actors", "citations"} <= set(faceted)
    for name, facets in faceted.items():
        leading = {index.columns[0] for index in db[name].indexes} | set(db[name].pks[:1])
        assert set(facets) <= leading, name
        plan = db.execute(f"EXPLAIN QUERY PLAN SELECT [{facets[0]}], count(*) FROM [{name}] GROUP BY [{facets[0]}]").fetchall()
        assert "INDEX" in " ".join(str(step[-1]) for step in plan), (name, plan)


def test_titles_summaries_names_and_aliases_are_searchable(built_site):
    db = sqlite_utils.Database(built_site / DB)
    assert [row["actor_id"] for row in db["actor_aliases"].search("Sassok")] == ["act-sar-sokha"]
    assert any(row["event_id"] == "ev-sihanoukville-cases-2025-10" for row in db["events"].search("Sihanoukville"))


def test_the_timeline_view_puts_place_actors_and_figures_in_one_row(built_site):
    db = sqlite_utils.Database(built_site / DB)
    row = next(db.query("SELECT * FROM timeline WHERE event_id = 'ev-operation-thunder-2025'"))
    assert row["place_or_place_concerned"] == "Phnom Penh" and row["latitude"] is not None
    assert "287 suspects" in row["figures"]
    assert row["source_locator"] == "para 3"


def test_the_same_csvs_give_a_byte_identical_database(built_site, tmp_path):
    """The command's build against this process's (another process, with its own hash seed, at another time)."""
    again = tmp_path / "again"
    assert run_build(REPO, again).returncode == 0
    assert digest(again / DB) == digest(built_site / DB)
    assert digest(again / "metadata.json") == digest(built_site / "metadata.json")


def test_an_invalid_package_is_refused_and_the_last_good_database_stays(package_copy, tmp_path):
    from build import build

    out = tmp_path / "build"
    build(package_copy.descriptor, out, ARCHIVE)
    before = digest(out / DB)
    line = package_copy.set_cell("figures", "fig-operation-thunder-arrests", "value", "278")
    result = run_build(package_copy.root, out)
    assert result.returncode == 1
    assert f"data/figures.csv:{line}:as_printed:" in result.stdout
    assert "Build refused" in result.stderr and "Traceback" not in result.stderr
    assert digest(out / DB) == before
    assert sorted(p.name for p in out.iterdir()) == [DB, "metadata.json"]


def test_a_build_that_fails_half_way_leaves_no_partial_file(monkeypatch, tmp_path):
    import build

    out = tmp_path / "build"
    build.build(REPO / "datapackage.json", out, ARCHIVE)
    before = digest(out / DB)

    def broken_views(db):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(build, "create_views", broken_views)
    with pytest.raises(sqlite3.OperationalError):
        build.build(REPO / "datapackage.json", out, ARCHIVE)
    assert digest(out / DB) == before
    assert sorted(p.name for p in out.iterdir()) == [DB, "metadata.json"]


def test_each_output_is_on_disk_before_it_replaces_the_last_good_one(disk_events, tmp_path):
    """SQLite writes the staging copy without its own syncs: the build flushes each file once, before the rename."""
    import build

    events = disk_events
    out = tmp_path / "build"
    build.build(REPO / "datapackage.json", out, ARCHIVE)
    for name in (DB, "metadata.json"):
        staged = str(out / ".tmp" / name)
        assert ("fsync", staged) in events and ("replace", staged) in events, events
        assert events.index(("fsync", staged)) < events.index(("replace", staged))
    with sqlite3.connect(out / DB) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # a plain file for Datasette to read


def test_a_stale_verdict_is_refused_until_make_verdicts_refreshes_it(package_copy, tmp_path):
    from build import build

    db = sqlite_utils.Database
    out = tmp_path / "build"
    build(package_copy.descriptor, out, ARCHIVE)
    verdict = "SELECT verification FROM agreements WHERE agreement_id = 'agr-cybercrime-law-2025-08'"
    assert next(db(out / DB).query(verdict))["verification"] == "contradicted"
    header, rows = package_copy.read_rows("citations")
    package_copy.write_rows(
        "citations",
        header,
        [r for r in rows if not (r["record_id"] == "agr-cybercrime-law-2025-08" and r["relation"] == "contradicts")],
    )
    refused = run_build(package_copy.root, out)
    assert refused.returncode == 1
    assert "verification is contradicted, but the citations make it uncorroborated: run `make verdicts`" in refused.stdout
    refresh = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verification.py"), "datapackage.json"],
        cwd=package_copy.root,
        capture_output=True,
        text=True,
    )
    assert refresh.returncode == 0 and "agreements: 1 verdict updated" in refresh.stderr
    build(package_copy.descriptor, out, ARCHIVE)
    assert next(db(out / DB).query(verdict))["verification"] == "uncorroborated"


def test_a_database_that_breaks_a_foreign_key_or_its_integrity_is_refused(tmp_path):
    """The build's last check, on a database no valid package can give: the check must not be a formality."""
    from build import BuildError, _check_integrity

    path = tmp_path / "broken.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE places (place_id TEXT PRIMARY KEY)")
        conn.execute("CREATE TABLE events (event_id TEXT PRIMARY KEY, place_id TEXT REFERENCES places(place_id))")
        conn.execute("INSERT INTO events VALUES ('ev-x', 'pl-nowhere')")
    with pytest.raises(BuildError, match="1 rows break a foreign key, first in events"):
        _check_integrity(path)
    path.write_bytes(path.read_bytes()[:4096] + b"\0" * 4096)  # the second page overwritten with zeros
    with pytest.raises((BuildError, sqlite3.DatabaseError)):
        _check_integrity(path)
