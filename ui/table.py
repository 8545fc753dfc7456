"""The table of matching projects and the downloads of exactly that set."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import exports, filters, i18n, settings
from geo.filters import Filters
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
    """The columns a reader scans, in ``lang``; lists joined."""
    en = lang == "en"
    english = province_en or {}
    join = "; " if en else "、"

    def names(row: pd.Series, column: str) -> str:
        values = filters.as_list(row.get(f"{column}_en") if en else row.get(column)) or filters.as_list(row.get(column))
        return join.join(map(str, values))

    rows = []
    for _, row in selection.iterrows():
        length = row.get("length_km")
        store = row.get("status_origin") == "store"
        rows.append({
            i18n.t("col_name", lang): (row.get("name_en") if en else None) or row.get("name_zh"),
            i18n.t("col_sector", lang): i18n.sector_label(str(row.get("sector")), lang),
            i18n.t("col_kind", lang): i18n.kind_label(str(row.get("kind")), lang),
            i18n.t("col_status", lang): i18n.status_label(str(row.get("status")), lang),
            i18n.t("col_effective", lang): row.get("status_effective") if store else i18n.t("plan_origin", lang),
            i18n.t("col_recorded", lang): " · ".join(str(v) for v in (row.get("status_editor"),
                                                                       row.get("status_changed_at")) if v)
            if store else "",
            i18n.t("col_lead", lang): names(row, "lead_agencies"),
            i18n.t("col_partners", lang): join.join(english.get(p, p) if en else p
                                                    for p in map(str, filters.as_list(row.get("partner_provinces")))),
            i18n.t("col_length", lang): float("nan") if length is None or pd.isna(length) else round(float(length)),
            i18n.t("col_clause", lang): row.get("clause") or "",
            i18n.t("col_id", lang): row.get("id"),
        })
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs={gpd.GeoDataFrame: lambda _: None})
def _export(selection: gpd.GeoDataFrame, signature: tuple[tuple[str, str, str], ...], kind: str, lang: str) -> bytes:
    """Cached by ``signature`` (ids and statuses of the selection) and language, not by hashing the frame."""
    writer = {"geojson": exports.selection_to_geojson, "csv": exports.selection_to_csv,
              "gpkg": exports.selection_to_gpkg}[kind]
    return writer(selection, lang)
