"""The status form's rules in Streamlit's AppTest, against a real SQLite store and the real layers:
every message in the page's language, the form empty for each project, no save of a repeat."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import i18n, settings
from geo.layers import load_layers
from geo.store import open_store
from geo.store.auth import add_user
from ui import mapframe, site

PAGE = str(settings.ROOT / "ui" / "page.py")
RAILWAY_OFFICE = "内蒙古自治区铁路建设重点项目办公室"


@pytest.fixture(scope="module")
def projects():
    return load_layers()


@pytest.fixture(scope="module")
def rail(projects) -> str:
    """A project the railway office leads."""
    return str(projects[projects["lead_agencies"].map(lambda a: RAILWAY_OFFICE in a)].iloc[0]["id"])


@pytest.fixture(scope="module")
def other(projects) -> str:
    """A project the railway office neither leads nor helps."""
    helps = projects["lead_agencies"].map(list) + projects["cooperating_agencies"].map(list)
    return str(projects[~helps.map(lambda a: RAILWAY_OFFICE in a)].iloc[0]["id"])


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'status.sqlite3'}"
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    monkeypatch.setenv("GEO_VAR_DIR", str(tmp_path / "var"))
    site.forget()
    with open_store(url) as store:
        add_user(store, "wang", "correct horse battery")
        add_user(store, "li", "rail office secret", agency=RAILWAY_OFFICE)
    yield url
    site.forget()


def _app(**query: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params.update(query)
    at.session_state[mapframe.READY] = True  # what the frame reports once it has drawn the map
    return at.run()


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


def _boxes(at: AppTest, kind: str) -> list[str]:
    """The texts of the page's message boxes of ``kind`` (``ui.layout.alert``), as shown."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h.value)) for h in at.html if f'class="nmg-alert nmg-{kind}"' in h.value]


def _errors(at: AppTest) -> str:
    return " | ".join(_boxes(at, "error"))


def _other_status(url: str, project: str) -> str:
    with open_store(url) as store:
        current = store.current(project).status
    return "operating" if current != "operating" else "shelved"


def test_viewing_needs_no_account_and_shows_no_form(store_url: str) -> None:
    at = _app()
    assert not at.exception
    assert at.text_input(key="login_user") is not None
    assert not [b for b in at.button if b.key == "status_submit"]


def test_nothing_is_written_without_a_signed_in_editor(store_url: str, rail: str) -> None:
    at = _app()
    for key, value in {"status_project": rail, "status_value": "operating", "status_note": "x",
                       "status_source": "y", "status_date": date(2014, 6, 1)}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert len(_history(store_url, rail)) == 1


@pytest.mark.parametrize(("name", "password"), [("wang", "wrong"), ("nobody", "correct horse battery")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wrong_credentials_get_one_message_in_the_pages_language_and_an_empty_password(
        store_url: str, name: str, password: str, lang: str) -> None:
    at = _sign_in(_app(**({"lang": "en"} if lang == "en" else {})), name, password)
    assert _errors(at) == {"zh": "用户名或密码错误。", "en": "Wrong user name or password."}[lang]
    assert "editor" not in at.session_state
    assert at.text_input(key="login_password").value == ""  # not left in the field


def test_a_locked_name_is_told_in_chinese_until_when(store_url: str) -> None:
    at = _app()
    for _ in range(6):
        at = _sign_in(at, "wang", "wrong")
    message = _errors(at)
    assert message.startswith("登录失败次数过多,请于 ") and "too many" not in message


def test_editor_changes_a_status_and_the_table_shows_when_it_took_effect(store_url: str, rail: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    assert not at.exception and not at.error
    new = _other_status(store_url, rail)
    at = _fill(at, rail, new)
    assert not at.error, _errors(at)
    history = _history(store_url, rail)
    assert (history[-1].new_status, history[-1].editor, history[-1].note) == (new, "wang", "批复可研")
    assert any(i18n.status_label(new) in s for s in _boxes(at, "success"))
    table = at.dataframe[0].value.set_index("编号")
    assert table.loc[rail, "状态"] == i18n.status_label(new)
    assert table.loc[rail, "生效日期"] == "2014-06-30"              # when it took effect, not when recorded
    assert table.loc[rail, "填报"].startswith("wang · ")
    assert table.loc[[i for i in table.index if i != rail][0], "生效日期"] == i18n.t("plan_origin")


def test_the_form_clears_after_a_save_and_starts_empty_for_the_next_project(store_url: str, rail: str,
                                                                             other: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, rail, _other_status(store_url, rail), note="A 的说明", source="A 的依据")
    assert not at.error, _errors(at)
    assert at.text_area(key="status_note").value == "" and at.text_input(key="status_source").value == ""
    at.selectbox(key="status_project").set_value(other).run()
    with open_store(store_url) as store:
        current = store.current(other)
    assert at.selectbox(key="status_value").value == current.status  # preset to B's current status
    assert at.text_area(key="status_note").value == "" and at.text_input(key="status_source").value == ""
    assert at.date_input(key="status_date").value == date.today() or at.date_input(key="status_date").value == (
        date.today() + timedelta(days=1))  # today in China time
    at.button(key="status_submit").click().run()  # nothing of A reaches B
    assert len(_history(store_url, other)) == 1
    assert "必填" in _errors(at)


def test_a_save_that_repeats_the_current_record_is_refused_at_the_status(store_url: str, rail: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    new = _other_status(store_url, rail)
    at = _fill(at, rail, new, note="通车", when=date(2014, 7, 1))
    at = _fill(at, rail, new, note="通车", when=date(2014, 7, 1))
    assert i18n.t("unchanged") in _errors(at)
    assert len(_history(store_url, rail)) == 2
    at.text_area(key="status_note").input("通车,补充说明").run()  # changing the note clears the message
    assert i18n.t("unchanged") not in _errors(at)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"note": ""}, "status_note", "必填。"),
        ({"source": ""}, "status_source", "必填。"),
        ({"note": "长" * 2001}, "status_note", "2,001 个字符,最多 2,000 个。"),
        ({"when": date(2013, 12, 31)}, "status_date", "2013-12-31 早于规划年度"),
        ({"when": date.today() + timedelta(days=30)}, "status_date", "晚于今天"),
    ],
)
def test_bad_entries_are_refused_at_the_field_in_chinese(store_url: str, rail: str, change: dict, field: str,
                                                         message: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, rail, _other_status(store_url, rail), **change)
    errors = _errors(at)
    assert f"{i18n.t(field)}:" in errors and message in errors
    assert "required" not in errors and "future" not in errors and "before the plan" not in errors
    assert len(_history(store_url, rail)) == 1


