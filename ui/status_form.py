"""The sidebar's status form: choose a project, record its new status, see its history.

Every rule lives in ``geo.store`` and ``geo.store.auth``; this module shows their answers where the
user typed, in the user's language (``geo.i18n``). The form starts empty for every project it
loads (status preset to the current one, note and source empty, date today), clears after a
save, and refuses a save that repeats the current record. A field's problem goes away as soon
as that field is changed. Widget keys are stable for automation: ``status_project``,
``status_value``, ``status_date``, ``status_note``, ``status_source``, ``status_submit``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import cast

import geopandas as gpd
import streamlit as st

from geo import i18n, settings, taxonomy
from geo.errors import AuthError, GeoError, InvalidStatusChange, Problem, StatusConflict
from geo.store import StatusChange, StatusRecord, Store, User
from ui import data, history, layout, site

LOG = logging.getLogger(__name__)
#: Field of a status change → the widget its problem is shown under.
FIELDS = {"project_id": "status_project", "status": "status_value", "effective_date": "status_date",
          "note": "status_note", "source": "status_source", "editor": "status_submit",
          "expected_version": "status_submit"}
_INPUTS = ("status_value", "status_date", "status_note", "status_source")
PROBLEMS, LOADED, FORM_PROJECT, UNCHANGED = "status_problems", "status_loaded", "_form_project", "_unchanged"


def render(current: site.Site, projects: gpd.GeoDataFrame, editor: User | None, *, lang: str) -> None:
    """The form (for a signed-in editor), the selected project's history and the report."""
    try:
        store = site.seeded_store(current)
    except GeoError as err:
        LOG.warning("status store unavailable: %s", err)
        layout.warning(i18n.t("store_down", lang))
        return
    problem = st.session_state.get(data.PROBLEM)
    if problem is not None:
        layout.warning(i18n.t("store_down", lang))
    try:
        if editor is not None:
            _form(store, projects, editor, lang)
        history.show_history(store, projects, lang, every_plan=current.every_plan)
        history.show_report(store, projects, lang)
    except GeoError as err:  # the store went away during this run
        LOG.warning("status store failed during the page run: %s", err)
        layout.warning(i18n.t("store_down", lang))


def _form(store: Store, projects: gpd.GeoDataFrame, editor: User, lang: str) -> None:
    names = history.project_names(projects, lang)
    clicked = st.session_state.get("selected_project")
    if clicked in names and st.session_state.get("_last_clicked") != clicked:
        st.session_state["status_project"] = clicked  # a click on the map selects the project here
        st.session_state["_last_clicked"] = clicked
    project_id = st.selectbox(i18n.t("status_project", lang), list(names), key="status_project",
                              format_func=lambda pid: names.get(pid, pid), index=None,
                              placeholder=i18n.t("status_project_placeholder", lang))
    _problem("status_project", lang)
    if project_id is None:
        return
    record = store.current(project_id)
    if st.session_state.get(FORM_PROJECT) != project_id:
        _load(project_id, record)
    if record is not None:
        layout.small(_current_text(record, lang))
    codes = list(taxonomy.STATUS_CODES)
    st.selectbox(i18n.t("status_value", lang), codes, key="status_value", on_change=_fixed, args=("status_value",),
                 format_func=lambda code: taxonomy.label(taxonomy.STATUSES, code, lang))
    _problem("status_value", lang)
    st.date_input(i18n.t("status_date", lang), key="status_date", min_value=date(2000, 1, 1),
                  max_value=date(2100, 12, 31), on_change=_fixed, args=("status_date",))
    _problem("status_date", lang)
    st.text_area(i18n.t("status_note", lang), key="status_note", help=i18n.t("status_note_help", lang),
                 on_change=_fixed, args=("status_note",))
    _problem("status_note", lang)
    st.text_input(i18n.t("status_source", lang), key="status_source", help=i18n.t("status_source_help", lang),
                  on_change=_fixed, args=("status_source",))
    _problem("status_source", lang)
    if st.button(i18n.t("status_submit", lang), key="status_submit", type="primary"):
        _submit(store, editor, project_id, record, lang)
    _problem("status_submit", lang)
    saved = st.session_state.pop("status_saved", None)
    if saved:
        layout.alert(saved, "success")


