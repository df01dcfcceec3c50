"""Archived source texts, found by their SHA-256 in a directory given on the command line.

The texts are others' words and are not redistributed with the package; `para N` locators count
their non-empty lines from 1.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path


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
            if path.is_file():
                data = path.read_bytes()
                try:
                    texts[hashlib.sha256(data).hexdigest()] = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue
        return texts

    def has(self, sha256: str) -> bool:
        return sha256 in self._texts_by_sha256

    def paragraphs(self, sha256: str) -> list[str] | None:
        """The text's non-empty lines, or None when no archived file has this hash."""
        text = self._texts_by_sha256.get(sha256)
        return None if text is None else [line for line in text.splitlines() if line.strip()]

    def paragraph(self, sha256: str, locator: str) -> str | None:
        """The text of `para N`, or None when the text or the paragraph does not exist."""
        paragraphs = self.paragraphs(sha256)
        number = parse_locator(locator)
        if paragraphs is None or number is None or not 1 <= number <= len(paragraphs):
            return None
        return paragraphs[number - 1]


def parse_locator(locator) -> int | None:
    if not isinstance(locator, str) or not locator.startswith("para "):
        return None
    number = locator[5:]
    return int(number) if number.isdigit() else None
