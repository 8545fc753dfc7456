"""A switch of language keeps every filter, the mode, the basemap and the map's view (real browser).

The browser sends a multiselect's value back as its labels; after a switch those labels are of
the other language, so a page that does not redraw its widgets with the new labels loses the
filters at the next run. Each case opens a view from the URL (codes), switches, checks the
widgets, the URL, the count and the map, then makes two more runs and checks again.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from pages import (
    new_page,
    open_map,
    painted,
    settled,
    shown_ids,
    wait_repainted,
)

from bench.harness import app_server
from geo import filters, i18n, settings
from geo.layers import load_layers, load_provinces_layer


@pytest.fixture(scope="module")
def projects():
    return load_layers(settings.DEFAULT_LAYERS)


@pytest.fixture(scope="module")
def province_en() -> dict[str, str]:
    provinces = load_provinces_layer(settings.DEFAULT_LAYERS)
    return dict(zip(provinces["name"], provinces["name_en"], strict=True))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("store") / "status.sqlite3"
    with app_server(env={"GEO_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url.rstrip("/")


def _cases(projects) -> list[tuple[str, str, filters.Filters, str]]:
    """(from, to, view, basemap) combinations found in the layers: each matches at least one project."""
    rows = projects[projects["partner_provinces"].map(len) > 0]
    first = rows.iloc[0]
    partner, sector, status = first["partner_provinces"][0], first["sector"], first["status"]
    crossing = projects[projects["crossed_provinces"].map(lambda c: isinstance(c, list) and len(c) >= 2)].iloc[0]
    two = tuple(crossing["crossed_provinces"][-2:])
    return [
        ("zh", "en", filters.Filters(partners=(partner,), sectors=(sector,), statuses=(status,)), "none"),
        ("en", "zh", filters.Filters(partners=(partner,), sectors=(sector,), statuses=(status,)), "none"),
        ("zh", "en", filters.Filters(sectors=(sector,), mode="crossed", partners=(partner,)), "tianditu"),
        ("en", "zh", filters.Filters(partners=two, mode="crossed", statuses=(crossing["status"],)), "gcj02"),
    ]


CASES = range(4)


@pytest.mark.parametrize("case", CASES)
def test_switching_language_keeps_the_view(server, browser, projects, province_en, case):  # noqa: F811
    start, target, view, basemap = _cases(projects)[case]
    expected = filters.filter_projects(projects, view)
    assert len(expected) >= 1
    params = {key: values for key, values in filters.params_from_filters(view).items() if key != "lang"}
    if start == "en":
        params["lang"] = ["en"]
    page = new_page(browser)
    try:
        frame = open_map(page, server, "?" + urlencode(params, doseq=True))
        sidebar = page.locator("[data-testid='stSidebar']")
        if basemap != "none":
            sidebar.locator("[data-testid='stSelectbox']").filter(has_text=i18n.t("basemap", start)).click()
            page.get_by_role("option", name=i18n.t(f"basemap_{basemap}", start)).click()
            settled(page)
        frame.evaluate("() => { window.sameFrame = 1; NMG.state.map.setView([41.5, 111.25], 6.25, {animate: false}); }")
        settled(page)
        before = painted(frame)
        sidebar.get_by_text({"zh": "中文", "en": "English"}[target], exact=True).click()
        wait_repainted(frame, before)
        page.get_by_role("heading", name=i18n.t("title", target, year=2014)).wait_for()
        _assert_view(page, frame, view, target, basemap, expected, province_en)
        assert frame.evaluate("() => window.sameFrame") == 1  # the same frame: not reloaded
        assert frame.evaluate("() => NMG.state.map.getZoom()") == 6.25
        # Two more runs of the page (the search box typed in and emptied): the view still holds.
        search = sidebar.get_by_role("textbox", name=i18n.t("q", target))
        for text in ("zz", ""):
            settled(page)
            before = painted(frame)
            search.fill(text)
            search.press("Enter")
            page.wait_for_function("(q) => (new URLSearchParams(location.search).get('q') || '') === q", arg=text)
            wait_repainted(frame, before)
        _assert_view(page, frame, view, target, basemap, expected, province_en)
    finally:
        page.context.close()


def _assert_view(page, frame, view, lang, basemap, expected, province_en) -> None:
    query = parse_qs(urlparse(page.url).query)
    wanted = {k: v for k, v in filters.params_from_filters(view).items() if k != "lang"}
    assert {k: v for k, v in query.items() if k != "lang"} == wanted
    assert query.get("lang") == (["en"] if lang == "en" else None)
    lines = int(frame.evaluate("() => NMG.drawnLineIds().length"))
    count = i18n.t("count", lang, n=len(expected), lines=lines, others=len(expected) - lines)
    page.get_by_text(count).wait_for()
    assert shown_ids(frame) == set(expected["id"])
    sidebar = page.locator("[data-testid='stSidebar']")
    chips = {tag.get_attribute("aria-label") for tag in sidebar.locator(".react-aria-ComboBox [data-tag]").all()}
    labels = {province_en.get(p, p) if lang == "en" else p for p in view.partners}
    labels |= {i18n.sector_label(s, lang) for s in view.sectors} | {i18n.status_label(s, lang) for s in view.statuses}
    assert {c.strip() for c in chips} == labels
    mode = sidebar.locator("[data-testid='stRadio']").filter(has_text=i18n.t("mode", lang))
    assert mode.locator("label[data-selected='true']").count() == 1
    assert mode.locator("label[data-selected='true']").inner_text().strip() == i18n.t(f"mode_{view.mode}", lang)
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=i18n.t("basemap", lang))
    assert box.locator("input[role='combobox']").input_value() == i18n.t(f"basemap_{basemap}", lang)
