"""What a planner reads in a line's popup, in Chromium: why each partner is one, whether the
length is the published one or the drawn one, and how the route was made, in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pages import new_page, open_map, open_popup, screenshot

from bench.harness import app_server
from geo import i18n, settings
from geo.layers import load_layers


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with app_server() as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def layers():  # type: ignore[no-untyped-def]
    return load_layers(settings.DEFAULT_LAYERS).set_index("id")


def _kept(layers, condition) -> str:  # type: ignore[no-untyped-def]
    found = layers[condition(layers)]
    assert len(found), "no such line in the layers"
    return str(found.index[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_border_segment_says_why_the_neighbour_is_a_partner_and_that_its_length_is_published(server, browser,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                                               layers, lang):
    project = _kept(layers, lambda f: f["partner_reason"].map(lambda r: "border" in list(r))
                    & (f["length_source"] == "published"))
    page = new_page(browser)
    frame = open_map(page, server, f"?lang={lang}&sector={layers.loc[project, 'sector']}")
    text = open_popup(page, frame, project).inner_text()
    t = i18n.STRINGS[lang]
    assert t["reason_border"] in text and t["len_published"] in text
    assert f"{round(layers.loc[project, 'length_km']):,} km" in text
    screenshot(page, f"popup-border-{lang}.png")
    assert page.traffic.outside == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_schematic_line_shows_its_drawn_length_beside_the_published_one(server, browser, layers, lang):  # type: ignore[no-untyped-def]  # noqa: F811
    project = _kept(layers, lambda f: (f["length_source"] == "drawn") & f["published_length_km"].notna())
    page = new_page(browser)
    frame = open_map(page, server, f"?lang={lang}&sector={layers.loc[project, 'sector']}")
    text = open_popup(page, frame, project).inner_text()
    t = i18n.STRINGS[lang]
    published = t["len_published_other"].format(km=f"{round(layers.loc[project, 'published_length_km']):,}")
    assert t["len_drawn"] in text and published in text and t["route_schematic"] in text
