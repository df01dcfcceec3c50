"""Provide the headless Chromium that the browser tests drive, from the npm registry: no apt, no root.

Usage: python scripts/chromium.py   (what `make browser` runs; prints the browser it provides)

The npm package @sparticuz/chromium ships a pinned Chromium build (chrome-headless-shell, with the
few libraries it needs) inside the package itself, Brotli-compressed. `npm pack` fetches it by name,
this script checks its SHA-512 against the pin below, as a lock would, and unpacks it into the
folder of tools every clone on the machine shares (`tools_directory()`), in 5-11 s where Debian's
chromium costs 25-66 s of apt-get on a fresh machine; a second clone finds it there.
Playwright's own browser download needs more internet than a package registry, and fails here.
The package holds an x86-64 Linux build only: elsewhere, or without npm, Debian's chromium is used
(installed through apt-get when missing, with sudo when not root).
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import fcntl
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import brotli

PACKAGE = "@sparticuz/chromium"
VERSION = "153.0.0"
# npm's integrity of the package's tarball (`npm view @sparticuz/chromium@153.0.0 dist.integrity`).
INTEGRITY = "sha512-jiGWqSvPMdu4+P9TilYqAR7yEGPEHINx+lCvE/NqNO/EHYzF/x1hUiI5T6ioVIt7dEy7n88byyT0vk+dnsgQwA=="


REPO = Path(__file__).resolve().parent.parent


def tools_directory() -> Path:
    """Where uv and the browser are kept: TOOLS, else the user's cache folder, else (no home, or a space make cannot
    take in a path) .tools/ in the clone, as the Makefile says (a test checks both agree), so every clone and every
    way of running the tests finds the same browser."""
    if os.environ.get("TOOLS"):
        return REPO / os.environ["TOOLS"]  # a relative one is the clone's, as for make
    home = os.environ.get("HOME")
    cache = os.environ.get("XDG_CACHE_HOME") or (f"{home}/.cache" if home else ".tools")
    tools = f"{cache}/cambodia-china-anti-fraud"
    return REPO / (".tools/cambodia-china-anti-fraud" if re.search(r"[ \t\n]", tools) else tools)  # make's blanks


HOME = tools_directory() / f"chromium-{VERSION}"
PINNED = HOME / "chromium"

# The binary finds its libraries (nss, nspr, expat: built for the same glibc) through this launcher.
LAUNCHER = """#!/bin/sh
here="$(dirname "$(readlink -f "$0")")"
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/headless_shell" "$@"
"""


class ChromiumError(Exception):
    """What stopped the browser from being provided, worded for the person running `make browser`."""


def chromium_executable() -> Path | None:
    """The browser the tests drive: the pinned build once unpacked, else Debian's chromium, else None."""
    if PINNED.is_file():
        return PINNED
    found = shutil.which("chromium")
    return Path(found) if found else None


def pinned_build_available() -> bool:
    return sys.platform == "linux" and platform.machine() == "x86_64" and shutil.which("npm") is not None


def fetch_package(into: Path) -> Path:
    """`npm pack` the pinned version into `into` and return the tarball, refusing any other content."""
    result = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(into), "--json", "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ChromiumError(f"npm pack {PACKAGE}@{VERSION} failed: {result.stderr.strip() or result.stdout.strip()}")
    try:
        packed = json.loads(result.stdout)[0]
    except (json.JSONDecodeError, IndexError, KeyError):
        raise ChromiumError(f"npm pack printed no report of what it packed: {result.stdout.strip()[:200]!r}") from None
    if packed["integrity"] != INTEGRITY:
        raise ChromiumError(f"{PACKAGE}@{VERSION} from npm has integrity {packed['integrity']}, not the pinned {INTEGRITY}")
    return into / packed["filename"]


def unpack(tarball: Path, into: Path) -> None:
    """Write the browser, its software GL and its libraries from the package's Brotli files into `into`."""
    with tarfile.open(tarball) as package:

        def inflated(name: str) -> bytes:
            return brotli.decompress(package.extractfile(f"package/bin/{name}").read())

        into.mkdir(parents=True)
        (into / "headless_shell").write_bytes(inflated("chromium.br"))
        (into / "headless_shell").chmod(0o755)
        with tarfile.open(fileobj=io.BytesIO(inflated("swiftshader.tar.br"))) as swiftshader:
            swiftshader.extractall(into, filter="data")
        with tarfile.open(fileobj=io.BytesIO(inflated("al2023.tar.br"))) as libraries:
            libraries.extractall(into, filter="data")
    (into / "chromium").write_text(LAUNCHER)
    (into / "chromium").chmod(0o755)


def install_pinned() -> None:
    """Unpack the pinned build into HOME, whole or not at all; a build another run put there meanwhile is kept.

    The folder is shared by every clone: the check and the replacement happen under a lock on it (flock, dropped by
    the kernel when the process ends), so two runs at once never replace each other's build.
    """
    try:
        HOME.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=HOME.parent, prefix=".chromium-") as tmp:
            print(f"Fetching {PACKAGE} {VERSION} (a pinned headless Chromium) with npm into {HOME} …", file=sys.stderr)
            unpacked = Path(tmp) / "unpacked"
            unpack(fetch_package(Path(tmp)), unpacked)
            handle = os.open(HOME.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
                if PINNED.is_file():
                    return  # another clone's run unpacked it while this one did: the same build, maybe in use
                if HOME.exists():  # an older, interrupted unpacking's remains: set aside, removed with tmp
                    os.rename(HOME, Path(tmp) / "stale")
                os.rename(unpacked, HOME)
            finally:
                os.close(handle)
    except OSError as error:  # a full disk, an unwritable or blocked folder: said, not a traceback
        raise ChromiumError(f"could not unpack the browser into {HOME}: {error}") from None


def install_debian_chromium() -> None:
    """The fallback: Debian's chromium through apt-get, which takes 25-66 s on a fresh machine."""
    if shutil.which("apt-get") is None:
        raise ChromiumError("no npm and no apt-get here: install Chromium (`chromium` on PATH), or the browser tests skip")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing Debian's chromium for the browser tests (no npm, or not x86-64 Linux) …", file=sys.stderr)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(sudo + command, stdout=subprocess.DEVNULL).returncode != 0:
            raise ChromiumError(f"`{' '.join(sudo + command)}` failed")


def provide_chromium() -> Path:
    """The browser for the tests, fetched or installed first when this machine has none."""
    if not PINNED.is_file():
        if pinned_build_available():
            try:
                install_pinned()
            except ChromiumError as error:
                if shutil.which("chromium") is None:
                    raise
                print(f"{error}; using this machine's chromium instead", file=sys.stderr)
        elif shutil.which("chromium") is None:
            install_debian_chromium()
    executable = chromium_executable()
    if executable is None:
        raise ChromiumError("no chromium on PATH even after installing it")
    try:
        version = subprocess.run([str(executable), "--version"], capture_output=True, text=True)
    except OSError as error:
        raise ChromiumError(f"{executable} does not start: {error}") from None
    if version.returncode != 0:
        raise ChromiumError(f"{executable} does not start: {version.stderr.strip()}")
    print(f"{version.stdout.strip()} at {executable}", file=sys.stderr)
    return executable


def main() -> int:
    try:
        provide_chromium()
    except ChromiumError as error:
        print(f"make browser: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
