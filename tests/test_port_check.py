"""`make serve` refuses a mistyped or busy PORT at once, before it sets up or builds, and says how to pick another."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest

from conftest import REPO
from port_check import port_problem
from serve import free_port


@contextlib.contextmanager
def listening_port():
    """A port another server is already listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def make_serve(*variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "serve", *variables], cwd=REPO, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("port", ["abc", "", "0", "65536", "80 80", "-1"])
def test_a_port_that_is_not_a_number_from_1_to_65535_is_refused_with_an_example(port):
    assert (
        port_problem("127.0.0.1", port) == f"PORT={port!r} is not a port number (1-65535): pick one, e.g. `make serve PORT=8080`"
    )


def test_a_free_port_passes():
    assert port_problem("127.0.0.1", str(free_port())) is None


def test_a_busy_port_is_refused_with_a_free_one_to_use_instead():
    with listening_port() as port:
        problem = port_problem("127.0.0.1", str(port))
    assert problem.startswith(f"port {port} on 127.0.0.1 is already in use")
    suggested = int(problem.split("`make serve PORT=")[1].split("`")[0])
    assert suggested > port and port_problem("127.0.0.1", str(suggested)) is None


def test_a_host_this_machine_cannot_listen_on_is_refused():
    assert port_problem("no-such-host.invalid", "8001").startswith("cannot listen on no-such-host.invalid:8001")


def test_make_serve_on_a_busy_port_stops_before_it_builds():
    with listening_port() as port:
        result = make_serve(f"PORT={port}")
    assert result.returncode != 0
    assert f"make serve: port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "build.py" not in result.stdout + result.stderr and "Serving the data" not in result.stderr


def test_make_serve_with_a_port_that_is_not_a_number_stops_before_it_builds():
    result = make_serve("PORT=abc")
    assert result.returncode != 0
    assert "make serve: PORT='abc' is not a port number (1-65535): pick one, e.g. `make serve PORT=8080`" in result.stderr
    assert "build.py" not in result.stdout + result.stderr


def test_serve_py_on_a_busy_port_says_so_instead_of_a_traceback(built_site):
    with listening_port() as port:
        result = subprocess.run(
            [sys.executable, "scripts/serve.py", "--out", str(built_site), "--port", str(port)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr and "Traceback" not in result.stderr
