"""Serve the built database through Datasette, read-only and safe to expose.

Usage: python scripts/serve.py [--host 127.0.0.1] [--port 8001] [--out build]

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

# Templates and a read-only plugin that put each claim's citations on its row page.
SITE = Path(__file__).resolve().parent.parent / "datasette-site"

# Immutable mode (-i) opens the file read-only and lets Datasette count rows once; no plugin
# installed writes. Expensive SQL is cut off, and no page returns more than max_returned_rows.
SETTINGS = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "facet_time_limit_ms": 200,
    # Facet suggestions run a query per column on every page: the configured facets are enough.
    "suggest_facets": False,
    "allow_download": True,
    "default_cache_ttl": 300,
}


def datasette_command(out: Path, host: str, port: int) -> list[str]:
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
    for name, value in SETTINGS.items():
        command += ["--setting", name, json.dumps(value) if isinstance(value, bool) else str(value)]
    return command


def in_process(out: Path):
    """A Datasette instance over the built files, configured exactly as `make serve` runs it."""
    from datasette.app import Datasette

    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    return Datasette(
        immutables=[str(out / f"{DATABASE}.db")],
        metadata=metadata,
        settings=SETTINGS,
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
def background_server(out: Path, port: int | None = None):
    """Serve `out` as `make serve` would, in a child process, for tests and benchmarks; yield its base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--out", str(out), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built database through Datasette.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--out", default="build", metavar="DIR")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not (out / f"{DATABASE}.db").is_file():
        parser.error(f"no database in {out}/: run `make build` first")
    problem = port_problem(args.host, str(args.port))
    if problem:
        parser.error(problem)  # before Datasette starts, which would print a traceback for a busy port
    command = datasette_command(out, args.host, args.port)
    print(f"Serving the data at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    os.execv(command[0], command)  # Datasette takes over the process, so signals reach it directly


if __name__ == "__main__":
    sys.exit(main())
