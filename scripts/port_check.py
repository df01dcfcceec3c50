"""Check that `make serve` can listen where it is asked to, before it sets up or builds anything.

Usage: python3 scripts/port_check.py --host 127.0.0.1 --port 8001
Exit status: 0 when the port is a number 1-65535 that is free on the host, 2 otherwise, with a
message that says how to pick another. Standard library only: it runs before `make setup`.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys


def can_listen(host: str, port: int) -> OSError | None:
    """Bind as Datasette's server (uvicorn) does, SO_REUSEADDR included; the error if that fails."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            return error
    return None


def next_free_port(host: str, after: int) -> int | None:
    return next((port for port in range(after + 1, min(after + 100, 65535) + 1) if can_listen(host, port) is None), None)


def port_problem(host: str, port: str) -> str | None:
    """What stops a server from listening on host:port, worded for the person typing `make serve`; None if nothing."""
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"PORT={port!r} is not a port number (1-65535): pick one, e.g. `make serve PORT=8080`"
    error = can_listen(host, int(port))
    if error is None:
        return None
    if error.errno == errno.EADDRINUSE:
        free = next_free_port(host, int(port))
        hint = f"`make serve PORT={free}` is free" if free else "pick another with `make serve PORT=…`"
        return f"port {port} on {host} is already in use (another `make serve`?): {hint}"
    if error.errno == errno.EACCES:
        return f"port {port} needs root (ports below 1024 are privileged): pick another, e.g. `make serve PORT=8080`"
    return f"cannot listen on {host}:{port} ({error.strerror or error}): check HOST, e.g. `make serve HOST=127.0.0.1`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that a server can listen on HOST:PORT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8001", help="checked here, not by argparse, to word the message")
    args = parser.parse_args(argv)
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"make serve: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
