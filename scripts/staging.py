"""One run's temporary files, in `<out>/.tmp/`, where the next run finds and removes whatever a killed run left.

A run holds an exclusive lock on `<out>` from before it clears `.tmp/` until it has removed it again. The lock is
flock(2) on the directory itself, which the kernel releases when the process ends, even by SIGKILL: no lock file to
go stale, and two runs into one directory (two `make serve` at once) take turns instead of deleting each other's
files.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING = ".tmp"


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """Lock `out` (created if need be), give a fresh empty `out/.tmp/`, and remove it afterwards, whatever happens."""
    out.mkdir(parents=True, exist_ok=True)
    handle = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        tmp = out / STAGING
        _remove(tmp)  # what a killed run left
        tmp.mkdir()
        try:
            yield tmp
        finally:
            _remove(tmp)
    finally:
        os.close(handle)  # releases the lock


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
