"""The release zip: a Frictionless data package in itself, `datapackage.json` at its root.

`frictionless validate <zip>` and `frictionless.Package("<zip>")` read it as it is. The released descriptor gives
each table's `bytes` and `hash` (`sha256:<hex>`, Data Package v2), computed on the very bytes the zip holds; the
README, data dictionary and CITATION.cff are generated for the zip. Entries are relative, normalised POSIX names
(checked), regular files with mode -rw-r--r--, in sorted order with a fixed time, so the same package gives the
same zip byte for byte.
"""

from __future__ import annotations

import copy
import hashlib
import json
import stat
import zipfile
from pathlib import Path

import citation
import release_readme
from docs import data_dictionary
from owned_paths import zip_entry
from package import Package

ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # every entry gets this time, so the same files give the same zip
FILE_MODE = (stat.S_IFREG | 0o644) << 16  # a regular file, -rw-r--r--, in the Unix half of external_attr


def zip_contents(package: Package, zip_name: str) -> dict[str, bytes]:
    """Every entry of the zip, by name, and the bytes it holds."""
    files: dict[str, bytes] = {}
    for res, resource in zip(package.descriptor["resources"], package.resources):
        files[zip_entry(res["path"])] = resource.path.read_bytes()
        if resource.schema_path:
            files[zip_entry(res["schema"])] = resource.schema_path.read_bytes()
    files["datapackage.json"] = released_descriptor(package.descriptor, files)
    for name in release_readme.EXTRA_FILES:
        if (package.root / name).is_file():
            files[zip_entry(name)] = (package.root / name).read_bytes()
    files["CITATION.cff"] = citation.render(package.descriptor).encode("utf-8")
    files["docs/data-dictionary.md"] = data_dictionary(package).encode("utf-8")
    files["README.md"] = release_readme.render(package, zip_name, set(files) | {"README.md"}).encode("utf-8")
    return files


def released_descriptor(descriptor: dict, files: dict[str, bytes]) -> bytes:
    """The package's descriptor with each table's size and SHA-256, from the bytes the zip holds."""
    released = copy.deepcopy(descriptor)
    for res in released["resources"]:
        data = files[zip_entry(res["path"])]
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    return (json.dumps(released, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_zip(files: dict[str, bytes], target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(zip_entry(name), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so unzip applies the mode below
            info.external_attr = FILE_MODE
            archive.writestr(info, files[name])
