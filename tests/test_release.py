"""make release: a zip that is a data package, Parquet every reader types right, checksums that cover every file,
verdicts and whole numbers in every download, and nothing written outside dist/."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

import release
from conftest import ARCHIVE, REPO
from package import load_package
from rules.figures import COUNT_UNITS
from tables import read_rows
from verification import KEYS, VERIFIED_TABLES, derive, verdicts_for

SCRIPT = REPO / "scripts" / "release.py"
PACKAGE = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
NAME = f"{PACKAGE['name']}-{PACKAGE['version']}"
TABLES = [resource["name"] for resource in PACKAGE["resources"]]


def run_release(package_root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "datapackage.json", "--archive", str(ARCHIVE), "--out", str(out)],
        cwd=package_root,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """One release of the real package, made in-process (so the knockout suite's mutations apply), shared by the module."""
    out = tmp_path_factory.mktemp("release") / "dist"
    assert release.main([str(REPO / "datapackage.json"), "--archive", str(ARCHIVE), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def released_zip(dist) -> zipfile.ZipFile:
    with zipfile.ZipFile(dist / f"{NAME}.zip") as archive:
        yield archive


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# What is released, and the checksums


def test_the_release_holds_the_zip_the_database_parquet_and_checksums_and_nothing_else(dist):
    assert files_under(dist) == sorted(
        [f"{NAME}.zip", f"{NAME}.db", "SHA256SUMS"] + [f"parquet/{table}.parquet" for table in TABLES]
    )
    assert [p.name for p in dist.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_sha256sums_lists_every_file_in_dist_subfolders_included(dist):
    listed = [line.split("  ", 1)[1] for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines()]
    assert sorted(listed) == [name for name in files_under(dist) if name != "SHA256SUMS"]
    assert any(name.startswith("parquet/") for name in listed)


def test_sha256sum_accepts_every_line_of_sha256sums(dist):
    result = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(files_under(dist)) - 1


def test_the_same_package_gives_the_same_files(dist, tmp_path):
    assert release.main([str(REPO / "datapackage.json"), "--archive", str(ARCHIVE), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "SHA256SUMS").read_text(encoding="utf-8") == (dist / "SHA256SUMS").read_text(encoding="utf-8")


# The zip is a data package


def test_the_zip_has_datapackage_json_at_its_root_and_the_version_in_its_name(released_zip):
    names = released_zip.namelist()
    assert "datapackage.json" in names and f"data/{TABLES[0]}.csv" in names
    assert json.loads(released_zip.read("datapackage.json"))["version"] == PACKAGE["version"]
    assert Path(released_zip.filename).name == f"{NAME}.zip"


def test_frictionless_validate_accepts_the_zip_itself(dist):
    frictionless_cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless_cli), "validate", f"{NAME}.zip"], cwd=dist, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


def test_frictionless_package_reads_every_table_from_the_zip_itself(dist, released_zip):
    package = frictionless.Package(str(dist / f"{NAME}.zip"))
    assert package.name == PACKAGE["name"] and [r.name for r in package.resources] == TABLES
    for resource in package.resources:
        assert len(resource.read_rows()) == len(csv_rows(released_zip.read(f"data/{resource.name}.csv"))), resource.name


def test_each_released_table_gives_the_bytes_and_sha256_of_the_file_in_the_zip(released_zip):
    for resource in json.loads(released_zip.read("datapackage.json"))["resources"]:
        data = released_zip.read(resource["path"])
        assert resource["bytes"] == len(data), resource["name"]
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}", resource["name"]


def test_every_zip_entry_is_a_relative_normalised_regular_file_readable_by_all(released_zip):
    for info in released_zip.infolist():
        assert not info.filename.startswith("/") and ".." not in info.filename.split("/"), info.filename
        assert "\\" not in info.filename and "//" not in info.filename and "/./" not in f"/{info.filename}", info.filename
        assert stat.filemode(info.external_attr >> 16) == "-rw-r--r--", info.filename


def test_the_zips_readme_is_written_for_the_zip_and_every_link_resolves_to_an_entry(released_zip):
    readme = released_zip.read("README.md").decode("utf-8")
    assert readme != (REPO / "README.md").read_text(encoding="utf-8")
    for reader in ("pandas", "DuckDB", "Frictionless", "Datasette", "## Licence", "## Citing it", PACKAGE["version"]):
        assert reader in readme, reader
    links = re.findall(r"\]\(([^)]*)\)", readme)
    assert len(links) > len(TABLES)
    names = set(released_zip.namelist())
    assert sorted(link for link in links if link.split("#", 1)[0] not in names) == []
    assert "http://" not in readme and "https://" not in readme  # nothing that leads out of the zip


def test_the_zip_describes_every_table_in_its_readme(released_zip):
    readme = released_zip.read("README.md").decode("utf-8")
    for table in TABLES:
        rows = len(csv_rows(released_zip.read(f"data/{table}.csv")))
        assert f"[data/{table}.csv](data/{table}.csv)" in readme and f" {rows} rows" in readme, table


# Verdicts and whole numbers in every download


def derived_verdicts(table: str) -> dict[str, str]:
    citations = read_rows(REPO / "data" / "citations.csv")
    ids = [row[KEYS[table]] for row in read_rows(REPO / "data" / f"{table}.csv")]
    return dict(zip(ids, verdicts_for(table, ids, derive(citations))))


@pytest.mark.parametrize("table", VERIFIED_TABLES)
def test_every_download_carries_the_verdict_the_citations_give(dist, released_zip, table):
    wanted, key = derived_verdicts(table), KEYS[table]
    assert set(wanted.values()) <= {"corroborated", "partly_corroborated", "uncorroborated", "contradicted"} and wanted
    committed = {row[key]: row["verification"] for row in read_rows(REPO / "data" / f"{table}.csv")}
    zipped = {row[key]: row["verification"] for row in csv_rows(released_zip.read(f"data/{table}.csv"))}
    frame = pd.read_parquet(dist / "parquet" / f"{table}.parquet")
    parquet = dict(zip(frame[key], frame["verification"]))
    with sqlite3.connect(dist / f"{NAME}.db") as conn:
        database = dict(conn.execute(f"SELECT {key}, verification FROM {table}").fetchall())
    assert committed == wanted and zipped == wanted and parquet == wanted and database == wanted


def test_counts_are_whole_numbers_in_every_download(dist, released_zip):
    zipped = csv_rows(released_zip.read("data/figures.csv"))
    counts = [row for row in zipped if row["unit"] in COUNT_UNITS]
    assert counts and all(re.fullmatch(r"-?\d+", row["value"]) for row in counts)
    value = pq.read_schema(dist / "parquet" / "figures.parquet").field("value")
    assert str(value.type) == "int64"
    parquet = pd.read_parquet(dist / "parquet" / "figures.parquet").set_index("figure_id")["value"]
    assert all(parquet[row["figure_id"]] == int(row["value"]) for row in counts)
    with sqlite3.connect(dist / f"{NAME}.db") as conn:
        kinds = {kind for (kind,) in conn.execute("SELECT DISTINCT typeof(value) FROM figures")}
    assert kinds == {"integer"}


def test_a_number_field_with_fractions_stays_double_in_parquet(dist):
    latitude = pq.read_schema(dist / "parquet" / "places.parquet").field("latitude")
    assert str(latitude.type) == "double"


# Parquet for every reader


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_finds_the_table_schema_and_column_descriptions_in_the_parquet_metadata(dist, table):
    path = str(dist / "parquet" / f"{table}.parquet")
    metadata = dict(duckdb.sql("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", params=[path]).fetchall())
    schema = load_package(REPO / "datapackage.json").resource(table).schema
    assert json.loads(metadata["table_schema"]) == schema
    assert json.loads(metadata["column_descriptions"]) == {f["name"]: f["description"] for f in schema["fields"]}
    assert metadata["table"] == table and metadata["version"] == PACKAGE["version"]


@pytest.mark.parametrize("table", TABLES)
def test_required_fields_are_non_null_columns_in_parquet(dist, table):
    path = str(dist / "parquet" / f"{table}.parquet")
    repetition = dict(duckdb.sql("SELECT name, repetition_type FROM parquet_schema(?)", params=[path]).fetchall())
    resource = load_package(REPO / "datapackage.json").resource(table)
    for field in resource.fields:
        required = (field.get("constraints") or {}).get("required") or field["name"] in resource.primary_key
        assert repetition[field["name"]] == ("REQUIRED" if required else "OPTIONAL"), field["name"]


def test_polars_reads_the_metadata_the_types_and_the_rows(dist, released_zip):
    path = dist / "parquet" / "figures.parquet"
    metadata = pl.read_parquet_metadata(path)
    assert json.loads(metadata["table_schema"])["primaryKey"] == ["figure_id"]
    assert "as_printed" in json.loads(metadata["column_descriptions"])
    frame = pl.read_parquet(path)
    assert frame.schema["value"] == pl.Int64 and frame.schema["verification"] == pl.String
    assert frame.height == len(csv_rows(released_zip.read("data/figures.csv")))


def test_pyarrow_shows_each_columns_description_and_dates_as_dates(dist):
    events = pq.read_schema(dist / "parquet" / "events.parquet")
    described = {f["name"]: f["description"] for f in load_package(REPO / "datapackage.json").resource("events").fields}
    assert {field.name: field.metadata[b"description"].decode("utf-8") for field in events} == described
    assert str(events.field("start_date").type) == "date32[day]"


def test_pandas_reads_every_parquet_file_with_the_csvs_row_counts(dist):
    for table in TABLES:
        frame = pd.read_parquet(dist / "parquet" / f"{table}.parquet")
        assert len(frame) == len(read_rows(REPO / "data" / f"{table}.csv")), table


# Refusals: nothing written, nothing outside dist/


def test_a_package_with_problems_gets_no_release_and_the_last_one_stays(package_copy, tmp_path, capsys):
    out = tmp_path / "dist"
    assert release.main([str(package_copy.descriptor), "--archive", str(ARCHIVE), "--out", str(out)]) == 0
    before = {name: (out / name).read_bytes() for name in files_under(out)}
    line = package_copy.set_cell("events", "ev-operation-thunder-2025", "event_type", "not-a-type")
    capsys.readouterr()
    assert release.main([str(package_copy.descriptor), "--archive", str(ARCHIVE), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert f"data/events.csv:{line}:event_type:" in printed.out and "Release refused" in printed.err
    assert {name: (out / name).read_bytes() for name in files_under(out)} == before
    assert sorted(p.name for p in package_copy.root.iterdir()) == ["data", "datapackage.json", "dist", "schemas"]


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file and directory under each root (the root itself too), with each file's hash."""
    found = {}
    for root in roots:
        found[root.as_posix()] = "dir" if root.is_dir() else "missing"
        for path in root.rglob("*") if root.is_dir() else []:
            found[path.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return found


def slash_tmp_entries() -> set[str]:
    return {p.name for p in Path("/tmp").iterdir() if p.name.startswith("x")}


def test_a_hostile_package_name_writes_nothing_anywhere_and_the_cli_says_why(package_copy, tmp_path):
    descriptor = json.loads(package_copy.descriptor.read_text(encoding="utf-8"))
    descriptor["name"] = "../../../../tmp/x"
    package_copy.descriptor.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    landing = tmp_path.parent / "tmp"  # where dist/.tmp/release/../../../../tmp/x would resolve
    before, before_tmp = snapshot(tmp_path, landing), slash_tmp_entries()
    result = run_release(package_copy.root, tmp_path / "dist")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "name '../../../../tmp/x' must be a lowercase slug" in result.stdout and "Release refused" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(tmp_path, landing) == before and slash_tmp_entries() <= before_tmp


def test_a_hostile_table_name_writes_nothing_anywhere(package_copy, tmp_path, capsys):
    descriptor = json.loads(package_copy.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"][0]["name"] = "../x"
    package_copy.descriptor.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    before = snapshot(tmp_path)
    assert release.main([str(package_copy.descriptor), "--archive", str(ARCHIVE), "--out", str(tmp_path / "dist")]) == 1
    printed = capsys.readouterr()
    assert "name must be a lowercase slug" in printed.out and "Release refused" in printed.err
    assert snapshot(tmp_path) == before


def test_the_release_checks_its_own_paths_even_if_the_validator_let_a_name_through(monkeypatch, tmp_path):
    """The validator refuses the name first; this is the release's own check, behind it."""
    import validated

    real = validated.validated_package

    def hostile(descriptor, archive):
        package = real(descriptor, archive)
        package.descriptor["name"] = "../../../../x"
        return package

    monkeypatch.setattr(release, "validated_package", hostile)
    (tmp_path / "run").mkdir()
    before = snapshot(tmp_path)
    assert release.main([str(REPO / "datapackage.json"), "--archive", str(ARCHIVE), "--out", str(tmp_path / "run" / "dist")]) == 1
    after = snapshot(tmp_path)
    assert {path for path in after if path not in before} == {(tmp_path / "run" / "dist").as_posix()}
    assert list((tmp_path / "run" / "dist").iterdir()) == []


def test_every_released_file_is_on_disk_before_the_renames_that_replace_the_last_release(disk_events, tmp_path):
    events = disk_events
    out = tmp_path / "dist"
    release.release(REPO / "datapackage.json", out, ARCHIVE)
    staged = out / ".tmp" / "release"
    published = [p for p in sorted(out.rglob("*")) if p.is_file()]
    assert len(published) == 3 + 10  # the zip, the database, SHA256SUMS and a Parquet file a table
    first_publish = min(i for i, (kind, path) in enumerate(events) if kind == "replace" and path.startswith(str(staged)))
    flushed = {path for kind, path in events[:first_publish] if kind == "fsync"}
    assert {str(staged / p.relative_to(out)) for p in published} <= flushed
