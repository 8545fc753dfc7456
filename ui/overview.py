"""The leaders' page: a plan's projects counted by sector, status, lead agency and partner
province, each count a link to the map filtered to it; the overdue items; a briefing to print.

The numbers come from ``geo.reports.overview`` on the newest plan of the layers with the statuses staff
recorded; the charts are Streamlit's built-in ones (no outside requests).
"""

from __future__ import annotations

import html
from datetime import datetime
from functools import partial
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import filters, i18n, settings
from geo.errors import GeoError
from geo.reports import overview
from geo.store import PLAN_EDITOR
from ui import data, layout, site


def render() -> None:
    """The overview page."""
    layout.style()
    lang = page_language()
    current = site.site()
    plan = latest_plan(current.projects)
    if plan.empty:
        layout.error(i18n.t("no_layers", lang))
        return
    projects = filters.with_current_status(plan, data.as_status_mapping(data.current_changes()))
    st.title(i18n.t("overview_title", lang), anchor=False)
    st.caption(layout.escaped(i18n.t("overview_caption", lang)))
    _by_sector(projects, lang)
    left, right = st.columns(2)
    with left:
        _counts(projects, "lead_agency", "agency", lang)
    with right:
        _counts(projects, "partner", "partner", lang, names=current.province_en)
    _overdue(plan, lang)
    _briefing(projects, current, lang)


