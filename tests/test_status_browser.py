"""An editor signs in, changes a status from the sidebar, reloads, and sees it everywhere (real browser).

The note holds HTML; it must show as those characters in the popup, the table and the history,
and run nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _click_line, _open, _open_popup, _screenshot

from bench.paint import app_server
from geo.auth import add_user
from geo.store import open_store

PROJECT = "energy-xilingol-league-shandong"
NOTE = "<img src=x onerror=alert(1)> 已完成可研评审"
SOURCE = "内发改能源字〔2014〕88号"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app as deployed, on an empty store with one editor account."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'status.sqlite3'}"
    with open_store(db_url) as store:
        add_user(store, "zhang", "energy bureau 2014")
    with app_server(env={"GEO_DATABASE_URL": db_url}) as url:
        yield url.rstrip("/"), db_url


def _click(page, frame, project_id: str) -> None:  # type: ignore[no-untyped-def]
    """Click the corridor once the map has settled (a fit animation can hide it for a moment)."""
    for _ in range(20):
        try:
            _click_line(page, frame, project_id)
            return
        except AssertionError:
            page.wait_for_timeout(300)
    _click_line(page, frame, project_id)


@pytest.fixture()
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
        page.set_default_timeout(TIMEOUT_MS)
        yield page
        browser.close()


def test_sign_in_change_status_reload_and_see_it(app_url: tuple[str, str], page) -> None:  # type: ignore[no-untyped-def]
    url, db_url = app_url
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sidebar = page.locator("[data-testid='stSidebar']")
    frame = _open(page, url, "?partner=" + quote("山东省"))

    sidebar.get_by_label("用户名").fill("zhang")
    sidebar.get_by_label("密码").fill("energy bureau 2014")
    sidebar.get_by_role("button", name="登录").click()
    sidebar.get_by_text("已登录:zhang").wait_for()

    _click(page, frame, PROJECT)            # a click on the map selects the project in the form
    sidebar.get_by_text("当前状态:前期工作").wait_for()
    sidebar.locator("[data-testid='stSelectbox']").filter(has_text="新状态").click()
    page.get_by_role("option", name="在建").click()
    note = sidebar.get_by_role("textbox", name="进展说明")
    note.fill(NOTE)
    note.press("Tab")
    source = sidebar.get_by_role("textbox", name="依据(文号、会议或链接)")
    source.fill(SOURCE)
    source.press("Tab")
    sidebar.get_by_role("button", name="保存").click()
    sidebar.get_by_text("已保存,新状态:在建").wait_for()

    with open_store(db_url) as store:
        last = store.history(PROJECT)[-1]
    assert (last.old_status, last.new_status, last.editor, last.note, last.source) == (
        "preparing", "construction", "zhang", NOTE, SOURCE)

    page.reload()
    frame = _open(page, url, "?partner=" + quote("山东省"))
    popup = _open_popup(page, frame, PROJECT)
    assert "在建" in popup.inner_text() and "zhang" in popup.inner_text()
    assert NOTE in popup.inner_text() and popup.locator("img").count() == 0

    table = page.locator("[data-testid='stDataFrame']").first
    assert "zhang" in table.inner_text() or page.get_by_text("· zhang").count() > 0

    sidebar.get_by_text("变更记录").first.click()
    history = sidebar.locator("[data-testid='stDataFrame']").first
    history.wait_for()
    _screenshot(page, "status-form-history.png")
    assert dialogs == [], "the note ran as HTML"
    with open_store(db_url) as store:
        assert [e.new_status for e in store.history(PROJECT)] == ["preparing", "construction"]
