"""Serve the built database through Datasette, read-only and safe to expose.

Usage: python scripts/serve.py [--host 127.0.0.1] [--port 8001] [--out build] [--allow-sql]

The settings live here once, for `make serve` and for the tests that start Datasette in-process.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from datasette_metadata import DATABASE
from port_check import port_problem

# Templates and plugins: each claim's citations on its row page, clean errors, bounded SQL.
SITE = Path(__file__).resolve().parent.parent / "datasette-site"

# Immutable mode (-i) opens the file read-only and lets Datasette count rows once; no plugin
# installed writes. Expensive SQL is cut off, and no page returns more than max_returned_rows.
SETTINGS = {
    "sql_time_limit_ms": 1000,
    "num_sql_threads": 3,  # Datasette's default, named here because sql_limits.py keeps two of them for pages
    "max_returned_rows": 1000,
    # A screen of 1366x768 shows about ten rows; 30 a page (was 50) kept a search of the 100x data
    # under 50 ms p95 (47 against 53 ms; benchmark_serve.py). `_size=` up to 1,000, or the CSV, for more.
    "default_page_size": 30,
    "facet_time_limit_ms": 200,
    # Facet suggestions run a query per column on every page: the configured facets are enough.
    "suggest_facets": False,
    "allow_download": True,
    "default_cache_ttl": 300,
    # Arbitrary SQL off: pages, facets, search and the canned queries answer every question the site offers.
    "default_allow_sql": False,
}

# For local use only (`--allow-sql`): anyone who reaches the server may run their own SELECT.
LOCAL_SETTINGS = {**SETTINGS, "default_allow_sql": True}


def settings(allow_sql: bool) -> dict:
    return LOCAL_SETTINGS if allow_sql else SETTINGS


def datasette_command(out: Path, host: str, port: int, allow_sql: bool = False) -> list[str]:
    command = [
        str(Path(sys.executable).parent / "datasette"),
        "serve",
        "-i",
        str(out / f"{DATABASE}.db"),
        "--metadata",
        str(out / "metadata.json"),
        "--host",
        host,
        "--port",
        str(port),
        "--template-dir",
        str(SITE / "templates"),
        "--plugins-dir",
        str(SITE / "plugins"),
    ]
    for name, value in settings(allow_sql).items():
        command += ["--setting", name, json.dumps(value) if isinstance(value, bool) else str(value)]
    return command


def in_process(out: Path, allow_sql: bool = False):
    """A Datasette instance over the built files, configured exactly as `make serve` runs it."""
    from datasette.app import Datasette

    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    return Datasette(
        immutables=[str(out / f"{DATABASE}.db")],
        metadata=metadata,
        settings=settings(allow_sql),
        template_dir=str(SITE / "templates"),
        plugins_dir=str(SITE / "plugins"),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Return once `url` answers; fail early, with the reason, if the process dies first."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"the server exited with {process.returncode} before answering: {output}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered at {url} within {seconds} s")


@contextlib.contextmanager
def background_server(out: Path, port: int | None = None, allow_sql: bool = False, log: Path | None = None):
    """Serve `out` as `make serve` would, in a child process, for tests and benchmarks; yield its base URL.

    The server's log goes to `log` when given (tests read it), else nowhere.
    """
    port = port or free_port()
    command = [sys.executable, __file__, "--out", str(out), "--port", str(port)] + (["--allow-sql"] if allow_sql else [])
    log_file = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if log:
            log_file.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built database through Datasette.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--out", default="build", metavar="DIR")
    parser.add_argument(
        "--allow-sql", action="store_true", help="let anyone who reaches the server run their own SELECT (local use only)"
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not (out / f"{DATABASE}.db").is_file():
        parser.error(f"no database in {out}/: run `make build` first")
    problem = port_problem(args.host, str(args.port))
    if problem:
        parser.error(problem)  # before Datasette starts, which would print a traceback for a busy port
    command = datasette_command(out, args.host, args.port, args.allow_sql)
    print(f"Serving the data at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    if args.allow_sql and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: anyone who reaches {args.host} may run their own SQL (--allow-sql is for local use)", file=sys.stderr)
    os.execv(command[0], command)  # Datasette takes over the process, so signals reach it directly


if __name__ == "__main__":
    sys.exit(main())
