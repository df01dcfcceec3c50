"""Read datapackage.json and the table schemas it points to, without trusting either to be well formed."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


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


@dataclass(frozen=True)
class Package:
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource]

    @property
    def root(self) -> Path:
        return self.descriptor_path.parent

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.name == name)


def display_path(path: Path) -> str:
    """A path as a user should see it: relative to the working directory when inside it."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_json(path: Path) -> dict:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError(shown, "file not found") from None
    except UnicodeDecodeError as exc:
        raise PackageError(shown, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise PackageError(shown, f"cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(shown, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, dict):
        raise PackageError(shown, "must hold a JSON object")
    return data


def load_package(descriptor_path: str | Path) -> Package:
    """Load the descriptor and every table schema it references, raising PackageError on the first unreadable one."""
    descriptor_path = Path(os.path.abspath(descriptor_path))
    descriptor = _load_json(descriptor_path)
    resources = []
    for index, res in enumerate(descriptor.get("resources") or []):
        if not isinstance(res, dict) or not isinstance(res.get("path"), str) or not isinstance(res.get("name"), str):
            raise PackageError(display_path(descriptor_path), f"resource {index + 1} needs a string name and a string path")
        schema, schema_path = res.get("schema", {}), None
        if isinstance(schema, str):
            schema_path = descriptor_path.parent / schema
            schema = _load_json(schema_path)
        resources.append(Resource(res["name"], descriptor_path.parent / res["path"], schema_path, schema))
    return Package(descriptor_path, descriptor, resources)