def page_language() -> str:
    """The language the visitor chose (kept across pages), with a switch of its own."""
    remembered = st.session_state.get("view")
    if "f_lang" not in st.session_state:
        st.session_state["f_lang"] = getattr(remembered, "lang", None) or i18n.lang_or_default(
            st.query_params.get("lang"))
    lang: str = st.sidebar.radio(i18n.t("language"), i18n.LANGS, key="f_lang", horizontal=True,
                                 format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    if remembered is not None and getattr(remembered, "lang", lang) != lang:
        from dataclasses import replace

        st.session_state["view"] = replace(remembered, lang=lang)
    return lang


def latest_plan(projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features of the newest plan in ``projects``."""
    if "plan_year" not in projects or projects.empty:
        return projects
    return projects[projects["plan_year"] == projects["plan_year"].max()]


def map_link(lang: str, **params: str) -> str:
    """A link to the map page filtered by ``params`` (URL parameters of ``geo.filters``)."""
    return "./?" + urlencode({**params, "lang": lang})


def _by_sector(projects: gpd.GeoDataFrame, lang: str) -> None:
    st.subheader(i18n.t("by_sector", lang), anchor=False)
    table = overview.counts_by(projects, "sector")
    if table.empty:
        return
    sector, status = i18n.t("col_sector", lang), i18n.t("col_status", lang)
    chart = table.assign(**{sector: [i18n.sector_label(k, lang) for k in table["key"]],
                            status: [i18n.status_label(s, lang) for s in table["status"]]})
    st.bar_chart(chart, x=sector, y="projects", color=status, x_label=sector, y_label=i18n.t("projects", lang),
                 horizontal=True)
    rows = pd.DataFrame({
        sector: chart[sector], status: chart[status], i18n.t("projects", lang): table["projects"],
        i18n.t("km", lang): table["km"].round().astype(int),
        i18n.t("open_on_map", lang): [map_link(lang, sector=k, status=s) for k, s in zip(table["key"], table["status"])],
    })
    _link_table(rows, lang, key="by_sector")


def _counts(projects: gpd.GeoDataFrame, by: str, param: str, lang: str, names: dict[str, str] | None = None) -> None:
    st.subheader(i18n.t(f"by_{param}", lang), anchor=False)
    table = overview.counts_by(projects, by)
    totals = table.groupby("key", as_index=False)[["projects", "km"]].sum().sort_values("projects", ascending=False)
    label = i18n.t("col_lead" if param == "agency" else "col_partners", lang)
    english = names or filters.agency_names_en(projects)
    rows = pd.DataFrame({
        label: [english.get(k, k) if lang == "en" else k for k in totals["key"]],
        i18n.t("projects", lang): totals["projects"], i18n.t("km", lang): totals["km"].round().astype(int),
        i18n.t("open_on_map", lang): [map_link(lang, **{param: k}) for k in totals["key"]],
    })
    _link_table(rows, lang, key=f"by_{param}")


def _overdue(plan: gpd.GeoDataFrame, lang: str) -> None:
    st.subheader(i18n.t("overdue", lang), anchor=False)
    deadline = plan["report_deadline"].dropna().iloc[0] if "report_deadline" in plan and plan["report_deadline"].notna().any() else "—"
    st.caption(layout.escaped(i18n.t("overdue_caption", lang, deadline=deadline)))
    try:
        history = _recorded_changes()
    except GeoError:
        layout.warning(i18n.t("store_down", lang))
        return
    late = overview.overdue(plan, history, datetime.now(settings.LOCAL_TZ).date())
    if late.empty:
        st.info(i18n.t("overdue_none", lang))
        return
    st.dataframe(pd.DataFrame({
        i18n.t("col_name", lang): late["name_en" if lang == "en" else "name_zh"],
        i18n.t("col_target", lang): [i18n.status_label(s, lang) for s in late["target_status"]],
        i18n.t("col_deadline", lang): [d.isoformat() for d in late["deadline"]],
        i18n.t("col_on_deadline", lang): [i18n.status_label(s, lang) for s in late["status_on_deadline"]],
        i18n.t("col_lead", lang): ["、".join(a) if lang == "zh" else "; ".join(a) for a in late["lead_agencies"]],
    }), hide_index=True, width="stretch", key="overdue_table")


def _briefing(projects: gpd.GeoDataFrame, current: site.Site, lang: str) -> None:
    from geo.reports.briefing import briefing_pdf

    st.subheader(i18n.t("brief_button", lang), anchor=False)
    partners = sorted(filters.province_names(projects))
    chosen = st.multiselect(i18n.t("partner", lang), partners, key="brief_partner", placeholder=i18n.t("choose", lang),
                            format_func=lambda n: current.province_en.get(n, n) if lang == "en" else n)
    sectors = st.multiselect(i18n.t("sector", lang), settings.SECTORS, key="brief_sector",
                             placeholder=i18n.t("choose", lang), format_func=lambda s: i18n.sector_label(s, lang))
    selection = filters.filter_projects(projects, filters.Filters(partners=tuple(chosen), sectors=tuple(sectors)))
    words = " · ".join([*(i18n.t("brief_partner", lang, partner=current.province_en.get(p, p) if lang == "en" else p)
                          for p in chosen), *(i18n.sector_label(s, lang) for s in sectors)]) or i18n.t("brief_all", lang)
    title = str(projects["plan_title_en" if lang == "en" else "plan_title"].iloc[0]) if "plan_title" in projects else ""
    today = datetime.now(settings.LOCAL_TZ).date()
    make = partial(briefing_pdf, selection, current.provinces, title=title, selection=words, lang=lang, today=today,
                   highlight=chosen)
    year = int(projects["plan_year"].iloc[0]) if "plan_year" in projects else ""
    st.download_button(i18n.t("brief_download", lang), data=make, mime="application/pdf", key="brief_pdf",
                       file_name=f"nmg-{year}-{i18n.t('brief_file', 'en')}-{today:%Y%m%d}.pdf", on_click="ignore",
                       disabled=selection.empty or current.provinces is None)


def _link_table(rows: pd.DataFrame, lang: str, *, key: str) -> None:
    """``rows`` as a plain HTML table, its last column a link to the map (every cell escaped)."""
    link = i18n.t("open_on_map", lang)
    numeric = {c for c in rows.columns if pd.api.types.is_numeric_dtype(rows[c])}
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{html.escape(str(c))}</th>'
                   for c in rows.columns if c != link)
    body = []
    for record in rows.to_dict("records"):
        cells = "".join(f'<td class="{"num" if isinstance(v, (int, float)) else ""}">{html.escape(str(v))}</td>'
                        for c, v in record.items() if c != link)
        href = html.escape(str(record[link]), quote=True)
        body.append(f'<tr>{cells}<td><a href="{href}" target="_self">{html.escape(link)}</a></td></tr>')
    st.html(f'<table class="nmg-overview" id="{html.escape(key)}"><thead><tr>{head}<th></th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _recorded_changes() -> dict[str, list[overview.Change]]:
    history: dict[str, list[overview.Change]] = {}
    for entry in site.store().history_all():
        if entry.editor != PLAN_EDITOR:
            history.setdefault(entry.project_id, []).append(overview.Change(entry.new_status, entry.effective_date))
    return history
