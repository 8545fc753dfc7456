"""Layers: GeoJSON round trip, RFC 7946 shape, geodesic geometry helpers."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geo import settings
from geo.geocode import length_km, line_from_waypoints
from geo.layers import check_layers, load_layers, save_layers

_lon = st.floats(min_value=73.0, max_value=135.0, allow_nan=False)
_lat = st.floats(min_value=18.0, max_value=53.0, allow_nan=False)


def _frame(points: list[tuple[float, float]], names: list[str]) -> gpd.GeoDataFrame:
    rows = []
    for i, (point, name) in enumerate(zip(points, names)):
        rows.append({
            "id": f"rail-test-{i}", "name_zh": name, "name_en": "Test", "sector": "rail", "kind": "railway",
            "clause": "1.1", "clause_text": "…", "lead_agencies": ["甲"], "cooperating_agencies": [],
            "partner_provinces": ["河北省"], "partner_reason": ["named"], "crossed_provinces": [],
            "status": "proposed", "status_source": "", "precision": 3, "route": None, "length_km": None,
            "waypoints": [name], "placed_on": "place",
            "geometry": Point(point),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_lon, _lat), min_size=1, max_size=5), st.data())
def test_geojson_round_trip(tmp_path_factory, points, data) -> None:  # type: ignore[no-untyped-def]
    names = [data.draw(st.text(alphabet="呼和浩特张家口锡盟·—()“”\"'\\", min_size=1, max_size=8)) for _ in points]
    out = tmp_path_factory.mktemp("layers")
    save_layers(_frame(points, names), out)
    back = load_layers(out)
    assert list(back["name_zh"]) == names
    assert list(back["partner_provinces"]) == [["河北省"]] * len(points)
    for (lon, lat), geom in zip(points, back.geometry):
        assert abs(geom.x - lon) <= 0.5 * 10 ** -settings.COORD_DECIMALS + 1e-12
        assert abs(geom.y - lat) <= 0.5 * 10 ** -settings.COORD_DECIMALS + 1e-12
    assert check_layers(out) == []


def test_layers_follow_rfc7946(tmp_path: Path) -> None:
    save_layers(_frame([(111.75, 40.84)], ["呼和浩特"]), tmp_path)
    data = json.loads((tmp_path / "rail.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [111.75, 40.84]}
    assert sorted(p.name for p in tmp_path.glob("*.geojson")) == sorted(f"{s}.geojson" for s in settings.SECTORS)


def test_check_reports_a_missing_folder(tmp_path: Path) -> None:
    assert check_layers(tmp_path / "nope") == [f"{str(tmp_path / 'nope')!r} is not a folder"]


@hsettings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_lon, _lat), min_size=2, max_size=6, unique=True))
def test_lines_are_densified_and_lengths_positive(points) -> None:  # type: ignore[no-untyped-def]
    line = line_from_waypoints(points, spacing_km=50)
    assert line.coords[0] == points[0] and line.coords[-1] == points[-1]
    km = length_km(line)
    assert km >= 0
    if km > 0:
        assert km >= length_km(LineString([points[0], points[-1]])) - 1e-6


def test_known_length_hohhot_zhangjiakou() -> None:
    # Hohhot and Zhangjiakou city seats are about 265 km apart: 3.14° of longitude at 40.8° N, 84.3 km a degree.
    assert 255 < length_km(line_from_waypoints([(111.7499, 40.8424), (114.8863, 40.7685)])) < 275
