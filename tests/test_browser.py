"""The site in a real browser: headless Chromium (the pinned build `make browser` unpacks) driven by playwright, no console errors."""

from __future__ import annotations

import base64

import pytest

from chromium import chromium_executable
from conftest import REPO
from serve import background_server

DB = "cambodia-china-anti-fraud"
CHROMIUM = chromium_executable()
SCREENSHOTS = REPO / "build" / "screenshots"
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

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here: `make browser` provides one")


@pytest.fixture(scope="module")
def server(built_site):
    with background_server(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        yield context
        context.close()


def visit(browser, url: str, name: str, wait_for: str):
    """Load a page, wait for `wait_for`, save a screenshot; return the console errors seen."""
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
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(wait_for, timeout=10000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.close()
    return errors


def test_the_index_renders_with_the_package_title(browser, server):
    assert visit(browser, server + "/", "index", "text=Cambodia–China cooperation against online fraud") == []


def test_a_table_page_renders_with_its_facets(browser, server):
    assert visit(browser, f"{server}/{DB}/events", "table-events", ".facet-info") == []


def test_the_map_page_draws_event_markers(browser, server):
    assert visit(browser, f"{server}/{DB}/timeline", "map-timeline", ".leaflet-marker-icon, .marker-cluster") == []


def test_a_row_page_renders_with_links_from_other_tables(browser, server):
    assert (
        visit(browser, f"{server}/{DB}/events/ev-cybercrime-law-passed-2025-08", "row-event", "text=What the sources say") == []
    )


def test_the_figures_over_time_link_draws_a_chart(browser, server):
    from views import CHART

    url = f"{server}/{DB}/figures_over_time#{CHART}"
    assert visit(browser, url, "chart-figures-over-time", ".vega-embed canvas") == []
