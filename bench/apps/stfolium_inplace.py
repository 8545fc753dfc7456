"""streamlit-folium's own in-place update, for comparison: ``streamlit run bench/apps/stfolium_inplace.py -- --layers DIR``.

The same layers, a sector select box, and ``st_folium(base_map, feature_group_to_add=...)``: the
base map stays, and each run sends the selection's features as a new feature group.
"""

import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.layers import load_layers


@st.cache_resource
def _layers(folder: str):  # type: ignore[no-untyped-def]
    return load_layers(Path(folder))


folder = sys.argv[sys.argv.index("--layers") + 1] if "--layers" in sys.argv else "data/geojson"
projects = _layers(folder)
sectors = ["all", *sorted(projects["sector"].unique())]
sector = st.selectbox("sector", sectors, key="sector")
selection = projects if sector == "all" else projects[projects["sector"] == sector]
base = folium.Map(location=(42.0, 112.0), zoom_start=5, tiles=None)
group = folium.FeatureGroup(name="selection")
folium.GeoJson(selection[["id", "name_zh", "geometry"]], tooltip=folium.GeoJsonTooltip(["name_zh"])).add_to(group)
st_folium(base, key="map", feature_group_to_add=group, height=700, use_container_width=True, returned_objects=[])
