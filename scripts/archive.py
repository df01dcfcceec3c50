"""Archived source texts, found by their SHA-256 in a directory given on the command line.

The texts are others' words and are not redistributed with the package; `para N` locators count their
non-empty lines from 1, and `para N-M` names a span of them. Only regular files of at most MAX_BYTES are read:
the directory is the user's, but a FIFO or a device in it must not hang or exhaust the validator.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
_LOCATOR = re.compile(r"para ([1-9][0-9]*)(?:-([1-9][0-9]*))?")


class Archive:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    @property
    def available(self) -> bool:
        return self.directory.is_dir()

    @cached_property
    def _texts_by_sha256(self) -> dict[str, str]:
        texts = {}
        for path in sorted(self.directory.iterdir()) if self.available else []:
            if path.is_file() and path.stat().st_size <= MAX_BYTES:  # is_file follows links: no FIFO, no device
                data = path.read_bytes()
                try:
                    texts[hashlib.sha256(data).hexdigest()] = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue
        return texts

    def has(self, sha256: str) -> bool:
        return sha256 in self._texts_by_sha256

    def text(self, sha256: str) -> str | None:
        return self._texts_by_sha256.get(sha256)

    def paragraphs(self, sha256: str) -> list[str] | None:
        """The text's non-empty lines, or None when no archived file has this hash."""
        text = self._texts_by_sha256.get(sha256)
        return None if text is None else [line for line in text.splitlines() if line.strip()]

    def paragraph(self, sha256: str, locator: str) -> str | None:
        """The text of `para N` (or of the span `para N-M`, its lines joined), or None when it does not exist."""
        paragraphs = self.paragraphs(sha256)
        span = parse_locator(locator)
        if paragraphs is None or span is None or not 1 <= span[0] <= span[1] <= len(paragraphs):
            return None
        return "\n".join(paragraphs[span[0] - 1 : span[1]])


def parse_locator(locator) -> tuple[int, int] | None:
    """`para 3` -> (3, 3); `para 8-9` -> (8, 9); anything else -> None (the schema's pattern reports it)."""
    match = _LOCATOR.fullmatch(locator) if isinstance(locator, str) else None
    if match is None:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)
