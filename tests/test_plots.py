"""scripts/plot.py draws the README's pictures from the data."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_timeline_and_figures_pictures_are_drawn_and_not_empty(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "plot.py"), "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for name in ("timeline.png", "figures.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, name
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width > 800 and height > 600, (name, width, height)


def test_the_readme_shows_both_pictures():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "![" in readme and "(docs/timeline.png)" in readme and "(docs/figures.png)" in readme
