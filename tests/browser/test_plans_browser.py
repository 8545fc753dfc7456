"""Two plans in one map, in Chromium: the newest by default, a year selector, the years a project
appears in, new / named again / not named again, and one history across the years."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fixtures import DATA
from pages import click_project, new_page, open_map, open_popup, screenshot, shown_ids

from bench.harness import app_server
from geo import i18n, settings
from geo.layers import plan_view
from geo.pipeline.build import build_layers

PLAN_2015 = DATA / "nmg-2015-regional-cooperation.txt"
PROJECT = "energy-xilingol-league-shandong"


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("two-plans")
    return folder, build_layers([settings.DEFAULT_PLAN, PLAN_2015], folder).features


@pytest.fixture(scope="module")
def server(layers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from geo import store
    from geo.store import auth

    folder, features = layers
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'status.sqlite3'}"
    with store.open_store(url) as db:
        db.seed(store.Baseline.from_mapping(r) for r in plan_view(features, 2014).drop(columns="geometry")
                .to_dict("records"))
        editor = auth.add_user(db, "王工", "a long enough password 2014")
        db.change_status(store.StatusChange(PROJECT, "construction", date(2014, 11, 4), "锡盟站开工", "国家电网 2014-11"),
                         editor=editor, expected_version=db.current(PROJECT).version)
    with app_server(folder, env={"GEO_DATABASE_URL": url}) as base:
        yield base.rstrip("/")


def test_the_newest_plan_by_default_and_the_years_a_project_appears_in(server, browser, layers) -> None:  # noqa: F811
    _, features = layers
    page = new_page(browser)
    frame = open_map(page, server)
    assert shown_ids(frame) == set(features.loc[features["plan_year"] == 2015, "id"])
    text = open_popup(page, frame, PROJECT).inner_text()
    assert f"{i18n.t('pp_plans', 'zh')}\t2014、2015" in text
    screenshot(page, "plans-popup-zh.png")
    assert page.traffic.outside == []


@pytest.mark.parametrize(("year", "change", "expected"), [
    (2015, "new", lambda f: f["plan_year"].eq(2015) & f["plan_years"].map(lambda y: 2014 not in list(y))),
    (2015, "again", lambda f: f["plan_year"].eq(2015) & f["plan_years"].map(lambda y: 2014 in list(y))),
    (2014, "dropped", lambda f: f["plan_year"].eq(2014) & f["plan_years"].map(lambda y: 2015 not in list(y))),
])
def test_new_named_again_and_dropped(server, browser, layers, year, change, expected) -> None:  # noqa: F811
    _, features = layers
    page = new_page(browser)
    frame = open_map(page, server, f"?plan={year}&change={change}")
    assert shown_ids(frame) == set(features.loc[expected(features), "id"])


def test_one_history_across_the_years(server, browser) -> None:  # noqa: F811
    page = new_page(browser, locale="en-US")
    frame = open_map(page, server, "?lang=en")
    click_project(page, frame, PROJECT)
    name = "Xilingol League–Shandong 1000 kV UHV AC transmission line"
    expander = page.get_by_text(i18n.t("trajectory", "en", name=name))
    expander.click()
    page.locator('[data-testid="stDataFrame"]').last.wait_for()  # its rows: test_plans.py reads them
    screenshot(page, "plans-trajectory-en.png")
