"""Sidebar: language, filters bound to the URL query string, basemap choice.

The view is kept in language-neutral codes (``Filters`` in ``st.session_state["view"]``,
province and agency names as the layers spell them, sector and status codes) and written to
the URL at every run. The URL is read once, when a session starts. Widgets only show the view
in the current language: when the language changes, every widget whose labels depend on it
is given the view's codes again, so the browser redraws it with the new labels and sends back
values that still match (it sends a widget's value as its label, which would otherwise no
longer be one of the options).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from geo import filters, i18n, settings, taxonomy, webmap
from geo.errors import BasemapRefused
from geo.filters import Filters
from ui.site import Site

VIEW = "view"
IGNORED = "f_ignored"
BASEMAP_CHOICES: tuple[str, ...] = ("none", "osm", "tianditu", "custom", "gcj02")
_KEYS = {"partners": "f_partner", "mode": "f_mode", "sectors": "f_sector", "statuses": "f_status",
         "agencies": "f_agency", "q": "f_q"}
_PLAN_KEYS = {"plan": "f_plan", "change": "f_change"}
_DRAWN_LANG = "_drawn_lang"


def filters_from_sidebar(current: Site) -> Filters:
    """Draw the language switch and the filter widgets; return the view (also in the URL)."""
    province_en = current.province_en
    known_provinces, agencies = current.known_provinces, current.lead_agencies
    if VIEW not in st.session_state:
        _start_session(known_provinces, agencies, current.plan_years)
    view: Filters = st.session_state[VIEW]
    if any(key not in st.session_state for key in (*_KEYS.values(), "f_lang")):
        # Back from another page: Streamlit dropped the widgets' state, the view kept it.
        st.session_state.setdefault("f_lang", view.lang)
        _show_view(view)
    sidebar = st.sidebar
    lang = sidebar.radio(i18n.t("language"), i18n.LANGS, key="f_lang", horizontal=True,
                         format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    if st.session_state.get(_DRAWN_LANG) != lang:
        _show_view(view)
        for key in ("basemap", "status_project", "status_value", "report_year"):
            if key in st.session_state:  # the form's own choices, shown again in the new language
                st.session_state[key] = st.session_state[key]
    st.session_state[_DRAWN_LANG] = lang
    sidebar.header(i18n.t("filters", lang))
    plan, change = _plan_widgets(sidebar, current.plan_years, lang)
    agency_en = current.agency_names_en
    partners = _choose(sidebar, "partner", "partners", known_provinces, lang,
                       lambda n: province_en.get(n, n) if lang == "en" else n, help=i18n.t("partner_help", lang))
    mode = sidebar.radio(i18n.t("mode", lang), filters.MODES, key=_KEYS["mode"], horizontal=True,
                         format_func=lambda m: i18n.t(f"mode_{m}", lang))
    sectors = _choose(sidebar, "sector", "sectors", settings.SECTORS, lang, lambda s: i18n.sector_label(s, lang))
    statuses = _choose(sidebar, "status", "statuses", taxonomy.STATUS_CODES, lang,
                       lambda s: i18n.status_label(s, lang))
    chosen_agencies = _choose(sidebar, "agency", "agencies", agencies, lang,
                              lambda a: agency_en.get(a, a) if lang == "en" else a)
    q = sidebar.text_input(i18n.t("q", lang), key=_KEYS["q"], placeholder=i18n.t("q_placeholder", lang))
    chosen = Filters(partners=tuple(partners), mode=mode, sectors=tuple(sectors), statuses=tuple(statuses),
                     agencies=tuple(chosen_agencies), q=q.strip(), lang=lang, plan=plan, change=change)
    st.session_state[VIEW] = chosen
    st.query_params.from_dict(filters.params_from_filters(chosen))
    return chosen


def basemap_from_sidebar(lang: str) -> tuple[webmap.Basemap | None, str | None]:
    """The basemap selector: the basemap, or None and the key of why the choice was refused."""
    choice = st.sidebar.selectbox(i18n.t("basemap", lang), BASEMAP_CHOICES, key="basemap",
                                  format_func=lambda c: i18n.t(f"basemap_{c}", lang))
    try:
        return webmap.basemap_from_choice(
            "amap" if choice == "gcj02" else choice, lang=lang,
            tianditu_token=_secret("tianditu_token"), custom_url=_secret("basemap_url"),
            custom_attribution=_secret("basemap_attribution") or "intranet tiles"), None
    except BasemapRefused as err:
        return None, {"gcj02": "basemap_refused_gcj02", "no_token": "basemap_no_token"}.get(err.reason,
                                                                                           "basemap_no_custom")


def _start_session(known_provinces: Sequence[str], agencies: Sequence[str], plan_years: Sequence[int]) -> None:
    """A new session: the view from the URL (a shared link), its unknown values kept for a notice."""
    params = {key: st.query_params.get_all(key) for key in filters.PARAM_KEYS}
    from_url = filters.filters_from_params(params, provinces=known_provinces, agencies=agencies, plans=plan_years)
    st.session_state[IGNORED] = from_url.ignored
    st.session_state[VIEW] = replace(from_url, ignored=())
    st.session_state["f_lang"] = from_url.lang


def _show_view(view: Filters) -> None:
    """Give every filter widget the view's values (before the widgets are drawn in this run)."""
    for field, key in _KEYS.items():
        value = getattr(view, field)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    for field, key in _PLAN_KEYS.items():  # drawn only with several plans; None: their default
        value = getattr(view, field)
        if value in (None, ""):
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value


def _plan_widgets(sidebar: Any, plan_years: Sequence[int], lang: str) -> tuple[int | None, str]:
    """The plan's year (newest first) and how its projects stand to the plans around it, when the
    layers hold more than one plan; (None, "") otherwise."""
    if len(plan_years) < 2:
        return None, ""
    years = sorted(plan_years, reverse=True)
    year: int = sidebar.selectbox(i18n.t("plan", lang), years, key=_PLAN_KEYS["plan"], help=i18n.t("plan_help", lang))
    change: str = sidebar.selectbox(i18n.t("change_filter", lang), ("", *filters.CHANGES), key=_PLAN_KEYS["change"],
                                    format_func=lambda c: i18n.t(f"change_{c or 'all'}", lang))
    return (None if year == years[0] else year), change


def _choose(sidebar: Any, label: str, field: str, options: Sequence[str], lang: str,
            format_func: Callable[[str], str], *, help: str | None = None) -> list[str]:
    chosen: list[str] = sidebar.multiselect(i18n.t(label, lang), list(options), key=_KEYS[field],
                                            placeholder=i18n.t("choose", lang), format_func=format_func, help=help)
    return chosen


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all
        return None
    return str(value) if value else None
