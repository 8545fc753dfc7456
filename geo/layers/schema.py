"""The layer contract: the properties every feature carries and the rules its geometry keeps.

Below both the pipeline that writes layers and the store, map and reports that read them: the
schema of a feature, how a drawn line's length is measured and which provinces it counts as
crossing, and how far a published length may be from the drawn one.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import Geod

#: Properties every feature carries, with the JSON types allowed for each.
SCHEMA: dict[str, tuple[type, ...]] = {
    "id": (str,), "name_zh": (str,), "name_en": (str,), "sector": (str,), "kind": (str,),
    "clause": (str,), "clause_text": (str,), "lead_agencies": (list,), "cooperating_agencies": (list,),
    "partner_provinces": (list,), "crossed_provinces": (list,), "status": (str,), "status_source": (str,),
    "precision": (int,), "route": (str, type(None)), "length_km": (int, float, type(None)), "waypoints": (list,),
}
#: Properties a feature may carry, with the JSON types allowed when it does (layers written before
#: places abroad were known lack them).
OPTIONAL: dict[str, tuple[type, ...]] = {"partner_countries": (list,), "partner_countries_en": (list,)}
#: How far a published length may be from the drawn one (a share of the published length).
LENGTH_TOLERANCE = 0.15
GEOD = Geod(ellps="WGS84")
#: A line counts as crossing a province when at least this much of it (km) lies inside: the
#: boundaries are simplified to about 1 km, so an end placed on a border touches both sides.
CROSSING_MIN_KM = 3.0


def length_km(line: shapely.Geometry) -> float:
    """Geodesic length of a WGS84 line in km."""
    return abs(GEOD.geometry_length(line)) / 1000


def provinces_crossed(line: shapely.Geometry, provinces: gpd.GeoDataFrame) -> list[str]:
    """The provinces ``line`` runs through for at least ``CROSSING_MIN_KM``, in order along it."""
    hits = []
    for index in provinces.sindex.query(line, predicate="intersects"):
        polygon = provinces.geometry.iloc[index]
        inside = shapely.intersection(line, polygon)
        if length_km(inside) >= CROSSING_MIN_KM:
            hits.append((line.project(inside.representative_point()), str(provinces["name"].iloc[index])))
    return [name for _, name in sorted(hits)]
