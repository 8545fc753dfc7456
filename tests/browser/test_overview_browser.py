"""The leaders' overview page in Chromium with no way out: counts that lead to the filtered map,
and a briefing to print, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pages import new_page, screenshot
from pypdf import PdfReader

from bench.harness import app_server
from geo import filters, i18n, settings
from geo.layers import load_layers


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with app_server() as url:
        yield url.rstrip("/")


def _open(browser, server: str, lang: str, **size: int):  # type: ignore[no-untyped-def]  # noqa: F811
    page = new_page(browser, **size)
    page.goto(f"{server}/overview?lang={lang}")
    page.get_by_role("heading", name=i18n.t("overview_title", lang)).wait_for()
    page.locator("table#by_sector").wait_for()
    return page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_counts_every_project_and_links_to_the_filtered_map(server, browser, lang: str) -> None:  # noqa: F811
    page = _open(browser, server, lang)
    layers = load_layers(settings.DEFAULT_LAYERS)
    counts = page.locator("table#by_sector tbody tr td:nth-child(3)").all_inner_texts()
    assert sum(int(c) for c in counts) == len(layers)
    screenshot(page, f"overview-{lang}.png")
    expected = filters.filter_projects(layers, filters.Filters(sectors=("energy",), statuses=("preparing",)))
    row = page.locator("table#by_sector tbody tr").filter(has_text=i18n.sector_label("energy", lang)).filter(
        has_text=i18n.status_label("preparing", lang))
    link = row.get_by_role("link")
    href = link.get_attribute("href") or ""
    assert "sector=energy" in href and "status=preparing" in href and f"lang={lang}" in href
    link.click()
    page.wait_for_url("**/?**sector=energy**")  # the map may then drop lang=zh, the default, from its URL
    assert "status=preparing" in page.url
    page.get_by_text(i18n.t("count", lang, n=len(expected), lines=len(expected), others=0)).wait_for()
    assert page.traffic.outside == [] and _failed(page) == []


def test_overview_on_a_phone_and_a_briefing_download(server, browser) -> None:  # noqa: F811
    page = _open(browser, server, "en", width=390, height=844)
    screenshot(page, "overview-en-390.png")
    page.get_by_role("heading", name=i18n.t("brief_button", "en")).scroll_into_view_if_needed()
    with page.expect_download() as download:
        page.get_by_role("button", name=i18n.t("brief_download", "en")).click()
    path = download.value.path()
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "key items of regional cooperation" in text and "Xilingol League–Shandong" in text
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.traffic.outside == [] and _failed(page) == []


def _failed(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Failed requests, but the two Streamlit's client makes relative to a page's own path first when
    a page other than the main one is opened directly (streamlit/streamlit#7074), then again at the
    root, where they succeed."""
    return [f for f in page.traffic.failed if not ("/overview/_stcore/" in f and "(404)" in f)]
