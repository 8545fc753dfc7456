"""Sidebar: language, filters bound to the URL query string, basemap choice.

The URL is the source of truth when a session starts (opening a shared link restores the
view); after that the widgets are, and every run writes them back to the URL.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from geo import filters, i18n, mapview, settings, taxonomy
from geo.errors import BasemapRefused
from geo.filters import Filters

BASEMAP_CHOICES: tuple[str, ...] = ("none", "osm", "tianditu", "custom", "gcj02")
_KEYS = {"partners": "f_partner", "mode": "f_mode", "sectors": "f_sector", "statuses": "f_status",
         "agencies": "f_agency", "q": "f_q", "lang": "f_lang"}


def filters_from_sidebar(projects: gpd.GeoDataFrame, province_en: Mapping[str, str]) -> Filters:
    """Draw the filter widgets (initialised from the URL once per session); return the filters."""
    known_provinces = sorted(set(filters.province_names(projects)) | set(province_en))
    agencies = filters.lead_agencies(projects)
    from_url = filters.filters_from_params(_query_params(), provinces=known_provinces, agencies=agencies)
    if "f_init" not in st.session_state:
        _seed_widgets(from_url)
        if from_url.ignored:
            st.session_state["f_ignored"] = from_url.ignored
    sidebar = st.sidebar
    lang = sidebar.radio(i18n.t("language"), i18n.LANGS, key=_KEYS["lang"], horizontal=True,
                         format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    sidebar.header(i18n.t("filters", lang))
    partners = sidebar.multiselect(i18n.t("partner", lang), known_provinces, key=_KEYS["partners"], placeholder=i18n.t("choose", lang),
                                   help=i18n.t("partner_help", lang),
                                   format_func=lambda n: province_en.get(n, n) if lang == "en" else n)
    mode = sidebar.radio(i18n.t("mode", lang), filters.MODES, key=_KEYS["mode"], horizontal=True,
                         format_func=lambda m: i18n.t(f"mode_{m}", lang))
    sectors = sidebar.multiselect(i18n.t("sector", lang), settings.SECTORS, key=_KEYS["sectors"], placeholder=i18n.t("choose", lang),
                                  format_func=lambda s: i18n.sector_label(s, lang))
    statuses = sidebar.multiselect(i18n.t("status", lang), taxonomy.STATUS_CODES, key=_KEYS["statuses"], placeholder=i18n.t("choose", lang),
                                   format_func=lambda s: i18n.status_label(s, lang))
    agency_en = _agency_names_en(projects)
    chosen_agencies = sidebar.multiselect(
        i18n.t("agency", lang), agencies, key=_KEYS["agencies"], placeholder=i18n.t("choose", lang),
        format_func=lambda a: agency_en.get(a, a) if lang == "en" else a)
    q = sidebar.text_input(i18n.t("q", lang), key=_KEYS["q"], placeholder=i18n.t("q_placeholder", lang))
    chosen = Filters(partners=tuple(partners), mode=mode, sectors=tuple(sectors), statuses=tuple(statuses),
                     agencies=tuple(chosen_agencies), q=q.strip(), lang=lang)
    st.query_params.from_dict(filters.params_from_filters(chosen))
    return chosen


def basemap_from_sidebar(lang: str) -> mapview.Basemap | None:
    """The basemap selector; refused or unconfigured choices explain themselves and fall back to none."""
    choice = st.sidebar.selectbox(i18n.t("basemap", lang), BASEMAP_CHOICES, key="basemap",
                                  format_func=lambda c: i18n.t(f"basemap_{c}", lang))
    try:
        return mapview.basemap_from_choice(
            "amap" if choice == "gcj02" else choice, lang=lang,
            tianditu_token=_secret("tianditu_token"), custom_url=_secret("basemap_url"),
            custom_attribution=_secret("basemap_attribution") or "intranet tiles")
    except BasemapRefused as err:
        key = {"gcj02": "basemap_refused_gcj02", "no_token": "basemap_no_token"}.get(err.reason,
                                                                                   "basemap_no_custom")
        st.sidebar.warning(i18n.t(key, lang))
        return None


def _seed_widgets(from_url: Filters) -> None:
    for field, key in _KEYS.items():
        value = getattr(from_url, field)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["f_init"] = True


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in filters.PARAM_KEYS}


def _agency_names_en(projects: gpd.GeoDataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    if "lead_agencies_en" not in projects:
        return names
    for zh, en in zip(projects["lead_agencies"], projects["lead_agencies_en"], strict=False):
        zh_list, en_list = filters.as_list(zh), filters.as_list(en)
        if len(zh_list) == len(en_list):
            names.update(zip(zh_list, en_list, strict=True))
    return names


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all
        return None
    return str(value) if value else None
