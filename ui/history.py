"""A project's status history and the annual progress report, in the sidebar.

The history lists, newest last, when each status took effect, what changed, why, on what
source, who recorded it and when (China time); notes are shown by a dataframe, as text. The
report's files are made when their button is clicked, from the store's history at that moment.
"""

from __future__ import annotations

import html
import io
import logging
from datetime import date, datetime
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import i18n, settings, taxonomy
from geo.errors import GeoError
from geo.layers import plan_statuses
from geo.store import PLAN_EDITOR, HistoryEntry, Store
from ui import layout

LOG = logging.getLogger(__name__)
_REPORT_KINDS = (("HTML", "html", "text/html"), ("CSV", "csv", "text/csv"),
                 ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))


def project_names(projects: gpd.GeoDataFrame, lang: str) -> dict[str, str]:
    """Project id → its name in ``lang``."""
    column = "name_en" if lang == "en" else "name_zh"
    return dict(zip(projects["id"], projects[column].fillna(projects["name_zh"]), strict=True))


def show_history(store: Store, projects: gpd.GeoDataFrame, lang: str, *,
                 every_plan: gpd.GeoDataFrame | None = None) -> None:
    """The history of the project in the form (or last clicked on the map), folded: with several
    plans, each plan's own status of it year by year and the changes staff recorded, as one list."""
    project_id: str | None = st.session_state.get("status_project") or st.session_state.get("selected_project")
    names = project_names(projects, lang)
    if project_id is None or project_id not in names:
        return
    entries = store.history(project_id)
    plans = plan_statuses(every_plan, project_id) if every_plan is not None else []
    title = "trajectory" if len(plans) > 1 else "history"
    with st.expander(layout.escaped(i18n.t(title, lang, name=names[project_id])), expanded=False):
        # st.dataframe shows cell text as text: a note holding HTML or Markdown is never run.
        frame = trajectory_frame(plans, entries, lang) if len(plans) > 1 else history_frame(entries, lang)
        st.dataframe(frame, hide_index=True, width="stretch", key="status_history")


def trajectory_frame(plans: list[tuple[int, str, str]], entries: list[HistoryEntry], lang: str) -> pd.DataFrame:
    """Each plan's status of a project (from 1 January of its year) and the changes staff recorded
    after the baseline, in the order they took effect."""
    rows = [(date(year, 1, 1), {
        i18n.t("h_effective", lang): str(year),
        i18n.t("h_what", lang): taxonomy.label(taxonomy.STATUSES, status, lang),
        i18n.t("h_why", lang): i18n.t("traj_plan", lang, year=year, status=taxonomy.label(taxonomy.STATUSES, status, lang),
                                      words=words or "—"),
        i18n.t("h_source", lang): "", i18n.t("h_who", lang): i18n.t("h_plan", lang), i18n.t("h_when", lang): "",
    }) for year, status, words in plans]
    recorded = history_frame([e for e in entries if e.editor != PLAN_EDITOR], lang).to_dict("records")
    rows += [(e.effective_date, r) for e, r in zip([e for e in entries if e.editor != PLAN_EDITOR], recorded,
                                                   strict=True)]
    return pd.DataFrame([r for _, r in sorted(rows, key=lambda pair: pair[0])])


def history_frame(entries: list[HistoryEntry], lang: str) -> pd.DataFrame:
    """One row per change: effective date, change, note, source, who recorded it, when."""
    return pd.DataFrame([{
        i18n.t("h_effective", lang): e.effective_date.isoformat(),
        i18n.t("h_what", lang): _what(e.old_status, e.new_status, lang),
        i18n.t("h_why", lang): e.note,
        i18n.t("h_source", lang): e.source,
        i18n.t("h_who", lang): i18n.t("h_plan", lang) if e.editor == PLAN_EDITOR else e.editor,
        i18n.t("h_when", lang): e.changed_at.astimezone(settings.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
    } for e in entries])


def show_report(store: Store, projects: gpd.GeoDataFrame, lang: str) -> None:
    """The annual report's downloads (HTML, CSV with a BOM for Excel, XLSX) for a chosen year."""
    with st.expander(i18n.t("report", lang)):
        year = int(st.number_input(i18n.t("report_year", lang), min_value=2014, max_value=2100, value=2014, step=1,
                                   key="report_year"))
        today = datetime.now(settings.LOCAL_TZ).strftime("%Y%m%d")
        for label, kind, mime in _REPORT_KINDS:
            st.download_button(label, partial(_report_of, store, projects, year, kind, lang),
                               f"nmg-progress-report-{year}-{today}.{kind}", mime, key=f"report_{kind}",
                               on_click="ignore")


def _report_of(store: Store, projects: gpd.GeoDataFrame, year: int, kind: str, lang: str) -> bytes:
    """The report, made when its button is pressed: its rows are not built at every page run
    (at 10,000 projects that took most of a filter change)."""
    return report_file(store, projects.drop(columns="geometry").to_dict("records"), year, kind, lang)


def report_file(store: Store, rows: list[dict[str, object]], year: int, kind: str, lang: str = "zh") -> bytes:
    """The progress report of ``year`` as ``kind`` (html, csv or xlsx), from the store's history now;
    when the store cannot be read, a file of the same kind saying so in ``lang``."""
    try:
        return _report_bytes(store, rows, year, kind)
    except GeoError as err:
        LOG.warning("report not made: %s", err)
        return _failure_file(i18n.t("report_failed", lang) + " " + i18n.error_text(err, lang), kind)


def _report_bytes(store: Store, rows: list[dict[str, object]], year: int, kind: str) -> bytes:
    """CSV is UTF-8 with a byte order mark, which Excel needs to read the Chinese."""
    from geo.reports.progress import progress_report, report_to_csv, report_to_html, report_to_xlsx

    report = progress_report(store, rows, year)
    if kind == "xlsx":
        return report_to_xlsx(report)
    if kind == "csv":
        return report_to_csv(report).encode("utf-8-sig")
    return report_to_html(report).encode("utf-8")


def _failure_file(message: str, kind: str) -> bytes:
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet["A1"] = message
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    if kind == "csv":
        return (message + "\n").encode("utf-8-sig")
    return f"<!DOCTYPE html><meta charset=\"utf-8\"><p>{html.escape(message)}</p>".encode()


def _what(old: str | None, new: str, lang: str) -> str:
    new_label = taxonomy.label(taxonomy.STATUSES, new, lang)
    if old is None:
        return i18n.t("h_baseline", lang, status=new_label)
    return f"{taxonomy.label(taxonomy.STATUSES, old, lang)} → {new_label}"
