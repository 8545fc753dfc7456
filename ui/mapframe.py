"""The map in the page: a small Streamlit component whose frame is served by the app itself.

The frame (``/nmg/frame``, ``geo/webmap/static``) is loaded once per page load; every page run sends it
only ``geo.webmap.view_args`` (language, visible features, status changes, partners,
basemap, a sign-in cookie request) and the frame updates the map in place. The value it sends
back is ``{"ready": true, "id": ..., "n": click number}``: ``ready`` once the map is first on
screen (or its data failed to load), ``id`` a click on a project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from geo import webmap
from ui import server
from ui.site import Site

KEY = "map"
#: Session state set once this page's frame has drawn the map: the page holds back the table
#: (whose scripts would otherwise compete with the map's first paint) until then.
READY = "map_ready"
_component = components.declare_component("nmg_map", url=server.frame_url())


def show_map(current: Site, *, visible_ids: list[str] | None, lang: str,
             changes: Mapping[str, webmap.StatusChangeView], partners: tuple[str, ...],
             basemap: webmap.Basemap | None, session: Mapping[str, Any] | None = None) -> str | None:
    """Draw (or update) the map; return the project the user clicked in this run, if any.

    A click is stored in ``st.session_state["selected_project"]``, where the status form and
    the table find it.
    """
    args = webmap.view_args(current.data, data_url=server.data_url(current), visible_ids=visible_ids, lang=lang,
                             changes=changes, partners=partners, basemap=basemap)
    args["session"] = dict(session) if session else None
    value = _component(**args, key=KEY, default=None)
    if isinstance(value, dict) and value.get("ready"):
        st.session_state[READY] = True
    clicked = value.get("id") if isinstance(value, dict) else None
    number = value.get("n") if isinstance(value, dict) else None
    if isinstance(clicked, str) and clicked in current.data.index and number != st.session_state.get("_click_n"):
        st.session_state["_click_n"] = number
        st.session_state["selected_project"] = clicked
        return clicked
    return None
