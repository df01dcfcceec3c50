"""How much the full validation costs next to bare `frictionless validate`: the real package, growing sizes, many bad rows.

Usage: python scripts/benchmark_validate.py [--sizes 10000,100000,1000000] [--bad 100000] [--bad-share 0.2] [--repeat 5]

For the real package it runs each command `--repeat` times and prints medians. For each size it writes a synthetic
package (the real rows copied with suffixed ids, so every key and rule holds), and for the bad case the same with a
share of its rows corrupted (one cell each: a formula, a stray space, a malformed date or number, a dangling key).
Each command runs as its own process; wall time and peak memory (max RSS) are printed.
Goals: ratio <= 1.5 for valid packages; the bad case within 60 s and 1 GB; memory per row flat as the package grows.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import break_rows, real_row_count, write_synthetic_package

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
VALIDATE = Path(__file__).parent / "validate.py"


def run_measured(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _commands(descriptor: Path, archive: Path) -> tuple[list[str], list[str]]:
    bare = [str(BIN / "frictionless"), "validate", str(descriptor)]
    full = [sys.executable, str(VALIDATE), str(descriptor), "--archive", str(archive)]
    return bare, full


def _line(label: str, rows: int, bare, full) -> str:
    return (
        f"{label:>14} {rows:>9} | {bare[0]:>7.2f} {bare[1]:>6.0f} {bare[2]:>4} | "
        f"{full[0]:>7.2f} {full[1]:>6.0f} {full[2]:>4} | {full[0] / bare[0]:>5.2f}"
    )


def real_package(repeat: int, archive: Path) -> str:
    """Medians of `repeat` runs each on the package in this repository."""
    bare_cmd, full_cmd = _commands(REPO / "datapackage.json", archive)
    bare = [run_measured(bare_cmd) for _ in range(repeat)]
    full = [run_measured(full_cmd) for _ in range(repeat)]

    def median(runs):
        return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), max(r[2] for r in runs)

    return _line(f"real (x{repeat})", real_row_count(), median(bare), median(full))


def synthetic(size: int, bad_share: float = 0.0) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        rows = write_synthetic_package(Path(tmp), math.ceil(size / real_row_count()))
        label = "valid"
        if bad_share:
            label = f"{break_rows(Path(tmp), bad_share)} bad"
        bare, full = (run_measured(c) for c in _commands(Path(tmp) / "datapackage.json", Path(tmp) / "no-archive"))
    expected = 1 if bad_share else 0
    if bare[2] != expected or full[2] != expected:
        print(f"{rows}: expected exit {expected}, got {bare[2]} (frictionless) and {full[2]} (validate.py)", file=sys.stderr)
    return _line(label, rows, bare, full)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated row counts of valid packages")
    parser.add_argument("--bad", type=int, default=100000, help="row count of the package with bad rows (0: skip)")
    parser.add_argument("--bad-share", type=float, default=0.2, help="share of its rows that are corrupted")
    parser.add_argument("--repeat", type=int, default=5, help="runs on the real package (medians are printed)")
    parser.add_argument("--archive", default=str(REPO.parent / "shared" / "sources"), metavar="DIR")
    args = parser.parse_args()
    print(f"{'case':>14} {'rows':>9} | {'frictionless s':>7} {'MB':>6} exit | {'validate.py s':>7} {'MB':>6} exit | ratio")
    print(real_package(args.repeat, Path(args.archive)), flush=True)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        print(synthetic(size), flush=True)
    if args.bad:
        print(synthetic(args.bad, args.bad_share), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
