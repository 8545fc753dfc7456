"""Cached inputs of a page run: the layers, the provinces, the current statuses, the static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from geo import assets, layers
from geo.errors import GeoError

APP_DIR = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner=False)
def static_base_url() -> str:
    """Copy the map's vendor files into ``static/`` once per server; their URL as the browser sees it."""
    assets.install_assets(APP_DIR / "static")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{assets.DEFAULT_BASE_URL}" if base else assets.DEFAULT_BASE_URL


@st.cache_data(show_spinner=False)
def projects(layer_dir: str) -> gpd.GeoDataFrame:
    """Every project of every sector layer in ``layer_dir``."""
    return layers.load_layers(Path(layer_dir))


@st.cache_data(show_spinner=False)
def provinces(layer_dir: str) -> gpd.GeoDataFrame | None:
    """Province polygons (``name``, ``name_en``), or None when the folder has none."""
    if not (Path(layer_dir) / layers.PROVINCES_FILE).exists():
        return None
    return layers.load_provinces_layer(Path(layer_dir))


def current_statuses() -> dict[str, dict[str, Any]]:
    """Project id → ``{"status", "changed_at", "editor", "note"}`` for projects changed by staff.

    Read from the status store (issue 4); projects it does not list, or lists only with the
    plan's baseline (version 1), keep the plan's status. Read at every run, not cached: a change
    made through another app server must show at the next rerun. Without a reachable store the
    map shows the plan's statuses and ``st.session_state["store_error"]`` says why.
    """
    try:
        db = store()  # a failed connection is not cached: the next run tries again
        records = db.current_all() if db is not None else {}
    except GeoError as err:
        st.session_state["store_error"] = str(err)
        return {}
    from geo.store import LOCAL_TZ  # times are shown in China Standard Time, as the form shows them

    return {pid: {"status": r.status, "changed_at": r.changed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                  "editor": r.editor, "note": r.note}
            for pid, r in records.items() if r.version > 1}


@st.cache_resource(show_spinner=False)
def store() -> Any:
    """The status store (``geo.store.open_store``), one per server process; None without the
    store module. Raises ``GeoError`` when the database cannot be reached (not cached)."""
    try:
        from geo.store import open_store
    except ImportError:  # the store of issue 4 not in this checkout
        return None
    return open_store()
