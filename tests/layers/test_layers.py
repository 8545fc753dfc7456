"""Layers: GeoJSON round trip, RFC 7946 shape, geodesic geometry helpers."""

from __future__ import annotations

import contextlib
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geo import settings
from geo.errors import LayerError
from geo.layers import check_layers, load_layers, save_layers
from geo.pipeline.geocode import length_km, line_from_waypoints

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


def _two_sectors(road_name: object) -> gpd.GeoDataFrame:
    frame = _frame([(111.75, 40.84), (109.84, 40.66)], ["呼和浩特", "包头"])
    frame.loc[1, "sector"] = "road"
    frame["name_zh"] = frame["name_zh"].astype(object)
    frame.at[1, "name_zh"] = road_name
    return frame


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_failure_part_way_leaves_the_previous_set_and_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    save_layers(_two_sectors("包头"), out)
    before = _contents(out)
    # rail.geojson is written first; the road feature's name cannot be written as JSON.
    with pytest.raises(LayerError) as err:
        save_layers(_two_sectors({"not", "json"}), out)
    assert err.value.code == "layers_write_failed"
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_new_set_replaces_the_old_one_whole_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    save_layers(_two_sectors("包头"), out)
    (out / "provinces.geojson").write_text('{"type":"FeatureCollection","features":[]}\n', encoding="utf-8")
    (out / "rail.geojson.tmp").write_text("half a layer from an older writer", encoding="utf-8")
    save_layers(_two_sectors("包头市"), out)
    assert load_layers(out).set_index("sector").loc["road", "name_zh"] == "包头市"
    assert (out / "provinces.geojson").exists() and not (out / "rail.geojson.tmp").exists()
    assert check_layers(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


def test_the_folder_of_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    abandoned = tmp_path / f".layers.building-{dead.stdout.strip()}-x1y2"
    abandoned.mkdir()
    (abandoned / "rail.geojson").write_text("{", encoding="utf-8")
    save_layers(_two_sectors("包头"), tmp_path / "layers")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


@pytest.mark.parametrize("case", ["file", "under-file", "holds-folders"])
def test_out_dir_that_cannot_hold_a_layer_set_is_refused(tmp_path: Path, case: str) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "project" / "src").mkdir(parents=True)
    out = {"file": tmp_path / "a-file", "under-file": tmp_path / "a-file" / "layers",
           "holds-folders": tmp_path / "project"}[case]
    with pytest.raises(LayerError) as err:
        save_layers(_two_sectors("包头"), out)
    assert err.value.code == {"file": "out_is_file", "under-file": "out_under_file",
                              "holds-folders": "out_not_layers"}[case]
    assert (tmp_path / "project" / "src").is_dir() and (tmp_path / "a-file").read_text() == "x"


# --- geo check on whatever JSON a file holds -----------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)
_broken_features = st.one_of(
    st.none(), st.text(max_size=5), st.integers(), st.dictionaries(st.text(max_size=4), _json, max_size=3),
    st.lists(st.one_of(
        _json,
        st.fixed_dictionaries({"type": st.just("Feature"), "properties": _json, "geometry": _json}),
        st.fixed_dictionaries({"type": st.just("Feature"), "properties": st.just({"id": "x", "length_km": math.nan}),
                               "geometry": st.just({"type": "Point", "coordinates": [111.0, math.inf]})}),
    ), max_size=4),
)
_broken_collections = st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": _broken_features})


def _check_folder_with(folder: Path, rail: object) -> tuple[int, str]:
    """Valid empty layers with ``rail`` as rail.geojson; ``geo check`` on the folder: (exit code, output)."""
    from geo.cli import main

    for sector in settings.SECTORS:
        collection: object = rail if sector == "rail" else {"type": "FeatureCollection", "features": []}
        (folder / f"{sector}.geojson").write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(folder)])
    return code, out.getvalue()


@hsettings(max_examples=150, deadline=None)
@given(st.one_of(_json, _broken_collections))
def test_check_lists_a_problem_for_any_json_and_never_raises(tmp_path_factory, rail) -> None:  # type: ignore[no-untyped-def]
    assume(rail != {"type": "FeatureCollection", "features": []})
    code, out = _check_folder_with(tmp_path_factory.mktemp("check"), rail)
    assert code == 1
    assert "rail.geojson" in out


@pytest.mark.parametrize(("rail", "expected"), [
    ([], "not a FeatureCollection (the file holds an array)"),
    ({"type": "FeatureCollection", "features": None}, "'features' is null, expected an array"),
    ({"type": "FeatureCollection", "features": ["Feature"]}, "feature 1: is a string, expected an object"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": "id=x", "geometry": None}]},
     "properties is a string, expected an object"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"length_km": math.nan},
                                                 "geometry": None}]},
     "NaN at $.features[0].properties.length_km"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                 "geometry": {"type": "Point", "coordinates": [math.inf, 1]}}]},
     "Infinity at $.features[0].geometry.coordinates[0]"),
])
def test_check_names_what_is_structurally_wrong(tmp_path: Path, rail: object, expected: str) -> None:
    code, out = _check_folder_with(tmp_path, rail)
    assert code == 1
    assert expected in out


def test_check_reports_a_number_too_large_for_a_float_and_deep_nesting(tmp_path: Path) -> None:
    from geo.layers.check import check_layers as check

    _check_folder_with(tmp_path, {})
    (tmp_path / "rail.geojson").write_text('{"type":"FeatureCollection","features":[],"x":1e999}', encoding="utf-8")
    assert any("1e999 at $.x" in p for p in check(tmp_path))
    (tmp_path / "rail.geojson").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert any(p.startswith("rail.geojson: not readable GeoJSON") for p in check(tmp_path))
