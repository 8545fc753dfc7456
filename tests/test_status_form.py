"""The status form's rules in Streamlit's AppTest, against a real SQLite store and the real layers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.auth import add_user
from geo.store import open_store

APP = str(settings.ROOT / "app.py")
RAIL = "rail-hohhot-zhangjiakou"          # led by the railway office
POWER = "energy-xilingol-league-shandong"  # led by the energy development bureau
RAILWAY_OFFICE = "内蒙古自治区铁路建设重点项目办公室"


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'status.sqlite3'}"
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    with open_store(url) as store:
        add_user(store, "wang", "correct horse battery")
        add_user(store, "li", "rail office secret", agency=RAILWAY_OFFICE)
    yield url
    st.cache_resource.clear()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def _fill(at: AppTest, project: str, status: str, *, when: date | None = None, note: str = "批复可研",
          source: str = "发改基础〔2014〕1号") -> AppTest:
    at.selectbox(key="status_project").set_value(project).run()
    at.selectbox(key="status_value").set_value(status)
    at.date_input(key="status_date").set_value(when or date(2014, 6, 30))
    at.text_area(key="status_note").input(note)
    at.text_input(key="status_source").input(source)
    return at.button(key="status_submit").click().run()


def _history(url: str, project: str) -> list:
    with open_store(url) as store:
        return store.history(project)


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def test_viewing_needs_no_account_and_shows_no_form(store_url: str) -> None:
    at = _app()
    assert not at.exception
    assert at.text_input(key="login_user") is not None
    assert not [b for b in at.button if b.key == "status_submit"]


def test_nothing_is_written_without_a_signed_in_editor(store_url: str) -> None:
    at = _app()
    # Whatever the widgets' state says, the form's values are never written without an editor.
    for key, value in {"status_project": RAIL, "status_value": "operating", "status_note": "x",
                       "status_source": "y", "status_date": date(2014, 6, 1)}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert [e.new_status for e in _history(store_url, RAIL)] == ["construction"]


@pytest.mark.parametrize(("name", "password"), [("wang", "wrong"), ("nobody", "correct horse battery")])
def test_wrong_credentials_get_one_message(store_url: str, name: str, password: str) -> None:
    at = _sign_in(_app(), name, password)
    assert "wrong user name or password" in _errors(at)
    assert "editor" not in at.session_state


def test_editor_changes_a_status_and_the_map_shows_it(store_url: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    assert not at.exception and not at.error
    at = _fill(at, RAIL, "operating")
    assert not at.error, _errors(at)
    history = _history(store_url, RAIL)
    assert [(e.old_status, e.new_status, e.editor) for e in history][-1] == ("construction", "operating", "wang")
    assert history[-1].note == "批复可研" and history[-1].source == "发改基础〔2014〕1号"
    assert any("已投运" in s.value for s in at.success)
    table = at.dataframe[0].value.set_index("编号")
    assert table.loc[RAIL, "状态"] == "已投运"               # the table shows the new status at once
    assert table.loc[RAIL, "最近更新"].endswith("· wang")    # "last changed on DATE by NAME"


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"note": ""}, "进展说明: required"),
        ({"source": ""}, "依据(文号、会议或链接): required"),
        ({"note": "长" * 2001}, "at most 2,000"),
        ({"when": date(2013, 12, 31)}, "before the plan year"),
        ({"when": date.today() + timedelta(days=30)}, "in the future"),
    ],
)
def test_bad_entries_are_refused_at_the_field(store_url: str, change: dict, field_message: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, RAIL, "operating", **change)
    assert field_message in _errors(at)
    assert len(_history(store_url, RAIL)) == 1


def test_editor_limited_to_an_agency(store_url: str) -> None:
    at = _sign_in(_app(), "li", "rail office secret")
    at = _fill(at, POWER, "construction")
    assert "agency" in _errors(at)
    assert len(_history(store_url, POWER)) == 1
    at = _fill(at, RAIL, "operating")
    assert not at.error, _errors(at)
    assert _history(store_url, RAIL)[-1].editor == "li"


def test_concurrent_edit_is_not_overwritten(store_url: str) -> None:
    first = _sign_in(_app(), "wang", "correct horse battery")
    first.selectbox(key="status_project").set_value(RAIL).run()       # loads version 1
    second = _sign_in(_app(), "li", "rail office secret")
    second = _fill(second, RAIL, "operating", note="通车")               # version 2
    first = _fill(first, RAIL, "shelved", note="暂缓")
    message = _errors(first)
    assert "li" in message and "operating" in message
    assert [e.new_status for e in _history(store_url, RAIL)] == ["construction", "operating"]
    first = _fill(first, RAIL, "shelved", note="暂缓,已知悉通车")        # now made knowing it
    assert [e.new_status for e in _history(store_url, RAIL)][-1] == "shelved"


def test_sign_out(store_url: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = at.button(key="logout").click().run()
    assert "editor" not in at.session_state
    assert not [b for b in at.button if b.key == "status_submit"]


def test_store_unreachable_keeps_the_map_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = _app()
    assert not at.exception
    assert [el for el in at.main if getattr(el, "type", None) == "component_instance"], "the map is gone"
    assert any("127.0.0.1" in w.value or "reach" in w.value for w in at.warning)
    st.cache_resource.clear()


def test_progress_report_downloads_are_offered_and_built_on_demand(store_url: str) -> None:
    from geo.layers import load_layers
    from ui.status_form import _report_file

    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, RAIL, "operating", note="全线通车")
    keys = {b.key for b in at.get("download_button")}
    assert {"report_html", "report_csv", "report_xlsx"} <= keys
    rows = load_layers().drop(columns="geometry").to_dict("records")
    with open_store(store_url) as store:
        html = _report_file(store, rows, 2014, "html")
        xlsx = _report_file(store, rows, 2014, "xlsx")
    assert isinstance(html, str) and "全线通车" in html and RAILWAY_OFFICE in html
    assert isinstance(xlsx, bytes) and xlsx[:2] == b"PK"
