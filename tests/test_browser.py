"""The site in a real browser at 1366x768: headless Chromium (the pinned build `make browser` unpacks) driven by
playwright, no console errors.

Screenshots of the first screen and of the whole page go to build/screenshots/: look at them.
"""

from __future__ import annotations

import base64
import contextlib

import pytest

from chromium import chromium_executable
from conftest import REPO
from serve import background_server
from views import QUERIES

DB = "cambodia-china-anti-fraud"
CHROMIUM = chromium_executable()
SCREENSHOTS = REPO / "build" / "screenshots"
SCREEN = {"width": 1366, "height": 768}  # a common laptop screen: what a reader sees before scrolling
FULL_SCREENSHOT_HEIGHT = 3 * SCREEN["height"]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The map asks a tile server on the internet for its background; tests run offline, so any request
# off the loopback gets a blank tile instead of a network error.
BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here: `make browser` provides one"),
    # One worker starts the server and the browser once (`make test` runs pytest with --dist loadgroup).
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(scope="module")
def server(built_site):
    with background_server(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport=SCREEN,
        )
        yield context
        context.close()


@contextlib.contextmanager
def opened(browser, url: str, name: str):
    """A page at `url` on a 1366x768 screen; on leaving, screenshots (first screen and whole page) and no console errors."""
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:"))
            else route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        ),
    )
    # "load": every script has run. What a test needs from later scripts (a map's pins, a chart) it waits for by name.
    page.goto(url, wait_until="load")
    try:
        yield page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        # The page's top three screens: a 1,000-row result drawn whole took 5 s a screenshot.
        height = min(page.evaluate("document.documentElement.scrollHeight"), FULL_SCREENSHOT_HEIGHT)
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}-full.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": SCREEN["width"], "height": height},
        )
        assert errors == []
    finally:
        page.close()


def on_first_screen(page, selector: str) -> bool:
    """Whether the first element matching `selector` lies wholly within the first screen, unscrolled."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= SCREEN["height"] and box["x"] + box["width"] <= SCREEN["width"]


def test_the_index_renders_with_the_package_title_and_events_first(browser, server):
    with opened(browser, server + "/", "index") as page:
        page.wait_for_selector("text=Cambodia–China cooperation against online fraud")
        assert page.locator(".table-guide dt a").first.inner_text() == "Events"
        assert on_first_screen(page, f'.table-guide a[href="/{DB}/actors"]')


def test_an_events_table_page_shows_title_date_and_verdict_on_the_first_screen(browser, server):
    with opened(browser, f"{server}/{DB}/events", "table-events") as page:
        page.wait_for_selector(".facet-info")
        for column in ("title", "start_date", "verification"):
            assert on_first_screen(page, f"td.col-{column}"), column
        heights = page.eval_on_selector_all(".rows-and-columns tbody tr", "rows => rows.map(r => r.offsetHeight)")
        assert max(heights) <= 100


def test_the_map_page_draws_event_markers_labelled_place_or_place_concerned(browser, server):
    with opened(browser, f"{server}/{DB}/timeline", "map-timeline") as page:
        page.wait_for_selector(".leaflet-marker-icon, .marker-cluster", timeout=10000)
        assert "Place or place concerned" in page.locator("thead").inner_text()


def test_the_laws_row_page_shows_its_verdict_on_the_first_screen(browser, server):
    with opened(browser, f"{server}/{DB}/events/ev-cybercrime-law-passed-2025-08", "row-event") as page:
        badge = ".verdict-line .verdict-contradicted"
        assert page.locator(badge).inner_text() == "contradicted" and on_first_screen(page, badge)
        assert on_first_screen(page, "text=Contradicted by")
        page.wait_for_selector("text=What the sources say")


@pytest.mark.parametrize("query", list(QUERIES))
def test_every_canned_query_runs_from_its_form_and_shows_rows(browser, server, query):
    with opened(browser, f"{server}/{DB}/{query}", f"query-{query}") as page:
        with page.expect_navigation(wait_until="load"):
            page.click("form.sql input[type=submit]")
        assert page.locator(".rows-and-columns tbody tr").count() > 0
        assert page.locator("#sql-query, #sql-editor").count() == 0


def test_the_actor_dossier_finds_hun_sen_by_name(browser, server):
    with opened(browser, f"{server}/{DB}/actor_dossier", "query-actor-dossier-hun-sen") as page:
        page.fill("input[name=name_or_alias]", "Hun Sen")
        with page.expect_navigation(wait_until="load"):
            page.click("form.sql input[type=submit]")
        actors = set(page.locator(".rows-and-columns td.col-actor").all_inner_texts())
        assert actors == {"Hun Sen"} and "Prime Minister" in page.locator(".rows-and-columns").inner_text()


def test_the_figures_over_time_link_draws_a_chart_when_clicked(browser, server):
    with opened(browser, f"{server}/{DB}/figures_over_time", "chart-figures-over-time") as page:
        assert page.locator(".vega-embed canvas, .vega-embed svg").count() == 0
        page.click("text=Show them as a chart")
        page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=10000)
