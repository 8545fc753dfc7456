"""How the map draws a project: colour by sector, width by kind, dash by status, glyph by kind.

Plain data shared by the map's browser code (sent once in the map data, ``geo.webmap.data``) and by
the tests. The browser applies them in ``geo/webmap/static/map.js``.
"""

from __future__ import annotations

from typing import Any

from geo import settings

HOME_PROVINCE = "内蒙古自治区"

#: Sector colours: distinct hues, readable on the pale province fill and on OSM/Tianditu.
SECTOR_COLORS: dict[str, str] = {
    "rail": "#c0392b",
    "road": "#e67e22",
    "aviation": "#8e44ad",
    "energy": "#1f5fbf",
    "industry": "#27864a",
    "logistics": "#0e8a8a",
    "education": "#c2185b",
    "science": "#4b3fa8",
    "tourism": "#8a7a12",
}
STOPPED_COLOR = "#8c8c8c"
FALLBACK_COLOR = "#555555"

#: Line width by kind: the transport corridors wide, power lines thin, pipelines between.
KIND_WEIGHTS: dict[str, float] = {"expressway": 6, "railway": 4.5, "pipeline": 4, "power_line": 2.5}
DEFAULT_WEIGHT = 3.5

#: Font Awesome (solid) glyph by kind for point markers.
KIND_ICONS: dict[str, str] = {
    "railway": "train", "expressway": "road", "road": "road", "power_line": "bolt", "pipeline": "oil-well", "bridge": "bridge",
    "airport": "plane", "substation": "plug", "port": "anchor", "dry_port": "anchor", "logistics_park": "warehouse",
    "industrial_park": "industry", "transfer_zone": "arrow-right-arrow-left", "coal_power_base": "fire",
    "coal_chemical_base": "flask-vial", "market": "shop", "sales_zone": "cart-shopping",
    "university": "graduation-cap", "platform": "network-wired", "pilot_project": "truck", "fair": "store",
    "event": "calendar-days", "alliance": "link", "tourism_circle": "mountain-sun", "agreement": "handshake",
    "plan_document": "file-lines", "partnership": "handshake", "air_service": "plane",
    "investment_promotion": "bullhorn", "programme": "people-group",
}

#: Status code → drawing class: solid when built, long dashes in construction, short dashes
#: while planned or negotiated, grey dots when stopped.
STATUS_CLASSES: dict[str, str] = {
    "operating": "built", "completed": "built", "construction": "construction",
    "proposed": "planned", "preparing": "planned", "approval": "planned",
    "construction_planned": "planned", "negotiating": "planned", "agreed": "planned",
    "ongoing": "planned", "shelved": "stopped", "cancelled": "stopped",
}
DASHES: dict[str, str | None] = {"built": None, "construction": "14 6", "planned": "7 7", "stopped": "2 7"}

#: ``placed_on`` values (pipeline) of items drawn on provinces rather than at a place of their own.
REGIONAL_PLACEMENTS = frozenset({"partner_provinces", "home_region", "provinces"})

#: Kinds shown in the legend's line-width section, widest first.
LEGEND_KINDS: tuple[str, ...] = ("expressway", "railway", "pipeline", "power_line")


def style_config() -> dict[str, Any]:
    """Everything the browser needs to style features, as one JSON-ready mapping."""
    return {
        "colors": SECTOR_COLORS, "grey": STOPPED_COLOR, "fallback": FALLBACK_COLOR,
        "weights": KIND_WEIGHTS, "weight": DEFAULT_WEIGHT, "icons": KIND_ICONS,
        "classes": STATUS_CLASSES, "dashes": DASHES, "legendKinds": list(LEGEND_KINDS),
        "home": HOME_PROVINCE, "sectorOrder": list(settings.SECTORS),
    }
