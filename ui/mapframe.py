"""The map in the page: streamlit-folium, returning only the clicked project (pan/zoom never rerun)."""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo import mapview

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
