"""The web map: layers → the compact data the page's own Leaflet frame draws, and the frame itself.

``style`` (colours, dashes, icons) and ``polyline`` (coordinates as short strings) → ``data`` (the
map data of a layer set, sent once per digest) → ``basemaps`` (offline or a tile server) →
``view`` (what one page run asks the frame to show) ; ``assets`` serves the frame's HTML, our
scripts in ``static/`` and Leaflet from its XStatic packages.
"""

from geo.webmap.assets import asset_set, content_type, frame_html
from geo.webmap.basemaps import Basemap, basemap_from_choice
from geo.webmap.data import MapData, map_data
from geo.webmap.view import StatusChangeView, line_count, view_args

__all__ = ["Basemap", "MapData", "StatusChangeView", "asset_set", "basemap_from_choice", "content_type",
           "frame_html", "line_count", "map_data", "view_args"]
