"""Routes: waypoints → WGS84 lines along the geodesic, their lengths, the provinces they cross,
and ends moved onto a provincial border.

Pure geometry on shapely and pyproj; the province polygons come from ``geo.pipeline.boundaries``.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

from geo import settings
from geo.layers.schema import GEOD, provinces_crossed


def line_from_waypoints(points: list[tuple[float, float]], *, spacing_km: float = settings.DENSIFY_KM) -> LineString:
    """A LineString through ``points`` (lon, lat), densified along the geodesic every ``spacing_km``."""
    coords: list[tuple[float, float]] = [points[0]]
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:]):
        _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        n = int(dist / 1000 // spacing_km)
        coords += GEOD.npts(lon1, lat1, lon2, lat2, n) if n > 0 else []
        coords.append((lon2, lat2))
    return LineString(coords)


def crossed_provinces(frame: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> list[list[str]]:
    """For each feature of ``frame``: the provinces its line crosses; [] for other shapes."""
    return [provinces_crossed(geom, provinces) if geom is not None and geom.geom_type in {"LineString", "MultiLineString"}
            else [] for geom in frame.geometry]


def snap_to_border(line: LineString, provinces: gpd.GeoDataFrame, neighbour: str, *, at_start: bool) -> LineString:
    """``line`` with its start (or end) moved to the nearest point of ``neighbour``'s boundary.

    For a segment whose source ends it at a provincial border (白疙瘩 on the Inner Mongolia–Gansu
    border): the end estimated near the border is put on it, so the line neither stops short of
    the border nor runs into the neighbouring province. Vertices that the move leaves beyond the
    border are dropped.
    """
    polygon = provinces.loc[provinces["name"] == neighbour].geometry
    if polygon.empty:
        return line
    coords = list(line.coords)
    if at_start:
        coords.reverse()
    end = Point(coords[-1])
    border = nearest_points(polygon.iloc[0].boundary, end)[0]
    inside = polygon.iloc[0]
    while len(coords) > 2 and inside.contains(Point(coords[-2])):
        coords.pop()
    coords[-1] = (border.x, border.y)
    if at_start:
        coords.reverse()
    return LineString(coords)
