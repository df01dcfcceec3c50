"""Read datapackage.json and the table schemas it points to, without trusting either to be well formed or safe.

Every file the package names is checked before it is opened: it must be a regular file inside the package's
directory (no FIFO that would hang a reader, no device, no symlink that leaves the package), and JSON files
must be small enough to read at once.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_JSON_BYTES = 10 * 1024 * 1024  # a descriptor or schema is a few KB; anything near this is not one


class PackageError(Exception):
    """The package descriptor cannot be read at all; carries the file to blame."""

    def __init__(self, file: str, message: str):
        super().__init__(message)
        self.file = file
        self.message = message


@dataclass(frozen=True)
class Resource:
    name: str
    path: Path  # absolute path of the CSV
    schema_path: Path | None  # absolute path of the table schema, when given by path
    schema: dict  # the table schema, loaded

    @property
    def fields(self) -> list[dict]:
        return self.schema.get("fields", [])

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields if isinstance(f, dict) and "name" in f]

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    def field(self, name: str) -> dict:
        return next(f for f in self.fields if f["name"] == name)


@dataclass(frozen=True)
class Package:
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource]

    @property
    def root(self) -> Path:
        return self.descriptor_path.parent

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.resources]

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.name == name)


def display_path(path: Path) -> str:
    """A path as a user should see it: relative to the working directory when inside it."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def unsafe_reason(path: Path, root: Path) -> str | None:
    """Why `path` must not be opened as one of the package's files, or None when it is a regular file inside `root`."""
    real, real_root = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    if not real.is_relative_to(real_root):
        return f"leads outside the package directory (to {real})"
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
        return f"is {kind}, not a regular file"
    return None


def read_json(path: Path, root: Path | None = None) -> dict:
    """A JSON object from a file of the package; PackageError (naming the file) when it cannot be one."""
    shown = display_path(path)
    reason = unsafe_reason(path, root or path.parent)
    if reason:
        raise PackageError(shown, reason)
    if path.stat().st_size > MAX_JSON_BYTES:
        raise PackageError(shown, f"is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB: not a descriptor or schema")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(shown, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise PackageError(shown, f"cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(shown, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise PackageError(shown, "not readable JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise PackageError(shown, "must hold a JSON object")
    return data


def load_package(descriptor_path: str | Path) -> Package:
    """Load the descriptor and every table schema it references.

    Raises PackageError on the first file that cannot be read. Assumes the structure checks passed
    (structure_checks.py), as every caller does after validating; it never opens an unsafe path either way.
    """
    descriptor_path = Path(os.path.abspath(descriptor_path))
    descriptor = read_json(descriptor_path)
    shown = display_path(descriptor_path)
    resources = []
    entries = descriptor.get("resources")
    if not isinstance(entries, list):
        raise PackageError(shown, '"resources" must be a list')
    for index, res in enumerate(entries):
        if not isinstance(res, dict) or not isinstance(res.get("path"), str) or not isinstance(res.get("name"), str):
            raise PackageError(shown, f"resource {index + 1} needs a string name and a string path")
        schema, schema_path = res.get("schema", {}), None
        if isinstance(schema, str):
            schema_path = descriptor_path.parent / schema
            schema = read_json(schema_path, descriptor_path.parent)
        if not isinstance(schema, dict):
            raise PackageError(shown, f"resource {res['name']}: schema must be an object or a path")
        resources.append(Resource(res["name"], descriptor_path.parent / res["path"], schema_path, schema))
    return Package(descriptor_path, descriptor, resources)
