"""The map in the page: streamlit-folium, returning only the clicked project (pan/zoom never rerun)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo import mapview
from geo.filters import Filters

#: The one value the component sends back: the text of the opened popup, which ends in the id.
RETURNED = ["last_object_clicked_popup"]
MAP_HEIGHT = 680


def show_map(m: folium.Map, known_ids: list[str]) -> str | None:
    """Draw ``m``; when a project is clicked, store its id in ``st.session_state["selected_project"]``.

    Returns
    -------
    The selected project id (from this click or an earlier one), or None.
    """
    state = st_folium(m, height=MAP_HEIGHT, use_container_width=True, returned_objects=RETURNED)
    clicked = mapview.project_id_from_popup((state or {}).get("last_object_clicked_popup"), known_ids)
    if clicked:
        st.session_state["selected_project"] = clicked
    return st.session_state.get("selected_project")


def map_of(selection: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None, *, layer_dir: str, chosen: Filters,
           statuses: Mapping[str, Mapping[str, Any]], basemap: mapview.Basemap | None,
           asset_base_url: str) -> folium.Map:
    """``mapview.map_from_layers`` of the selection, built once per view and shared by sessions.

    A new visitor (a new session) otherwise builds the same map again before the map's frame
    can exist: 2.4 s at 10,000 corridors. The selection is a function of the layers
    (``layer_dir``), the filters and the store's statuses, so those are the cache key; the
    frames themselves are not hashed.
    """
    return _cached_map(selection, provinces, layer_dir, _filters_key(chosen), _statuses_key(statuses),
                       basemap, asset_base_url, chosen.partners, chosen.lang)


@st.cache_data(show_spinner=False, max_entries=16)  # a 10,000-corridor map is about 7 MB pickled
def _cached_map(_selection: gpd.GeoDataFrame, _provinces: gpd.GeoDataFrame | None, layer_dir: str,
                filters_key: tuple[Any, ...], statuses_key: tuple[Any, ...], basemap: mapview.Basemap | None,
                asset_base_url: str, partners: Sequence[str], lang: str) -> folium.Map:
    # Arguments with a leading underscore are not hashed; the others say what they hold.
    return mapview.map_from_layers(_selection, lang=lang, selected_partners=partners, basemap=basemap,
                                   provinces=_provinces, asset_base_url=asset_base_url)


def _filters_key(chosen: Filters) -> tuple[Any, ...]:
    return (chosen.partners, chosen.mode, chosen.sectors, chosen.statuses, chosen.agencies, chosen.q, chosen.lang)


def _statuses_key(statuses: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
    return tuple(sorted((pid, tuple(sorted((k, str(v)) for k, v in record.items())))
                        for pid, record in statuses.items()))
