"""Latency of each page kind in Datasette against the same query run directly in sqlite3, and a load test.

Usage: python scripts/benchmark_serve.py [--requests 300] [--load-seconds 30] [--clients 64] [--archive DIR]

Builds the real package and a synthetic copy 100 times larger, serves each on a loopback port as
`make serve` does, and prints p50/p95 per page kind with the sqlite3 floor and their ratio.
Then 64 concurrent clients request pages for 30 s: errors must be zero and the server must
answer normally afterwards. Goal: p95 < 50 ms for every page kind at 100x, and <= 10x the floor.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import asyncio
import itertools
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from build import build
from datasette_metadata import DATABASE
from serve import background_server
from synthetic import write_synthetic_package
from validate import DEFAULT_ARCHIVE

REPO = Path(__file__).resolve().parent.parent


def page_kinds(suffix: str) -> dict[str, tuple[str, str]]:
    """Page kind -> (path, the SQL that answers it, run directly as the floor)."""
    event, actor = f"ev-operation-thunder-2025{suffix}", f"act-hun-sen{suffix}"
    d = f"/{DATABASE}"
    return {
        "index": ("/", "SELECT count(*) FROM events"),
        "table": (f"{d}/events", "SELECT * FROM events ORDER BY start_date DESC LIMIT 51"),
        "facet": (
            f"{d}/figures?metric=persons_arrested",
            "SELECT * FROM figures WHERE metric = 'persons_arrested' ORDER BY figure_id LIMIT 51",
        ),
        "row": (f"{d}/events/{event}", f"SELECT * FROM events WHERE event_id = '{event}'"),
        "search": (
            f"{d}/events?_search=fraud",
            "SELECT * FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH 'fraud') LIMIT 51",
        ),
        "view": (f"{d}/timeline", "SELECT * FROM timeline LIMIT 51"),
        "canned": (
            f"{d}/actor_dossier?name_or_alias={actor}",
            f"SELECT * FROM event_actors ea JOIN events e USING (event_id) WHERE ea.actor_id = '{actor}'",
        ),
        "json": (f"{d}/events.json?_shape=array", "SELECT * FROM events ORDER BY start_date LIMIT 51"),
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def time_sqlite(db: Path, sql: str, repeat: int) -> list[float]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples


def time_http(client: httpx.Client, url: str, repeat: int) -> list[float]:
    client.get(url)  # warm the caches, as a user's second visit would
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


async def load(base: str, paths: list[str], clients: int, seconds: float) -> tuple[int, int, list[str]]:
    """Requests made and errors seen by `clients` concurrent loops over `paths`."""
    done, errors, samples = 0, 0, []
    stop = time.monotonic() + seconds
    cycle = itertools.cycle(paths)

    async def client_loop(client: httpx.AsyncClient):
        nonlocal done, errors
        while time.monotonic() < stop:
            try:
                response = await client.get(base + next(cycle))
                if response.status_code != 200:
                    errors += 1
                    samples.append(f"{response.status_code} {response.url}")
            except httpx.HTTPError as exc:
                errors += 1
                samples.append(repr(exc))
            done += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return done, errors, samples[:5]


def measure(label: str, out: Path, suffix: str, repeat: int) -> bool:
    db = out / f"{DATABASE}.db"
    ok = True
    with background_server(out) as base, httpx.Client(base_url=base, timeout=30) as client:
        for kind, (path, sql) in page_kinds(suffix).items():
            p50, p95 = percentiles(time_http(client, path, repeat))
            f50, f95 = percentiles(time_sqlite(db, sql, repeat))
            ratio = p95 / max(f95, 1e-6)
            ok &= p95 < 0.050
            print(
                f"{label:>5} {kind:>7} | {p50 * 1000:7.2f} {p95 * 1000:7.2f} | {f50 * 1000:7.3f} {f95 * 1000:7.3f} | {ratio:8.1f}"
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind (default 300)")
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        real, large = Path(tmp) / "real", Path(tmp) / "x100"
        build(REPO / "datapackage.json", real, Path(args.archive))
        write_synthetic_package(Path(tmp) / "x100-package", copies=100)
        build(Path(tmp) / "x100-package" / "datapackage.json", large, Path(tmp) / "no-archive")
        print(" data    page | http p50 p95 (ms) | sqlite3 p50 p95 (ms) | p95 ratio")
        measure("real", real, "", args.requests)
        fast = measure("x100", large, "-0000000", args.requests)
        print(f"p95 under 50 ms for every page kind at 100x: {'yes' if fast else 'NO'}")
        with background_server(large) as base:
            paths = [path for path, _ in page_kinds("-0000000").values()]
            done, errors, samples = asyncio.run(load(base, paths, args.clients, args.load_seconds))
            after = httpx.get(base + "/", timeout=10).status_code
        print(
            f"load: {args.clients} clients for {args.load_seconds:.0f} s: {done} requests ({done / args.load_seconds:.0f}/s), "
            f"{errors} errors{' e.g. ' + '; '.join(samples) if samples else ''}; afterwards / answered {after}"
        )
    return 0 if errors == 0 and after == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
