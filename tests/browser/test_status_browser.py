"""Editors in a real browser: sign in, record a status, reload and stay signed in, never save one
project's entry onto another, sign out everywhere; hostile notes stay text.

The note holds HTML; it must show as those characters in the popup, the table and the history,
and run nothing. Project ids are read from the layers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import quote

import pytest
from pages import (
    map_frame,
    new_page,
    open_map,
    open_popup,
    outside_links,
    screenshot,
    settled,
)

from bench.harness import app_server
from geo import i18n, settings
from geo.layers import load_layers
from geo.store import StatusChange, open_store
from geo.store.auth import add_user
from geo.webmap import view as mapview

NOTE = "<img src=x onerror=alert(1)> 已完成可研评审"
SOURCE = "内发改能源字〔2014〕88号"
LINK = "[请点此重新登录](https://evil.example.com/login)"
IMAGE = "![x](http://evil.example.com/b.png)"



@pytest.fixture(scope="module")
def projects():
    return load_layers(settings.DEFAULT_LAYERS)


@pytest.fixture(scope="module")
def lines(projects) -> list[str]:
    """Three corridors that share a partner province (so one view shows them all)."""
    drawn = mapview.drawable_lines(projects)
    for partner in sorted({p for ps in drawn["partner_provinces"] for p in ps}):
        ids = [pid for pid, ps in zip(drawn["id"], drawn["partner_provinces"], strict=True) if partner in ps]
        if len(ids) >= 3:
            return ids[:3]
    pytest.skip("no partner province has three corridors in these layers")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app as deployed, on an empty store with two editor accounts."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'status.sqlite3'}"
    with open_store(db_url) as store:
        add_user(store, "zhang", "energy bureau 2014")
        add_user(store, "liu", "another editor 2014")
    with app_server(env={"GEO_DATABASE_URL": db_url}) as url:
        yield url.rstrip("/"), db_url


def _partner(projects, project_id: str) -> str:
    return str(projects.set_index("id").loc[project_id, "partner_provinces"][0])


def _sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def _sign_in(page, name: str, password: str) -> None:
    sidebar = _sidebar(page)
    sidebar.get_by_label("用户名").fill(name)
    sidebar.get_by_label("密码").fill(password)
    sidebar.get_by_role("button", name="登录", exact=True).click()


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label`` as a user does: open it, type, choose."""
    settled(page)
    box = _sidebar(page).locator("[data-testid='stSelectbox']").filter(has_text=label)
    box.click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def _fields(page) -> tuple[str, str, str]:
    sidebar = _sidebar(page)
    status = sidebar.locator("[data-testid='stSelectbox']").filter(has_text="新状态").locator("input").input_value()
    note = sidebar.get_by_role("textbox", name="进展说明").input_value()
    source = sidebar.get_by_role("textbox", name="依据(文号、会议或链接)").input_value()
    return status, note, source


def _save(page, status: str, note: str, source: str) -> None:
    sidebar = _sidebar(page)
    _choose(page, "新状态", status)
    for name, value in (("进展说明", note), ("依据(文号、会议或链接)", source)):
        box = sidebar.get_by_role("textbox", name=name)
        box.fill(value)
        box.press("Tab")
    settled(page)
    sidebar.get_by_role("button", name="保存").click()


def _wait_project(page, projects, project_id: str, db_url: str) -> None:
    """The form has loaded ``project_id``: its name in the list, its current status line shown."""
    name = projects.set_index("id").loc[project_id, "name_zh"]
    _sidebar(page).locator("[data-testid='stSelectbox']").filter(has_text="项目").locator(
        f"input[value='{name}']").wait_for()
    with open_store(db_url) as store:
        current = store.current(project_id)
    line = f"当前状态:{i18n.status_label(current.status)}"
    page.wait_for_function("(line) => [...document.querySelectorAll('[data-testid=stSidebar] .nmg-small')]"
                           ".some(e => e.innerText.startsWith(line) && !e.closest('[data-stale=true]'))", arg=line)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")


