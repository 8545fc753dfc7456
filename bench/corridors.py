"""Synthetic corridors at national scale: real gazetteer places, the real features' properties.

Each corridor joins a place in Inner Mongolia to a place in another province (the plan's shape:
cross-provincial cooperation), densified to about 50 vertices along the geodesic, and carries
every property of a real corridor of the plan (sector, kind, agencies, status, clause text…),
taken in turn from the plan's lines; only the id, names, ends, provinces and length are its own.
Generation is seeded: the same ``n`` and ``seed`` give the same corridors.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo import settings
from geo.layers import PROVINCES_FILE, load_layers, save_layers
from geo.layers.schema import GEOD, length_km
from geo.pipeline.gazetteer import Place, load_gazetteer
from geo.pipeline.routes import line_from_waypoints

HOME = "内蒙古自治区"
#: Vertices per corridor (the issue's "about 50").
VERTICES = 50
_LEVELS = frozenset({"prefecture", "county"})


def synthetic_corridors(n: int, *, seed: int = 2014, layer_dir: Path | None = None) -> gpd.GeoDataFrame:
    """``n`` corridors between real places, with the properties of the real lines in ``layer_dir``."""
    templates = _line_templates(load_layers(layer_dir))
    home, away = _places()
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        a, b = rng.choice(home), rng.choice(away)
        rows.append(_corridor(i, a, b, templates[i % len(templates)]))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def write_layer_dir(frame: gpd.GeoDataFrame, out_dir: Path, *, layer_dir: Path | None = None) -> Path:
    """A layer folder the app can open (``-- --layers DIR``): the sector files and the provinces."""
    save_layers(frame, out_dir)
    shutil.copyfile(Path(layer_dir or settings.DEFAULT_LAYERS) / PROVINCES_FILE, out_dir / PROVINCES_FILE)
    return out_dir


def _line_templates(real: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    lines = real[real.geometry.geom_type == "LineString"].sort_values("id")
    if lines.empty:
        raise ValueError("the layers hold no corridor to copy properties from")
    return [row.to_dict() for _, row in lines.iterrows()]


def _places() -> tuple[list[Place], list[Place]]:
    """Prefecture and county seats, one per name, in Inner Mongolia and elsewhere (sorted: seeded picks repeat)."""
    unique = {p.name: p for p in load_gazetteer().mentionable().values()
              if p.level in _LEVELS and p.province}
    places = sorted(unique.values(), key=lambda p: (p.province, p.name))
    return [p for p in places if p.province == HOME], [p for p in places if p.province != HOME]


def _corridor(i: int, a: Place, b: Place, template: dict[str, Any]) -> dict[str, Any]:
    line = _line(a, b)
    sector = template["sector"]
    return {
        **template,
        "id": f"{sector}-synthetic-{i:05d}",
        "name_zh": f"{a.name}—{b.name}通道{i}",
        "name_en": f"{a.name_en}–{b.name_en} corridor {i}",
        "partner_provinces": [b.province],
        # The ends' provinces, not a spatial join: good enough for the filter and the popup.
        "crossed_provinces": [HOME, b.province],
        "waypoints": [a.name, b.name],
        "length_km": round(length_km(line), 1),
        "length_source": "computed",
        "placed_on": "waypoints",
        "geometry": line,
    }


def _line(a: Place, b: Place) -> Any:

    _, _, metres = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    spacing = max(metres / 1000 / (VERTICES - 1), 0.001)
    return line_from_waypoints([(a.lon, a.lat), (b.lon, b.lat)], spacing_km=spacing * 1.0001)
