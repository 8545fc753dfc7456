"""One page run's view of the map: which features show, in which language, with which statuses.

The map's features travel once per layer set (``geo.webmap.data``, cached by the browser); what a
page run sends to the map frame is this module's ``view_args``: the language, a bit mask of the
visible features, the status store's changes, the highlighted partner provinces and the
basemap. A filter change therefore moves a few hundred bytes, and the frame applies them in
place (``geo/webmap/static/map.js``) without being rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from geo import i18n
from geo.errors import BasemapRefused
from geo.webmap.basemaps import Basemap, basemap_from_choice
from geo.webmap.data import MapData, drawable_lines, map_data, visible_mask

__all__ = ["Basemap", "BasemapRefused", "MapData", "StatusChangeView", "basemap_from_choice", "changes_args",
           "drawable_lines", "map_data", "view_args", "visible_mask"]


@dataclass(frozen=True)
class StatusChangeView:
    """A status recorded by an editor, as the map shows it."""

    status: str
    effective: str  # the date it took effect, YYYY-MM-DD
    editor: str
    recorded: str  # when it was recorded, China time, YYYY-MM-DD HH:MM
    note: str


def view_args(data: MapData, *, data_url: str, visible_ids: Iterable[str] | None, lang: str,
              changes: Mapping[str, StatusChangeView], partners: Sequence[str] = (),
              basemap: Basemap | None = None) -> dict[str, Any]:
    """The arguments of one page run for the map frame.

    Parameters
    ----------
    data
        The map data the frame has loaded (``geo.webmap.data.map_data``).
    data_url
        Where the frame loads ``data`` from; a different URL makes the frame start again.
    visible_ids
        The projects to show (the filtered selection); None for all.
    lang
        ``zh`` or ``en``.
    changes
        The status store's changes by project id; other projects keep the plan's status.
    partners
        Full names of the partner provinces to highlight.
    basemap
        Tiles under the vectors, or None (provinces only, works offline).
    """
    known = set(data.ids)
    return {
        "data": data_url,
        "lang": i18n.lang_or_default(lang),
        "visible": None if visible_ids is None else visible_mask(data, visible_ids),
        "changes": changes_args({pid: c for pid, c in changes.items() if pid in known}),
        "partners": list(partners),
        "basemap": basemap.as_args() if basemap is not None else None,
    }


def changes_args(changes: Mapping[str, StatusChangeView]) -> dict[str, dict[str, str]]:
    """Status changes in the frame's compact form (``st``, ``eff``, ``by``, ``at``, ``note``)."""
    return {pid: {"st": c.status, "eff": c.effective, "by": c.editor, "at": c.recorded, "note": c.note}
            for pid, c in sorted(changes.items())}


def line_count(gdf: gpd.GeoDataFrame) -> int:
    """How many of ``gdf``'s projects are drawn as corridors."""
    return len(drawable_lines(gdf))
