"""scripts/plot.py draws the README's pictures from the data: every dated event, every count of people and sum of money."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image

import plot
from conftest import ARCHIVE, REPO
from package import load_package
from tables import read_rows, read_tables

PEOPLE_AND_MONEY = set(plot.PEOPLE) | set(plot.MONEY)


def drawn(path) -> list[str]:
    """The ids a picture says it draws (its PNG metadata)."""
    return Image.open(path).text["Description"].splitlines()


def test_the_timeline_draws_every_dated_event_in_date_order(tmp_path):
    tables = read_tables(load_package(REPO / "datapackage.json"))
    count = plot.draw_timeline(tables, tmp_path / "timeline.png")
    events = sorted((r["start_date"], r["event_id"]) for r in read_rows(REPO / "data" / "events.csv") if r["start_date"])
    assert drawn(tmp_path / "timeline.png") == [event_id for _, event_id in events]
    assert count == len(events) > 0
    width, height = Image.open(tmp_path / "timeline.png").size
    assert width > 800 and height > 0.3 * 110 * len(events)  # a line per event, readable


def test_the_figures_picture_draws_every_count_of_people_and_sum_of_money_of_an_event(tmp_path):
    tables = read_tables(load_package(REPO / "datapackage.json"))
    plot.draw_figures(tables, tmp_path / "figures.png")
    wanted = {
        r["figure_id"] for r in read_rows(REPO / "data" / "figures.csv") if r["event_id"] and r["metric"] in PEOPLE_AND_MONEY
    }
    assert sorted(drawn(tmp_path / "figures.png")) == sorted(wanted) and wanted


def test_make_plots_writes_both_pictures_beside_the_package_it_is_given(package_copy):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "plot.py"), "datapackage.json", "--archive", str(ARCHIVE)],
        cwd=package_copy.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert drawn(package_copy.root / "docs" / "timeline.png") and drawn(package_copy.root / "docs" / "figures.png")


def test_the_readme_shows_both_pictures():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "![" in readme and "(docs/timeline.png)" in readme and "(docs/figures.png)" in readme


def test_no_label_needs_a_glyph_the_font_lacks(tmp_path):
    """A character the font lacks is drawn as an empty box: the pictures say nothing where the data is Chinese."""
    import warnings

    tables = read_tables(load_package(REPO / "datapackage.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot.draw_timeline(tables, tmp_path / "timeline.png")
        plot.draw_figures(tables, tmp_path / "figures.png")
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
