"""Where the build and the release may write: inside their own output directory, and zip entries inside the zip.

The names come from the package (its slug, its version, its table names). The validator already refuses a name
that is not a slug, but a writer does not rely on its callers: each output path is resolved (symlinks followed)
and compared with the directory it must stay in, and each zip entry is normalised and checked before it is written.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


class UnsafeOutput(Exception):
    """An output path or zip entry that would leave the place it must be written in."""


def owned(root: Path, *parts: str) -> Path:
    """`root/parts`, resolved; UnsafeOutput unless it lies strictly inside `root` (also resolved)."""
    real_root = Path(os.path.realpath(root))
    path = Path(os.path.realpath(real_root.joinpath(*parts)))
    if path == real_root or not path.is_relative_to(real_root):
        raise UnsafeOutput(f"{'/'.join(parts)!r} would be written outside {root} (at {path}): refused")
    return path


def zip_entry(relative: str | PurePosixPath) -> str:
    """A zip entry name: relative, POSIX, normalised; UnsafeOutput for one that is absolute or climbs out with `..`."""
    text = str(relative)
    if "\\" in text or ":" in text or "\0" in text:
        raise UnsafeOutput(f"zip entry {text!r}: backslashes, drive letters and NUL are refused")
    path = PurePosixPath(text)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafeOutput(f"zip entry {text!r} must be a relative path inside the zip: refused")
    return "/".join(part for part in path.parts if part != ".")
