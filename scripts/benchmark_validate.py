"""How much the full validation costs next to bare `frictionless validate`, at growing sizes.

Usage: python scripts/benchmark_validate.py [--sizes 10000,100000,1000000]

For each size it writes a synthetic package (the real rows copied with suffixed ids, so every
key and rule holds), runs `frictionless validate` and `scripts/validate.py` on it as separate
processes, and prints wall time, rows per second, peak memory and the ratio of the two times.
Goal: ratio <= 1.5 at every size, and memory per row flat as the package grows.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import real_row_count, write_synthetic_package

BIN = Path(sys.executable).parent


def run_measured(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated target row counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    per_copy = real_row_count()
    print(
        f"{'rows':>9} | {'frictionless s':>14} {'rows/s':>9} {'MB':>6} | {'validate.py s':>13} {'rows/s':>9} {'MB':>6} | {'ratio':>5}"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows = write_synthetic_package(Path(tmp), math.ceil(size / per_copy))
            descriptor = str(Path(tmp) / "datapackage.json")
            bare = run_measured([str(BIN / "frictionless"), "validate", descriptor])
            full = run_measured(
                [
                    sys.executable,
                    str(Path(__file__).parent / "validate.py"),
                    descriptor,
                    "--archive",
                    str(Path(tmp) / "no-archive"),
                ]
            )
        if bare[2] != 0 or full[2] != 0:
            print(f"{rows:>9} | the synthetic package did not validate (exit {bare[2]} and {full[2]})", file=sys.stderr)
            return 1
        print(
            f"{rows:>9} | {bare[0]:>14.2f} {rows / bare[0]:>9.0f} {bare[1]:>6.0f} | "
            f"{full[0]:>13.2f} {rows / full[0]:>9.0f} {full[1]:>6.0f} | {full[0] / bare[0]:>5.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