def test_sign_in_change_status_reload_and_stay_signed_in(app_url, browser, projects, lines):  # noqa: F811
    url, db_url = app_url
    page = new_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        frame = open_map(page, url, "?partner=" + quote(_partner(projects, lines[0])))
        _sign_in(page, "zhang", "energy bureau 2014")
        _sidebar(page).get_by_text("已登录:zhang").wait_for()
        open_popup(page, frame, lines[0])          # a click on the map selects the project in the form
        _wait_project(page, projects, lines[0], db_url)
        _save(page, "在建", NOTE, SOURCE)
        _sidebar(page).get_by_text("已保存,新状态:在建").wait_for()
        with open_store(db_url) as store:
            last = store.history(lines[0])[-1]
        assert (last.new_status, last.editor, last.note, last.source) == ("construction", "zhang", NOTE, SOURCE)

        page.reload()                               # the session cookie signs the editor in again
        frame = map_frame(page)
        _sidebar(page).get_by_text("已登录:zhang").wait_for()
        popup = open_popup(page, frame, lines[0])
        text = popup.inner_text()
        assert "在建" in text and "zhang" in text and NOTE in text and popup.locator("img").count() == 0
        assert f"生效日期\t{date.today():%Y-%m-%d}" in text or "生效日期\t" in text
        _sidebar(page).get_by_text("变更记录").first.click()
        history = _sidebar(page).locator("[data-testid='stDataFrame']").first
        history.wait_for()
        screenshot(page, "status-form-history.png")
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies["nmg_session"]["httpOnly"] and cookies["nmg_session"]["sameSite"] == "Strict"
        assert page.evaluate("() => document.cookie").find("nmg_session") < 0  # no script can read it
        assert dialogs == [], "the note ran as HTML"
        assert page.traffic.outside == []
    finally:
        page.context.close()


def test_one_projects_entry_never_reaches_another(app_url, browser, projects, lines):  # noqa: F811
    """Save A; then choose B by a click on the map and C from the list: their fields are empty,
    and saving B without filling it in records nothing."""
    url, db_url = app_url
    a, b, c = lines
    page = new_page(browser)
    try:
        frame = open_map(page, url, "?partner=" + quote(_partner(projects, a)))
        _sign_in(page, "liu", "another editor 2014")
        _sidebar(page).get_by_text("已登录:liu").wait_for()
        open_popup(page, frame, a)
        _wait_project(page, projects, a, db_url)
        _save(page, "已投运", "A 项目的说明", "A 项目的依据")
        _sidebar(page).get_by_text("已保存,新状态:已投运").wait_for()
        with open_store(db_url) as store:
            before = {pid: len(store.history(pid)) for pid in (b, c)}
            current = {pid: store.current(pid).status for pid in (b, c)}

        open_popup(page, frame, b)                  # B by a click on the map
        _wait_project(page, projects, b, db_url)
        assert _fields(page) == (i18n.status_label(current[b]), "", "")
        _sidebar(page).get_by_role("button", name="保存").click()
        _sidebar(page).get_by_text("进展说明:必填。").wait_for()

        names = projects.set_index("id")["name_zh"]
        _choose(page, "项目", names[c])           # C from the list
        _wait_project(page, projects, c, db_url)
        assert _fields(page) == (i18n.status_label(current[c]), "", "")
        assert _sidebar(page).get_by_text("进展说明:必填。").count() == 0  # B's message is gone
        with open_store(db_url) as store:
            assert {pid: len(store.history(pid)) for pid in (b, c)} == before
            assert all("A 项目" not in e.note for pid in (b, c) for e in store.history(pid))
        screenshot(page, "status-form-next-project-empty.png")
    finally:
        page.context.close()


