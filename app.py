"""Inner Mongolia regional cooperation map: ``streamlit run app.py [-- --layers DIR]``.

A thin shell: the sidebar's filters (bound to the URL), the map, the table and downloads, and
the place where the status form of issue 4 is mounted. Everything it shows is computed in
``geo/`` (filters, map) from the committed layers and the status store.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo import filters, i18n, mapview, settings
from geo.errors import GeoError
from ui import data, mapframe, sidebar, table


def main() -> None:
    st.set_page_config(page_title="内蒙古区域合作地图 · Inner Mongolia cooperation map", page_icon="🗺️",
                       layout="wide", initial_sidebar_state="expanded")
    layer_dir = _layer_dir()
    projects = data.projects(str(layer_dir))
    if projects.empty:
        st.error(i18n.t("no_layers", i18n.DEFAULT_LANG, path=layer_dir))
        st.stop()
    provinces = data.provinces(str(layer_dir))
    province_en = dict(zip(provinces["name"], provinces["name_en"], strict=True)) if provinces is not None else {}

    chosen = sidebar.filters_from_sidebar(projects, province_en)
    lang = chosen.lang
    basemap = sidebar.basemap_from_sidebar(lang)
    statuses = data.current_statuses()
    current = filters.with_current_status(projects, statuses)
    selection = filters.filter_projects(current, chosen)

    st.title(i18n.t("title", lang))
    lines = len(mapview.drawable_lines(selection))
    st.markdown(i18n.t("count", lang, n=len(selection), lines=lines, others=len(selection) - lines))
    for ignored in st.session_state.pop("f_ignored", ()):
        st.warning(i18n.t("ignored", lang, values=ignored))
    if selection.empty:
        st.info(i18n.t("no_match", lang))

    m = mapframe.map_of(selection, provinces, layer_dir=str(layer_dir), chosen=chosen, statuses=statuses,
                        basemap=basemap, asset_base_url=data.static_base_url())
    selected = mapframe.show_map(m, list(projects["id"]))
    if selected in set(projects["id"]):
        row = projects.loc[projects["id"] == selected].iloc[0]
        st.caption(i18n.t("selected", lang, name=row["name_en"] if lang == "en" else row["name_zh"]))
    table.show_table(selection, lang)

    # ── Status form (issue 4) ─────────────────────────────────────────────────────────────
    # ui/status_form.py mounts here: render(projects_with_current_status, lang=lang); it reads
    # the clicked project from st.session_state["selected_project"].
    with st.sidebar:
        st.divider()
        st.subheader(i18n.t("status_form_slot", lang))
        _mount_status_form(current, lang)


def _mount_status_form(projects: gpd.GeoDataFrame, lang: str) -> None:
    if importlib.util.find_spec("ui.status_form") is None:  # issue 4 not merged yet
        st.caption(i18n.t("status_form_pending", lang))
        return
    status_form = importlib.import_module("ui.status_form")
    status_form.render(projects, lang=lang)


def _layer_dir() -> Path:
    """``--layers DIR`` after ``--`` on the command line, else the committed layers."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--layers", type=Path, default=None)
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.layers or settings.DEFAULT_LAYERS


try:
    main()
except GeoError as err:  # the one place a deliberate error reaches the user
    st.error(str(err))
