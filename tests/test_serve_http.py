"""`make serve`, the README's first command, as a real server on a loopback port."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess

import httpx
import pytest

from conftest import ARCHIVE, REPO
from serve import free_port, wait_until_answering

DB = "cambodia-china-anti-fraud"


@contextlib.contextmanager
def running_make_serve():
    port = free_port()
    process = subprocess.Popen(
        ["make", "serve", f"PORT={port}", "HOST=127.0.0.1", f"ARCHIVE={ARCHIVE}"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/", process, seconds=180)  # make serve sets up and builds first
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=20)


PAGES = [
    "/",
    f"/{DB}",
    f"/{DB}/events",
    f"/{DB}/timeline",
    f"/{DB}/events/ev-operation-thunder-2025",
    f"/{DB}/actor_dossier?name_or_alias=Hun+Sen",
    f"/{DB}/figures.csv",
    "/-/metadata.json",
]


def test_make_serve_answers_every_page_kind_read_only_with_the_configured_limits_and_stops_cleanly():
    """One `make serve` for every check (each start validates and builds the package first)."""
    with running_make_serve() as (base, process):
        statuses = {path: httpx.get(base + path, timeout=10).status_code for path in PAGES}
        assert {path: status for path, status in statuses.items() if status != 200} == {}
        page = httpx.get(base + "/", timeout=10).text
        assert "Cambodia–China cooperation against online fraud" in page and "Creative Commons Attribution 4.0" in page
        settings = httpx.get(base + "/-/settings.json", timeout=10).json()
        assert settings["sql_time_limit_ms"] == 1000 and settings["max_returned_rows"] == 1000
        assert httpx.get(base + f"/{DB}.json?sql=select+1", timeout=10).status_code == 403  # no SQL of one's own
        databases = httpx.get(base + "/-/databases.json", timeout=10).json()
        assert [(d["name"], d["is_mutable"]) for d in databases] == [(DB, False)]
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)
        with pytest.raises(httpx.TransportError):
            httpx.get(base + "/", timeout=2)