def _load(project_id: str, record: StatusRecord | None) -> None:
    """Put ``project_id`` into the form with nothing of the previous project left in it."""
    st.session_state[FORM_PROJECT] = project_id
    st.session_state[PROBLEMS] = {}
    st.session_state.pop(UNCHANGED, None)
    codes = taxonomy.STATUS_CODES
    st.session_state["status_value"] = record.status if record is not None and record.status in codes else codes[0]
    st.session_state["status_date"] = datetime.now(settings.LOCAL_TZ).date()
    st.session_state["status_note"] = ""
    st.session_state["status_source"] = ""
    # The version the editor saw when the project was loaded into the form: the lock token.
    st.session_state.setdefault(LOADED, {})[project_id] = record.version if record is not None else 0


def _submit(store: Store, editor: User, project_id: str, record: StatusRecord | None, lang: str) -> None:
    change = StatusChange(
        project_id=project_id, status=st.session_state.get("status_value", ""),
        # Whatever the widget holds (even nothing) goes to the store, which validates it.
        effective_date=cast(date, st.session_state.get("status_date")), note=st.session_state.get("status_note", ""),
        source=st.session_state.get("status_source", ""))
    loaded: dict[str, int] = st.session_state.setdefault(LOADED, {})
    if record is not None and _repeats(change, record):
        st.session_state[PROBLEMS] = {"status_value": i18n.t("unchanged", lang)}
        st.session_state[UNCHANGED] = True
        st.rerun()
    try:
        saved = store.change_status(change, editor=editor, expected_version=loaded.get(project_id, 0))
    except InvalidStatusChange as err:
        st.session_state[PROBLEMS] = {FIELDS.get(f, "status_submit"): _problem_text(p, lang)
                                      for f, p in err.problems.items()}
        st.rerun()  # show each problem under its field, which was drawn before the click was read
    except StatusConflict as err:
        # Show what the other editor did; the next submit is made knowing it.
        latest = store.current(project_id)
        if latest is not None:
            loaded[project_id] = latest.version
        st.session_state[PROBLEMS] = {"status_submit": i18n.error_text(err, lang)}
        st.rerun()
    except (AuthError, GeoError) as err:
        LOG.warning("status change refused: %s", err)
        st.session_state[PROBLEMS] = {"status_submit": i18n.error_text(err, lang)}
        st.rerun()
    st.session_state.pop(FORM_PROJECT, None)  # loaded again, empty, at the next run
    st.session_state["status_saved"] = i18n.t("saved", lang, status=taxonomy.label(taxonomy.STATUSES, saved.status,
                                                                                    lang))
    st.rerun()


def _repeats(change: StatusChange, record: StatusRecord) -> bool:
    """Whether ``change`` says what the current record already says (status, date and note)."""
    return (change.status == record.status and change.effective_date == record.effective_date
            and str(change.note or "").strip() == str(record.note or "").strip())


def _current_text(record: StatusRecord, lang: str) -> str:
    status = taxonomy.label(taxonomy.STATUSES, record.status, lang)
    if data.is_baseline(record):
        return i18n.t("current_status_plan", lang, status=status)
    view = data.change_view(record)
    return i18n.t("current_status", lang, status=status, date=view.effective, editor=view.editor,
                  recorded=view.recorded)


def _problem_text(problem: Problem | str, lang: str) -> str:
    return i18n.problem_text(problem, lang) if isinstance(problem, Problem) else str(problem)


def _fixed(key: str) -> None:
    """The user changed a field: its problem goes away, and "unchanged" with any of the three."""
    problems = dict(st.session_state.get(PROBLEMS, {}))
    problems.pop(key, None)
    if st.session_state.get(UNCHANGED) and key in ("status_value", "status_date", "status_note"):
        problems.pop("status_value", None)
        st.session_state.pop(UNCHANGED, None)
    st.session_state[PROBLEMS] = problems


def _problem(key: str, lang: str) -> None:
    message = st.session_state.get(PROBLEMS, {}).get(key)
    if not message:
        return
    if key == "status_submit":  # the whole change: conflict, permission, store
        layout.error(message)
    else:
        layout.error(f"{i18n.t(key, lang)}:{message}" if lang == "zh" else f"{i18n.t(key, lang)}: {message}")
