"""Tile basemaps under the vectors: none (the offline default), OpenStreetMap, Tianditu, intranet.

Takes the sidebar's choice and the deployment's secrets; gives a ``Basemap`` (tile URL
templates, attribution) the browser draws, or refuses the choice with the reason. AMap,
Tencent and Baidu serve GCJ-02/BD-09 tiles, which would shift our WGS84 lines by hundreds of
metres, so they are refused by name and by host.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from geo.errors import BasemapRefused

GCJ02_NAMES = frozenset({"amap", "gaode", "autonavi", "tencent", "qq", "soso"})
GCJ02_HOSTS = ("autonavi.com", "amap.com", "map.qq.com", "gtimg.com", "map.baidu.com", "bdimg.com")


@dataclass(frozen=True)
class Basemap:
    """A WGS84/CGCS2000 XYZ tile basemap; ``tiles`` are drawn bottom to top (base, labels)."""

    key: str
    tiles: tuple[str, ...]
    attribution: str  # HTML made here from trusted parts (escaped where it comes from secrets)
    subdomains: str = "abc"
    max_zoom: int = 18

    def as_args(self) -> dict[str, Any]:
        """What the map frame needs to draw the tiles."""
        return {"key": self.key, "tiles": list(self.tiles), "attribution": self.attribution,
                "subdomains": self.subdomains, "maxZoom": self.max_zoom}


def basemap_from_choice(choice: str, *, lang: str = "zh", tianditu_token: str | None = None,
                        custom_url: str | None = None,
                        custom_attribution: str = "intranet tiles") -> Basemap | None:
    """The basemap for a sidebar choice (``none``, ``osm``, ``tianditu``, ``custom``).

    Raises
    ------
    BasemapRefused
        For GCJ-02 providers (AMap, Tencent) and BD-09 (Baidu); for Tianditu without a token;
        for a custom URL that is missing, not an XYZ template, or a GCJ-02 host.
    """
    choice = (choice or "none").strip().lower()
    if choice == "none":
        return None
    if choice in GCJ02_NAMES or choice == "baidu":
        raise BasemapRefused(f"basemap {choice!r} uses the GCJ-02/BD-09 datum; refusing it", reason="gcj02")
    if choice == "osm":
        return Basemap("osm", ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
                       '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
                       subdomains="abc", max_zoom=19)
    if choice == "tianditu":
        return _tianditu(tianditu_token, lang)
    if choice == "custom":
        return _custom_basemap(custom_url, custom_attribution)
    raise BasemapRefused(f"unknown basemap {choice!r}; choose none, osm, tianditu or custom", reason="bad_url")


def _tianditu(token: str | None, lang: str) -> Basemap:
    if not token:
        raise BasemapRefused("Tianditu needs a token (tianditu_token in Streamlit secrets)", reason="no_token")
    labels = "cva" if lang == "zh" else "eva"
    template = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}"
                "&TILEROW={{y}}&TILECOL={{x}}&tk={token}")
    return Basemap("tianditu", (template.format(layer="vec", token=token),
                                template.format(layer=labels, token=token)),
                   '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a> GS(2024)0568号',
                   subdomains="01234567", max_zoom=18)


def _custom_basemap(url: str | None, attribution: str) -> Basemap:
    if not url:
        raise BasemapRefused("no intranet tile URL configured (basemap_url in secrets)", reason="no_url")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise BasemapRefused(f"tile URL {url!r} is not an XYZ template with {{z}}, {{x}} and {{y}}",
                             reason="bad_url")
    host = urlparse(url.replace("{s}", "a")).hostname or ""
    if any(host == h or host.endswith("." + h) for h in GCJ02_HOSTS):
        raise BasemapRefused(f"tile host {host!r} serves GCJ-02/BD-09 tiles; refusing it", reason="gcj02")
    return Basemap("custom", (url,), html.escape(attribution))