def test_a_fixed_field_loses_its_message(store_url: str, rail: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, rail, _other_status(store_url, rail), note="")
    assert i18n.t("status_note") in _errors(at)
    at.text_area(key="status_note").input("补上说明").run()
    assert i18n.t("status_note") not in _errors(at)


def test_english_field_messages(store_url: str, rail: str) -> None:
    at = _sign_in(_app(lang="en"), "wang", "correct horse battery")
    at = _fill(at, rail, _other_status(store_url, rail), when=date.today() + timedelta(days=30))
    assert "Effective date: " in _errors(at) and "is in the future (today is" in _errors(at)


def test_editor_limited_to_an_agency(store_url: str, rail: str, other: str) -> None:
    at = _sign_in(_app(), "li", "rail office secret")
    at = _fill(at, other, _other_status(store_url, other))
    assert "你的单位" in _errors(at) and RAILWAY_OFFICE in _errors(at)
    assert len(_history(store_url, other)) == 1
    at = _fill(at, rail, _other_status(store_url, rail))
    assert not at.error, _errors(at)
    assert _history(store_url, rail)[-1].editor == "li"


def test_concurrent_edit_is_not_overwritten_and_the_message_says_who(store_url: str, rail: str) -> None:
    first = _sign_in(_app(), "wang", "correct horse battery")
    first.selectbox(key="status_project").set_value(rail).run()       # loads version 1
    second = _sign_in(_app(), "li", "rail office secret")
    second = _fill(second, rail, "operating", note="通车")              # version 2
    first = _fill(first, rail, "shelved", note="暂缓")
    message = _errors(first)
    assert "li" in message and "已投运" in message and "通车" in message and "version" not in message
    assert [e.new_status for e in _history(store_url, rail)][-1] == "operating"
    first = _fill(first, rail, "shelved", note="暂缓,已知悉通车")       # now made knowing it
    assert [e.new_status for e in _history(store_url, rail)][-1] == "shelved"


def test_sign_out(store_url: str) -> None:
    at = _sign_in(_app(), "wang", "correct horse battery")
    at = at.button(key="logout").click().run()
    assert "editor" not in at.session_state
    assert not [b for b in at.button if b.key == "status_submit"]
    assert at.session_state["session_request"]["op"] == "end"  # the frame drops the cookie


def test_store_unreachable_keeps_the_map_and_says_so_without_details(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("GEO_VAR_DIR", str(tmp_path / "var"))
    site.forget()
    at = _app()
    assert not at.exception
    assert [el for el in at.main if getattr(el, "type", None) == "component_instance"], "the map is gone"
    warnings = " ".join(_boxes(at, "warning"))
    assert i18n.t("store_down") in warnings
    for detail in ("127.0.0.1", "nobody", "psycopg", "postgresql", "none", "OperationalError"):
        assert detail not in warnings
    site.forget()


def test_progress_report_csv_has_a_bom_and_china_time(store_url: str, rail: str, projects) -> None:
    from ui.history import report_file

    at = _sign_in(_app(), "wang", "correct horse battery")
    at = _fill(at, rail, _other_status(store_url, rail), note="全线通车")
    keys = {b.key for b in at.get("download_button")}
    assert {"report_html", "report_csv", "report_xlsx"} <= keys
    rows = projects.drop(columns="geometry").to_dict("records")
    with open_store(store_url) as store:
        data = report_file(store, rows, 2014, "csv")
        recorded = store.history(rail)[-1].changed_at.astimezone(settings.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        html = report_file(store, rows, 2014, "html")
        xlsx = report_file(store, rows, 2014, "xlsx")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][-1] == "记录时间 Recorded (UTC+8)"
    assert any(row[-1] == recorded and "全线通车" in row for row in table[1:])
    assert "全线通车".encode() in html and xlsx[:2] == b"PK"
