"""uv.lock: every package from PyPI with its hashes, nothing from this machine's disk, every pin of pyproject.toml kept."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO

LOCK = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PACKAGES = [package for package in LOCK["package"] if package["source"] != {"virtual": "."}]


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_locked_package_comes_from_pypi():
    sources = {(kind, where) for package in PACKAGES for kind, where in package["source"].items()}
    assert sources == {("registry", "https://pypi.org/simple")}


def test_every_locked_file_is_downloaded_from_pypi_with_its_hash():
    files = [file for package in PACKAGES for file in package.get("wheels", []) + [package.get("sdist", {})] if file]
    assert files and all(file["url"].startswith("https://files.pythonhosted.org/") for file in files)
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", file["hash"]) for file in files)


def test_the_lock_keeps_every_pin_of_pyproject_including_the_test_tools():
    locked = {normalized(package["name"]): package["version"] for package in PACKAGES}
    pins = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    for pin in pins:
        name, version = pin.split("==")
        assert locked.get(normalized(name)) == version, pin
    assert {"csvkit", "duckdb", "polars"} <= locked.keys()
