"""One visitor's page, run by Streamlit for each session (``app.py`` serves it).

A thin shell: the sidebar's view (``ui.sidebar``), a compact header, one notice box, the map
(drawn once per page load, then updated in place: ``ui.mapframe``), the table and downloads
(held back until the frame reports the map drawn, so that their scripts do not delay its first
paint), and the status form in the sidebar. Everything it shows is computed in ``geo/`` from the
layers and the status store, which ``ui.site`` holds for the whole server.
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from geo import filters, i18n, webmap
from geo.errors import GeoError
from ui import data, layout, mapframe, overview, sidebar, signin, site, status_form, table


def main() -> None:
    layout.style()
    current = site.site()
    if current.projects.empty:
        layout.error(i18n.t("no_layers", i18n.DEFAULT_LANG))
        st.stop()
    view = sidebar.filters_from_sidebar(current)
    current = site.site(plan=view.plan)  # the newest plan unless the visitor chose another
    lang = view.lang
    basemap, refused = sidebar.basemap_from_sidebar(lang)
    if refused:
        st.sidebar.warning(layout.escaped(i18n.t(refused, lang)))
    changes = data.current_changes()
    projects = filters.with_current_status(current.projects, data.as_status_mapping(changes))
    selection = filters.filter_projects(projects, view)

    layout.header(lang, shown=len(selection), lines=webmap.line_count(selection), year=current.plan_year)
    notices = st.container(key="notices")  # always here, so the map keeps its place in the page
    with notices:
        layout.ignored_values(st.session_state.get(sidebar.IGNORED, ()), lang)
        if selection.empty:
            st.info(i18n.t("no_match", lang))
    with st.sidebar:
        st.divider()
        st.subheader(i18n.t("status_form_slot", lang))
        editor = signin.current_editor(current, lang)
    all_shown = len(selection) == len(projects)
    mapframe.show_map(current, visible_ids=None if all_shown else list(selection["id"]), lang=lang,
                      changes=changes, partners=view.partners, basemap=basemap,
                      session=signin.cookie_request())
    selected = st.session_state.get("selected_project")
    if selected in current.data.index:
        row = current.projects.loc[current.projects["id"] == selected].iloc[0]
        layout.small(i18n.t("selected", lang, name=row["name_en"] if lang == "en" else row["name_zh"]))
    if st.session_state.get(mapframe.READY):
        table.show_table(selection, view, lang, province_en=current.province_en, plan_year=current.plan_year)
    else:
        layout.small(i18n.t("table_after_map", lang))
    with st.sidebar:
        status_form.render(current, projects, editor, lang=lang)


def navigation() -> StreamlitPage:
    """The two pages: the map (the default, at the site's root) and the leaders' overview."""
    st.set_page_config(page_title="内蒙古区域合作地图 · Inner Mongolia cooperation map", page_icon="🗺️",
                       layout="wide", initial_sidebar_state="auto")
    lang = i18n.lang_or_default(st.session_state.get("f_lang") or st.query_params.get("lang"))
    return st.navigation([
        st.Page(main, title=i18n.t("nav_map", lang), default=True),
        st.Page(overview.render, title=i18n.t("nav_overview", lang), url_path="overview"),
    ], position="top")


try:
    navigation().run()
except GeoError as err:  # the one place a deliberate error reaches the user, in their language
    layout.error(i18n.error_text(err, st.session_state.get("f_lang", i18n.DEFAULT_LANG)))
