"""Time a fresh clone to its first page (`make serve`) and through `make test`: the set-up goals.

Usage: python3 scripts/benchmark_setup.py [--runs 3] [--only serve|test] [--cold]

Each run clones this repository's committed HEAD into a temporary directory and, there, runs
`make serve PORT=<free port>` until its first page answers, then stops it; and `make test` in
another fresh clone. Each step's end is read off make's output, so the figures say where the time
goes, and the CPU seconds of the whole process tree are printed beside the wall time, which
depends on what else the machine runs. --cold gives every run empty pip, uv and npm caches and an
empty tools folder (the bootstrapped uv and the unpacked Chromium), as a new machine has (downloads
included); without it the caches and tools under ~ serve, as for a developer's second clone.
Goals: first page within 60 s, `make test` within 120 s.
Standard library only: it times the set-up itself, so it runs before `make setup`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = (REPO.parent / "shared" / "sources").resolve()

# The first line of make's output that ends each step, in order.
BOOTSTRAP = ("uv", r"^Installing what uv\.lock pins")  # pip has installed uv; uv sync starts
SERVE_STEPS = [BOOTSTRAP, ("uv sync", r"scripts/build\.py"), ("validate+build", r"Serving the data at")]
TEST_STEPS = [
    BOOTSTRAP,
    ("uv sync", r"^(Fetching |Chromium |Installing Debian)"),
    ("browser", r"ruff check"),
    ("lint", r" -m pytest"),
]


class Run:
    """One make command in a fresh clone, its output read as it comes with the time of each step's end."""

    def __init__(self, target: list[str], clone: Path, env: dict[str, str], steps: list[tuple[str, str]]):
        self.steps, self.ends, self.lines = steps, {}, []
        self.start, self.cpu_start = time.monotonic(), cpu_seconds_of_children()
        self.process = subprocess.Popen(
            ["make", *target, f"ARCHIVE={ARCHIVE}"],
            cwd=clone,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so stopping it stops Datasette too
        )
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            for name, pattern in self.steps:
                if name not in self.ends and re.search(pattern, line):
                    self.ends[name] = time.monotonic() - self.start

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def cpu(self) -> float:
        """CPU seconds the whole process tree used: steadier than wall time on a shared machine."""
        return cpu_seconds_of_children() - self.cpu_start

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        self.reader.join(timeout=10)

    def breakdown(self, total: float, last: str) -> dict[str, float]:
        """Seconds per step, each from the previous step's end (steps make skipped count as 0)."""
        ends, previous, seconds = {**self.ends, last: total}, 0.0, {}
        for name in [name for name, _ in self.steps] + [last]:
            end = ends.get(name, previous)
            seconds[name], previous = end - previous, end
        return seconds


def cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(into)], check=True)
    return into


def environment(caches: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if caches:  # pip, uv and the Makefile's tools folder live under XDG_CACHE_HOME, npm's cache under npm_config_cache
        env.pop("TOOLS", None)
        env.update(XDG_CACHE_HOME=str(caches / "xdg"), npm_config_cache=str(caches / "npm"))
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def time_serve(workdir: Path, env: dict[str, str], limit: float = 600) -> dict[str, float]:
    port = free_port()
    run = Run(["serve", f"PORT={port}"], fresh_clone(workdir / "serve"), env, SERVE_STEPS)
    try:
        while not answers(f"http://127.0.0.1:{port}/"):
            if run.process.poll() is not None or run.elapsed() > limit:
                raise RuntimeError("make serve stopped before its first page:\n" + "\n".join(run.lines[-20:]))
            time.sleep(0.1)
        total = run.elapsed()
    finally:
        run.stop()
    return run.breakdown(total, "first page") | {"total": total, "cpu": run.cpu()}


def time_test(workdir: Path, env: dict[str, str], limit: float = 1200) -> tuple[dict[str, float], str]:
    run = Run(["test"], fresh_clone(workdir / "test"), env, TEST_STEPS)
    try:
        run.process.wait(timeout=limit)
        total = run.elapsed()
    finally:
        run.stop()
    closing = next((line for line in reversed(run.lines) if re.search(r"\d+ (passed|failed)", line)), "(no pytest summary)")
    if run.process.returncode != 0:
        raise RuntimeError(f"make test failed ({closing}):\n" + "\n".join(run.lines[-30:]))
    return run.breakdown(total, "tests") | {"total": total, "cpu": run.cpu()}, closing


def row(label: str, seconds: dict[str, float]) -> str:
    return f"{label:<12}" + "".join(f" {name} {value:6.1f} s |" for name, value in seconds.items())


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh clones per command (default 3); medians are printed")
    parser.add_argument("--only", choices=["serve", "test"], help="time one command only")
    parser.add_argument(
        "--cold", action="store_true", help="empty pip, uv and npm caches and tools folder for every run, as on a new machine"
    )
    args = parser.parse_args(argv)
    if shutil.which("make") is None or shutil.which("git") is None:
        parser.error("needs make and git on PATH")
    print(f"{args.runs} fresh clone(s) of {REPO} per command, {'cold' if args.cold else 'warm'} caches, {os.cpu_count()} cores")
    serve_runs, test_runs = [], []
    for number in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="benchmark-setup-") as tmp:
            caches = Path(tmp) / "caches" if args.cold else None
            load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
            try:
                if args.only != "test":
                    serve_runs.append(time_serve(Path(tmp), environment(caches)))
                    print(row(f"serve #{number}", serve_runs[-1]), load, flush=True)
                if args.only != "serve":
                    seconds, closing = time_test(Path(tmp), environment(caches))
                    test_runs.append(seconds)
                    print(row(f"test #{number}", seconds), closing.strip("= "), flush=True)
            except RuntimeError as error:
                print(f"run {number}: {error}", file=sys.stderr)
                return 1
    for label, runs, goal in (("make serve", serve_runs, 60), ("make test", test_runs, 120)):
        if runs:
            median = medians(runs)
            verdict = "within" if median["total"] <= goal else "OVER"
            print(row("median", median), f"{label}: {verdict} the {goal} s goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
