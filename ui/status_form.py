"""The sidebar's status form (issue 4): sign-in, the form, a project's history, the annual report.

Mounted by ``app.py`` as ``render(projects, lang=...)``. Every rule lives in ``geo.store`` and
``geo.auth``; this module only shows their answers where the user typed. Widget keys are stable
so the form can be driven by automation: ``login_user``, ``login_password``, ``login_submit``,
``status_project``, ``status_value``, ``status_date``, ``status_note``, ``status_source``,
``status_submit``, ``logout``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import cast

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import i18n, taxonomy
from geo.errors import AuthError, GeoError, InvalidStatusChange, StatusConflict, StoreError
from geo.store import LOCAL_TZ, Baseline, StatusChange, Store, User
from ui import data

#: Field → widget key, for showing a problem under the field it belongs to.
FIELDS = {"project_id": "status_project", "status": "status_value", "effective_date": "status_date",
          "note": "status_note", "source": "status_source", "editor": "status_submit",
          "expected_version": "status_submit"}


def render(projects: gpd.GeoDataFrame, *, lang: str) -> None:
    """Sign-in, then the form, the selected project's history and the report download."""
    try:
        store = data.store()
        if store is None:
            raise StoreError("the status store is not configured")
        _seed(store, projects)
    except GeoError as err:
        st.warning(i18n.t("store_down", lang, why=str(err)))
        return
    editor: User | None = st.session_state.get("editor")
    if editor is None:
        _sign_in(store, lang)
    else:
        _form(store, projects, editor, lang)
    _history(store, projects, lang)
    _report(store, projects, lang)


def _seed(store: Store, projects: gpd.GeoDataFrame) -> None:
    """Seed the store with the plan's baseline once per server and layer set (idempotent)."""
    key = tuple(sorted(projects["id"]))
    seeded = st.session_state.setdefault("_seeded", set())
    if key not in seeded:
        store.seed(Baseline.from_mapping(row) for row in projects.drop(columns="geometry").to_dict("records"))
        seeded.add(key)


def _sign_in(store: Store, lang: str) -> None:
    from geo.auth import authenticate

    st.caption(i18n.t("sign_in_hint", lang))
    name = st.text_input(i18n.t("login_user", lang), key="login_user")
    password = st.text_input(i18n.t("login_password", lang), type="password", key="login_password")
    if st.button(i18n.t("login_submit", lang), key="login_submit"):
        try:
            st.session_state["editor"] = authenticate(store, name, password)
        except AuthError as err:
            st.error(i18n.t("login_failed", lang, why=str(err)))
            return
        st.session_state.pop("login_password", None)
        st.rerun()


