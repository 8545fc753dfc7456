"""The table of matching projects and the downloads of exactly that set."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import filters, i18n, settings
from geo.filters import Filters
from geo.reports import exports
from geo.store import PLAN_START
from ui import layout

#: Most rows the page sends: a plan has dozens of projects, a decade of national plans thousands,
#: and every row travels to each visitor (about 0.3 MB per 1,000). The downloads hold them all.
MAX_ROWS = 1_000
_KINDS = (("geojson", "application/geo+json"), ("csv", "text/csv"), ("gpkg", "application/geopackage+sqlite3"))


def show_table(selection: gpd.GeoDataFrame, view: Filters, lang: str, *,
               province_en: dict[str, str] | None = None, plan_year: int | None = None) -> None:
    """Table (one row per project, at most ``MAX_ROWS``) and downloads of the whole selection.

    The files are made when a button is clicked (deferred ``data``), not at every page load,
    and named after the selection and the day (``nmg-2014-shandong-energy-20261201.gpkg``).
    """
    st.subheader(i18n.t("table", lang), anchor=False)
    if len(selection) > MAX_ROWS:
        st.caption(layout.escaped(i18n.t("more_rows", lang, shown=MAX_ROWS, n=len(selection))))
    event = st.dataframe(table_frame(selection.iloc[:MAX_ROWS], lang, province_en), hide_index=True, width="stretch",
                         on_select="rerun", selection_mode="single-row", key="project_table")
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows:
        st.session_state["selected_project"] = str(selection.iloc[rows[0]]["id"])
    # Cache key: which projects, with which status (a saved status change must reach the files).
    signature = tuple(zip(selection["id"], selection["status"],
                          selection.get("status_changed_at", pd.Series("", index=selection.index)), strict=True))
    stem = exports.file_stem(view, plan_year=plan_year or PLAN_START.year, today=datetime.now(settings.LOCAL_TZ).date(),
                             province_en=province_en or {})
    st.caption(i18n.t("download", lang))
    columns = st.columns(3)
    for column, (kind, mime) in zip(columns, _KINDS, strict=True):
        column.download_button(i18n.t(f"download_{kind}", lang), data=partial(_export, selection, signature, kind, lang),
                               file_name=f"{stem}.{kind}", mime=mime, key=f"download_{kind}", on_click="ignore",
                               width="stretch")


def table_frame(selection: gpd.GeoDataFrame, lang: str, province_en: dict[str, str] | None = None) -> pd.DataFrame:
    """The columns a reader scans, in ``lang``; lists joined. Built column by column from plain
    lists (a thousand rows at every page run)."""
    en = lang == "en"
    english = province_en or {}
    join = "; " if en else "、"
    n = len(selection)

    def column(name: str) -> list[Any]:
        return selection[name].tolist() if name in selection else [None] * n

    def names(name: str) -> list[str]:
        chinese, translated = column(name), column(f"{name}_en") if en else [None] * n
        return [join.join(map(str, filters.as_list(t) or filters.as_list(z))) for z, t in zip(chinese, translated, strict=True)]

    store = [origin == "store" for origin in column("status_origin")]
    plan_origin = i18n.t("plan_origin", lang)
    name_zh, name_en = column("name_zh"), column("name_en") if en else [None] * n
    return pd.DataFrame({
        i18n.t("col_name", lang): [t or z for z, t in zip(name_zh, name_en, strict=True)],
        i18n.t("col_sector", lang): [i18n.sector_label(str(v), lang) for v in column("sector")],
        i18n.t("col_kind", lang): [i18n.kind_label(str(v), lang) for v in column("kind")],
        i18n.t("col_status", lang): [i18n.status_label(str(v), lang) for v in column("status")],
        i18n.t("col_effective", lang): [e if s else plan_origin for e, s in zip(column("status_effective"), store, strict=True)],
        i18n.t("col_recorded", lang): [" · ".join(str(v) for v in (who, when) if v) if s else ""
                                       for who, when, s in zip(column("status_editor"), column("status_changed_at"),
                                                               store, strict=True)],
        i18n.t("col_lead", lang): names("lead_agencies"),
        i18n.t("col_partners", lang): [join.join(english.get(p, p) if en else p for p in map(str, filters.as_list(v)))
                                       for v in column("partner_provinces")],
        i18n.t("col_length", lang): [float("nan") if v is None or pd.isna(v) else round(float(v))
                                     for v in column("length_km")],
        i18n.t("col_clause", lang): [v or "" for v in column("clause")],
        i18n.t("col_id", lang): column("id"),
    })


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs={gpd.GeoDataFrame: lambda _: None})
def _export(selection: gpd.GeoDataFrame, signature: tuple[tuple[str, str, str], ...], kind: str, lang: str) -> bytes:
    """Cached by ``signature`` (ids and statuses of the selection) and language, not by hashing the frame."""
    writer = {"geojson": exports.selection_to_geojson, "csv": exports.selection_to_csv,
              "gpkg": exports.selection_to_gpkg}[kind]
    return writer(selection, lang)