def test_a_wrong_password_is_told_in_chinese_and_leaves_the_field(app_url, browser):  # noqa: F811
    url, _ = app_url
    page = new_page(browser)
    try:
        open_map(page, url)
        _sign_in(page, "zhang", "not the password")
        _sidebar(page).get_by_text("用户名或密码错误。").wait_for()
        assert _sidebar(page).get_by_label("密码").input_value() == ""
        assert _sidebar(page).get_by_text("wrong user name").count() == 0
    finally:
        page.context.close()


def test_sign_out_ends_the_session_everywhere(app_url, browser):  # noqa: F811
    url, _ = app_url
    first = new_page(browser)
    try:
        open_map(first, url)
        _sign_in(first, "zhang", "energy bureau 2014")
        _sidebar(first).get_by_text("已登录:zhang").wait_for()
        first.wait_for_function("() => true")
        _wait_cookie(first)
        token = next(c for c in first.context.cookies() if c["name"] == "nmg_session")
        second = new_page(browser, context=first.context)   # another tab: signed in by the cookie
        open_map(second, url)
        _sidebar(second).get_by_text("已登录:zhang").wait_for()

        _sidebar(first).get_by_role("button", name="退出登录").click()
        _sidebar(first).get_by_role("button", name="登录", exact=True).wait_for()
        first.wait_for_function("() => true")
        _wait_no_cookie(first)
        _sidebar(second).get_by_role("textbox", name=i18n.t("q")).fill("x")  # the other tab's next run
        _sidebar(second).get_by_role("textbox", name=i18n.t("q")).press("Enter")
        _sidebar(second).get_by_role("button", name="登录", exact=True).wait_for()

        elsewhere = browser.new_context()               # a copy of the old cookie is refused too
        elsewhere.add_cookies([token])
        third = new_page(browser, context=_with_traffic(elsewhere))
        open_map(third, url)
        _sidebar(third).get_by_role("button", name="登录", exact=True).wait_for()
        assert _sidebar(third).get_by_text("已登录").count() == 0
        elsewhere.close()
    finally:
        first.context.close()


def test_a_conflicting_note_with_links_and_images_stays_text(app_url, browser, projects, lines):  # noqa: F811
    url, db_url = app_url
    target = lines[2]
    page = new_page(browser)
    try:
        frame = open_map(page, url, "?partner=" + quote(_partner(projects, target)))
        _sign_in(page, "zhang", "energy bureau 2014")
        _sidebar(page).get_by_text("已登录:zhang").wait_for()
        open_popup(page, frame, target)
        _wait_project(page, projects, target, db_url)       # zhang loads the current version
        with open_store(db_url) as store:           # meanwhile liu saves a note full of markup
            from geo.store.auth import authenticate

            liu = authenticate(store, "liu", "another editor 2014")
            store.change_status(StatusChange(target, "shelved", date(2014, 9, 1), f"{LINK} {IMAGE} www.evil.example.com",
                                             "会议纪要"), editor=liu, expected_version=store.current(target).version)
        _save(page, "在建", "我的说明", "我的依据")
        message = _sidebar(page).locator(".nmg-alert").filter(has_text="liu")
        message.wait_for()
        text = message.inner_text()
        assert LINK in text and IMAGE in text       # the note as typed
        assert outside_links(page) == []
        assert message.locator("img, a").count() == 0
        page.wait_for_timeout(500)
        assert page.traffic.outside == [], "the note made the browser fetch something"
        screenshot(page, "status-form-conflict.png")
    finally:
        page.context.close()


def _wait_cookie(page) -> None:
    for _ in range(100):
        if any(c["name"] == "nmg_session" for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the session cookie was never set")


def _wait_no_cookie(page) -> None:
    for _ in range(100):
        if not any(c["name"] == "nmg_session" for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the session cookie was not removed")


def _with_traffic(context):
    from pages import LOCAL, Traffic

    context.traffic = Traffic()
    context.route("**/*", lambda r: r.continue_() if r.request.url.split("/")[2].split(":")[0] in LOCAL
                  else (context.traffic.outside.append(("", r.request.url)), r.abort()))
    return context