def _form(store: Store, projects: gpd.GeoDataFrame, editor: User, lang: str) -> None:
    st.caption(i18n.t("signed_in_as", lang, name=editor.name, agency=editor.agency or i18n.t("all_agencies", lang)))
    if st.button(i18n.t("logout", lang), key="logout"):
        for key in ("editor", "status_loaded", "status_problems"):
            st.session_state.pop(key, None)
        st.rerun()
    names = _names(projects, lang)
    ids = list(names)
    clicked = st.session_state.get("selected_project")
    if clicked in names and st.session_state.get("_last_clicked") != clicked:
        st.session_state["status_project"] = clicked  # a click on the map selects the project here
        st.session_state["_last_clicked"] = clicked
    project_id = st.selectbox(i18n.t("status_project", lang), ids, key="status_project",
                              format_func=lambda pid: names.get(pid, pid), index=None,
                              placeholder=i18n.t("status_project_placeholder", lang))
    _problem("status_project")
    if project_id is None:
        return
    record = store.current(project_id)
    loaded: dict[str, int] = st.session_state.setdefault("status_loaded", {})
    if record is not None:
        # The version the editor saw when the project was loaded into the form: the lock token.
        loaded.setdefault(project_id, record.version)
        st.caption(i18n.t("current_status", lang, status=taxonomy.label(taxonomy.STATUSES, record.status, lang),
                          date=record.changed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d"), editor=record.editor))
    codes = list(taxonomy.STATUS_CODES)
    st.selectbox(i18n.t("status_value", lang), codes, key="status_value",
                 index=codes.index(record.status) if record and record.status in codes else 0,
                 format_func=lambda code: taxonomy.label(taxonomy.STATUSES, code, lang))
    _problem("status_value")
    st.date_input(i18n.t("status_date", lang), key="status_date", value=datetime.now(LOCAL_TZ).date(),
                  min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
    _problem("status_date")
    st.text_area(i18n.t("status_note", lang), key="status_note", help=i18n.t("status_note_help", lang))
    _problem("status_note")
    st.text_input(i18n.t("status_source", lang), key="status_source", help=i18n.t("status_source_help", lang))
    _problem("status_source")
    if st.button(i18n.t("status_submit", lang), key="status_submit", type="primary"):
        _submit(store, editor, project_id, loaded, lang)
    _problem("status_submit")
    saved = st.session_state.pop("status_saved", None)
    if saved:
        st.success(saved)


def _submit(store: Store, editor: User, project_id: str, loaded: dict[str, int], lang: str) -> None:
    change = StatusChange(
        project_id=project_id, status=st.session_state.get("status_value", ""),
        # Whatever the widget holds (even nothing) goes to the store, which validates it.
        effective_date=cast(date, st.session_state.get("status_date")), note=st.session_state.get("status_note", ""),
        source=st.session_state.get("status_source", ""),
    )
    expected = loaded.get(project_id, 0)
    try:
        record = store.change_status(change, editor=editor, expected_version=expected)
    except InvalidStatusChange as err:
        st.session_state["status_problems"] = {
            FIELDS.get(f, "status_submit"): f"{i18n.t(FIELDS.get(f, 'status_submit'), lang)}: {m}"
            for f, m in err.problems.items()}
        st.rerun()  # show each problem under its field, which was drawn before the click was read
    except StatusConflict as err:
        # Show what the other editor did; the next submit is made knowing it.
        current = store.current(project_id)
        if current is not None:
            loaded[project_id] = current.version
        st.session_state["status_problems"] = {"status_submit": i18n.t("conflict", lang, why=str(err))}
        st.rerun()
    except (AuthError, StoreError) as err:
        st.session_state["status_problems"] = {"status_submit": str(err)}
        st.rerun()
    loaded[project_id] = record.version
    st.session_state["status_problems"] = {}
    for key in ("status_note", "status_source"):
        st.session_state.pop(key, None)
    st.session_state["status_saved"] = i18n.t("saved", lang, status=taxonomy.label(taxonomy.STATUSES, record.status, lang))
    st.rerun()


def _problem(key: str) -> None:
    message = st.session_state.get("status_problems", {}).get(key)
    if message:
        st.error(message)


def _history(store: Store, projects: gpd.GeoDataFrame, lang: str) -> None:
    project_id: str | None = st.session_state.get("status_project") or st.session_state.get("selected_project")
    if project_id is None or project_id not in set(projects["id"]):
        return
    names = _names(projects, lang)
    with st.expander(i18n.t("history", lang, name=names[project_id]), expanded=False):
        entries = store.history(project_id)
        rows = [{
            i18n.t("h_when", lang): e.changed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
            i18n.t("h_who", lang): e.editor,
            i18n.t("h_what", lang): _what(e.old_status, e.new_status, lang),
            i18n.t("h_effective", lang): e.effective_date.isoformat(),
            i18n.t("h_why", lang): e.note,
            i18n.t("h_source", lang): e.source,
        } for e in entries]
        # st.dataframe shows cell text as text: a note holding HTML is never run.
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="status_history")


def _report(store: Store, projects: gpd.GeoDataFrame, lang: str) -> None:
    year = st.session_state.get("report_year", 2014)
    with st.expander(i18n.t("report", lang)):
        year = st.number_input(i18n.t("report_year", lang), min_value=2014, max_value=2100, value=year, step=1,
                               key="report_year")
        rows = projects.drop(columns="geometry").to_dict("records")
        stem = f"progress-report-{int(year)}"
        # Built when a button is clicked, not on every run of the page (the history is read then).
        for label, kind, mime in (("HTML", "html", "text/html"), ("CSV", "csv", "text/csv"),
                                  ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
            st.download_button(label, partial(_report_file, store, rows, int(year), kind), f"{stem}.{kind}", mime,
                               key=f"report_{kind}", on_click="ignore")


def _report_file(store: Store, rows: list[dict[str, object]], year: int, kind: str) -> str | bytes:
    """The progress report of ``year`` as ``kind`` (html, csv or xlsx), from the store's history now."""
    from geo.report import progress_report, report_to_csv, report_to_html, report_to_xlsx

    report = progress_report(store, rows, year)
    if kind == "xlsx":
        return report_to_xlsx(report)
    return report_to_html(report) if kind == "html" else report_to_csv(report)


def _names(projects: gpd.GeoDataFrame, lang: str) -> dict[str, str]:
    column = "name_en" if lang == "en" else "name_zh"
    return dict(zip(projects["id"], projects[column], strict=True))


def _what(old: str | None, new: str, lang: str) -> str:
    new_label = taxonomy.label(taxonomy.STATUSES, new, lang)
    if old is None:
        return i18n.t("h_baseline", lang, status=new_label)
    return f"{taxonomy.label(taxonomy.STATUSES, old, lang)} → {new_label}"
