"""The table of matching projects and the downloads of exactly that set."""

from __future__ import annotations

from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import filters, i18n

#: Most rows the page sends: a plan has dozens of projects, a decade of national plans thousands,
#: and every row travels to each visitor (about 0.3 MB per 1,000). The downloads hold them all.
MAX_ROWS = 1_000
_MORE_ROWS = {  # kept here rather than in geo.i18n, whose string tables another change owns
    "zh": "表中列出前 {shown:,} 项,共 {n:,} 项;下载的文件包含全部 {n:,} 项。",
    "en": "The table lists the first {shown:,} of {n:,} projects; the downloads hold all {n:,}.",
}


def show_table(selection: gpd.GeoDataFrame, lang: str) -> None:
    """Table (one row per project, null geometries included, at most ``MAX_ROWS``) and
    GeoJSON/CSV/GeoPackage downloads of the whole selection.

    The files are made when a button is clicked (deferred ``data``), not at every page load.
    """
    st.subheader(i18n.t("table", lang))
    if len(selection) > MAX_ROWS:
        st.caption(_MORE_ROWS.get(lang, _MORE_ROWS["en"]).format(shown=MAX_ROWS, n=len(selection)))
    event = st.dataframe(table_frame(selection.iloc[:MAX_ROWS], lang), hide_index=True, width="stretch",
                         on_select="rerun", selection_mode="single-row", key="project_table")
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows:
        st.session_state["selected_project"] = str(selection.iloc[rows[0]]["id"])
    # Cache key: which projects, with which status (a saved status change must reach the files).
    signature = tuple(zip(selection["id"], selection["status"],
                          selection.get("status_changed_at", pd.Series("", index=selection.index)), strict=True))
    st.caption(i18n.t("download", lang))
    columns = st.columns(3)
    for column, (kind, mime) in zip(columns, (("geojson", "application/geo+json"), ("csv", "text/csv"),
                                              ("gpkg", "application/geopackage+sqlite3")), strict=True):
        column.download_button(i18n.t(f"download_{kind}", lang), data=partial(_export, selection, signature, kind),
                               file_name=f"nmg-cooperation-projects.{kind}", mime=mime,
                               key=f"download_{kind}", on_click="ignore", width="stretch")


def table_frame(selection: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The columns a reader scans, in ``lang``; lists joined."""
    en = lang == "en"
    join = "; " if en else "、"

    def names(row: pd.Series, column: str) -> str:
        values = filters.as_list(row.get(f"{column}_en") if en else row.get(column)) or filters.as_list(row.get(column))
        return join.join(map(str, values))

    rows = []
    for _, row in selection.iterrows():
        length = row.get("length_km")
        rows.append({
            i18n.t("col_name", lang): (row.get("name_en") if en else None) or row.get("name_zh"),
            i18n.t("col_sector", lang): i18n.sector_label(str(row.get("sector")), lang),
            i18n.t("col_kind", lang): i18n.kind_label(str(row.get("kind")), lang),
            i18n.t("col_status", lang): i18n.status_label(str(row.get("status")), lang),
            i18n.t("col_changed", lang): _changed(row, lang),
            i18n.t("col_lead", lang): names(row, "lead_agencies"),
            i18n.t("col_partners", lang): join.join(filters.as_list(row.get("partner_provinces"))),
            i18n.t("col_length", lang): float("nan") if length is None or pd.isna(length) else round(float(length)),
            i18n.t("col_clause", lang): row.get("clause") or "",
            i18n.t("col_id", lang): row.get("id"),
        })
    return pd.DataFrame(rows)


def _changed(row: pd.Series, lang: str) -> str:
    """"DATE · EDITOR" of the last recorded change, or the plan as the source of the status."""
    if row.get("status_origin") != "store":
        return i18n.t("pp_changed_plan", lang)
    return " · ".join(str(v) for v in (row.get("status_changed_at"), row.get("status_editor")) if v)


@st.cache_data(show_spinner=False, hash_funcs={gpd.GeoDataFrame: lambda _: None})
def _export(selection: gpd.GeoDataFrame, signature: tuple[tuple[str, str, str], ...], kind: str) -> bytes:
    """Cached by ``signature`` (ids and statuses of the selection), not by hashing the frame."""
    writer = {"geojson": filters.selection_to_geojson, "csv": filters.selection_to_csv,
              "gpkg": filters.selection_to_gpkg}[kind]
    return writer(selection)
