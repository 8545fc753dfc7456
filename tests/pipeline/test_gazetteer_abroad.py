"""Places beyond the provinces: land ports of entry, towns and mines in Mongolia and Russia.

Looks them up by Chinese name and alias, checks every curated row (source, plausible point), and
geocodes cross-border items: their partner countries, a line that crosses the border, the filters.
"""

from __future__ import annotations

import csv
import json

import geopandas as gpd
import pytest
import shapely

from geo import settings
from geo.filters import Filters, filter_projects, filters_from_params, province_names
from geo.taxonomy import read_countries

GAZETTEER_DIR = settings.DATA_DIR / "gazetteer"
FILES = ("ports.csv", "abroad.csv")
#: Rough bounding boxes (lon_min, lat_min, lon_max, lat_max) a point of each country must fall in.
BOXES = {"CN": (73.4, 18.1, 135.1, 53.6), "MN": (87.7, 41.5, 120.0, 52.2), "RU": (19.6, 41.1, 180.0, 82.0)}
LEVELS = {"port", "city", "town", "mine", "county"}


def _rows() -> list[dict[str, str]]:
    rows = []
    for name in FILES:
        with open(GAZETTEER_DIR / name, encoding="utf-8", newline="") as fh:
            rows += [{**row, "file": name} for row in csv.DictReader(fh)]
    return rows


ROWS = _rows()


# name as a plan writes it, the canonical name it finds, country, level
@pytest.mark.parametrize(("name", "canonical", "country", "level"), [
    ("扎门乌德", "扎门乌德", "MN", "town"),
    ("扎门乌特", "扎门乌德", "MN", "town"),
    ("乌兰巴托", "乌兰巴托", "MN", "city"),
    ("塔本陶勒盖煤矿", "塔本陶勒盖", "MN", "mine"),
    ("塔温陶勒盖", "塔本陶勒盖", "MN", "mine"),
    ("奥尤陶勒盖", "奥尤陶勒盖", "MN", "mine"),
    ("外贝加尔斯克", "后贝加尔斯克", "RU", "town"),
    ("海兰泡", "布拉戈维申斯克", "RU", "city"),
    ("赤塔", "赤塔", "RU", "city"),
    ("二连口岸", "二连浩特口岸", "CN", "port"),
    ("满洲里公路口岸", "满洲里口岸", "CN", "port"),
    ("策克", "策克口岸", "CN", "port"),
    ("塔克什肯口岸", "塔克什肯口岸", "CN", "port"),
    ("室韦", "室韦口岸", "CN", "port"),
    ("蒙兀室韦口岸", "室韦口岸", "CN", "port"),
    ("珠恩嘎达布其", "珠恩嘎达布其口岸", "CN", "port"),
    ("乌拉斯台口岸", "乌拉斯台口岸", "CN", "port"),
    ("额布都格", "额布都格口岸", "CN", "port"),
    ("二连浩特", "二连浩特市", "CN", "county"),  # the city itself stays the county seat, not the port
    ("满洲里", "满洲里", "CN", "county"),
])
def test_lookup_by_name_and_alias(gazetteer, name, canonical, country, level) -> None:  # type: ignore[no-untyped-def]
    place = gazetteer.get(name)
    assert (place.name if place.name == canonical else _canonical(place.name), place.country, place.level) == \
        (canonical, country, level)
    assert gazetteer.country_of(name) == country


def _canonical(name: str) -> str:
    """The first name of the row an alias belongs to (an alias is stored under its own name)."""
    for row in ROWS:
        if name in row["aliases"].split("|"):
            return row["name"]
    return name


@pytest.mark.parametrize("name", ["扎门乌德", "乌兰巴托", "赤塔", "后贝加尔斯克", "奥尤陶勒盖"])
def test_a_place_abroad_is_never_a_chinese_province(gazetteer, finder, name) -> None:  # type: ignore[no-untyped-def]
    assert gazetteer.province_of(name) == ""
    assert gazetteer.get(name).subdivision  # its aimag or oblast is kept, apart from the province
    assert finder.partners(f"加强与{name}的合作") == []


def test_an_unknown_name_has_no_country(gazetteer) -> None:  # type: ignore[no-untyped-def]
    assert gazetteer.country_of("不存在的地方") is None


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_every_row_has_a_source_and_a_plausible_point(row) -> None:  # type: ignore[no-untyped-def]
    assert None not in row, f"{row['name']}: an unquoted comma splits the row into extra fields"
    lon, lat = float(row["lon"]), float(row["lat"])
    west, south, east, north = BOXES[row["country"]]
    assert west <= lon <= east and south <= lat <= north, f"{row['name']} ({lon}, {lat}) is outside {row['country']}"
    source = row["source"]
    assert "http" in source, f"{row['name']}: the source names no page"
    assert not source.startswith("estimate") or int(row["precision"]) >= 2, "an estimate cannot claim an exact site"
    assert row["level"] in LEVELS and 1 <= int(row["precision"]) <= 5
    assert row["name_en"] and row["country"] in read_countries()
    assert (row["country"] == "CN") == (row["file"] == "ports.csv")
    if row["country"] == "CN":
        assert row["province"] in _province_polygons()
    assert len(row["lon"].split(".")[-1]) <= 6 and len(row["lat"].split(".")[-1]) <= 6


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_every_point_lies_on_its_side_of_the_border(row) -> None:  # type: ignore[no-untyped-def]
    """A port lies in (or within 5 km of) its province; a place abroad outside China."""
    point = shapely.Point(float(row["lon"]), float(row["lat"]))
    polygons = _province_polygons()
    if row["country"] == "CN":
        assert polygons[row["province"]].distance(point) < 0.05, f"{row['name']} is not in {row['province']}"
    else:
        assert not any(polygon.contains(point) for polygon in polygons.values()), f"{row['name']} lies in China"


def _province_polygons() -> dict[str, shapely.Geometry]:
    from geo.pipeline.boundaries import load_provinces

    provinces = load_provinces()
    return dict(zip(provinces["name"], provinces.geometry, strict=True))


# -- geocoding cross-border items --------------------------------------------------------------

# id, name, places, linear, the partner countries (Chinese, English) it gets
ITEMS = [
    ("erenhot-zamyn-uud", "二连浩特—扎门乌德铁路", ["二连浩特", "扎门乌德"], True, ["蒙古国"], ["Mongolia"]),
    ("manzhouli-zabaykalsk", "满洲里—后贝加尔斯克公路", ["满洲里", "后贝加尔斯克"], True, ["俄罗斯"], ["Russia"]),
    ("ceke-ulaanbaatar", "策克口岸—乌兰巴托公路", ["策克口岸", "乌兰巴托"], True, ["蒙古国"], ["Mongolia"]),
    ("hohhot-zhangjiakou", "呼和浩特—张家口铁路", ["呼和浩特", "张家口"], True, [], []),
    ("oyu-tolgoi", "奥尤陶勒盖铜矿合作", ["奥尤陶勒盖"], False, ["蒙古国"], ["Mongolia"]),
]


@pytest.fixture(scope="module")
def items(gazetteer, finder) -> gpd.GeoDataFrame:  # type: ignore[no-untyped-def]
    from geo.pipeline.boundaries import load_provinces
    from geo.pipeline.geocode import features_from_projects
    from geo.pipeline.hints import Hints
    from geo.pipeline.plan import Clause
    from geo.pipeline.projects import Project

    projects = []
    for _, name, places, linear, _, _ in ITEMS:
        clause = Clause("1", "", None, "rail", f"推进{name}。", f"推进{name}。", 1, [], [])
        projects.append(Project(name, "rail" if linear else "industry", "railway" if linear else "park", clause,
                                clause.text, places=places, linear=linear))
    frame, unresolved, _ = features_from_projects(projects, gazetteer, finder, load_provinces(), hints=Hints())  # no cited routes: the plan's own ends
    assert unresolved == []
    frame["id"] = [item[0] for item in ITEMS]
    return frame.set_index("id", drop=False)


@pytest.mark.parametrize(("pid", "name", "places", "linear", "countries", "countries_en"), ITEMS,
                         ids=[item[0] for item in ITEMS])
def test_partner_countries_of_an_item(items, pid, name, places, linear, countries, countries_en) -> None:  # type: ignore[no-untyped-def]
    row = items.loc[pid]
    assert (list(row["partner_countries"]), list(row["partner_countries_en"])) == (countries, countries_en)
    assert all(p for p in row["partner_provinces"])  # no empty province stands in for a country


@pytest.mark.parametrize("pid", ["erenhot-zamyn-uud", "manzhouli-zabaykalsk", "ceke-ulaanbaatar"])
def test_a_line_to_a_place_abroad_crosses_the_border(items, gazetteer, pid) -> None:  # type: ignore[no-untyped-def]
    row = items.loc[pid]
    line = row.geometry
    china = shapely.union_all(list(_province_polygons().values()))
    start, end = shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])
    assert china.contains(start) and not china.contains(end)
    abroad = gazetteer.get(row["waypoints"][-1])
    assert line.coords[-1] == pytest.approx((abroad.lon, abroad.lat))  # not snapped onto the Chinese border
    assert line.crosses(china.boundary)


def test_a_point_abroad_is_drawn_where_it_is(items, gazetteer) -> None:  # type: ignore[no-untyped-def]
    row = items.loc["oyu-tolgoi"]
    mine = gazetteer.get("奥尤陶勒盖")
    assert (row.geometry.x, row.geometry.y) == pytest.approx((mine.lon, mine.lat))
    assert row["placed_on"] == "place" and list(row["partner_provinces"]) == []


# partner filter values, the items they keep
@pytest.mark.parametrize(("partners", "expected"), [
    (("蒙古国",), ["erenhot-zamyn-uud", "ceke-ulaanbaatar", "oyu-tolgoi"]),
    (("俄罗斯",), ["manzhouli-zabaykalsk"]),
    (("蒙古国", "俄罗斯"), ["erenhot-zamyn-uud", "manzhouli-zabaykalsk", "ceke-ulaanbaatar", "oyu-tolgoi"]),
    (("河北省",), ["hohhot-zhangjiakou"]),
    (("河北省", "俄罗斯"), ["manzhouli-zabaykalsk", "hohhot-zhangjiakou"]),
])
def test_filter_by_partner_country(items, partners, expected) -> None:  # type: ignore[no-untyped-def]
    assert list(filter_projects(items, Filters(partners=partners))["id"]) == expected


def test_crossed_mode_does_not_match_a_country(items) -> None:  # type: ignore[no-untyped-def]
    assert filter_projects(items, Filters(partners=("蒙古国",), mode="crossed")).empty


# URL value, the partners it selects, the values it ignores
@pytest.mark.parametrize(("value", "partners", "ignored"), [
    ("蒙古国", ("蒙古国",), ()),
    ("蒙古", ("蒙古国",), ()),  # completed like 山东 → 山东省
    ("俄罗斯", ("俄罗斯",), ()),
    ("俄", (), ("partner=俄",)),  # one character completes nothing
])
def test_a_country_in_the_url(items, value, partners, ignored) -> None:  # type: ignore[no-untyped-def]
    known = province_names(items)
    assert {"蒙古国", "俄罗斯"} <= set(known)
    chosen = filters_from_params({"partner": value}, provinces=known)
    assert (chosen.partners, chosen.ignored) == (partners, ignored)


def test_the_popup_lists_the_partner_countries_in_both_languages(items) -> None:  # type: ignore[no-untyped-def]
    from geo.webmap.data import map_data

    frame = items.copy()
    for column, value in (("sector", "rail"), ("status", "proposed"), ("kind", "railway")):
        frame[column] = frame.get(column, value)
    doc = json.loads(map_data(frame.reset_index(drop=True), None).body)
    feature = next(f for f in doc["features"] if f["id"] == "erenhot-zamyn-uud")
    assert [doc["names"][i] for i in feature["pc"]] == ["蒙古国"]
    assert [doc["names"][i] for i in feature["pce"]] == ["Mongolia"]
    assert "pp_countries" in doc["labels"]["zh"]["t"] and "pp_countries" in doc["labels"]["en"]["t"]


# the partner_countries a hand-edited layer holds, the problem the check reports (None: none)
@pytest.mark.parametrize(("value", "problem"), [
    (["蒙古国"], None),
    ([], None),
    ("蒙古国", "'partner_countries' is str, expected list"),
    (None, "'partner_countries' is NoneType, expected list"),
])
def test_the_layer_check_reads_partner_countries(tmp_path, items, value, problem) -> None:  # type: ignore[no-untyped-def]
    from geo.layers import check_layers, save_layers

    save_layers(items.loc[["erenhot-zamyn-uud"]].reset_index(drop=True), tmp_path)
    path = tmp_path / "rail.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["partner_countries"] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = [p for p in check_layers(tmp_path) if "partner_countries" in p]
    assert found == ([] if problem is None else [f"rail.geojson feature 1 (erenhot-zamyn-uud): {problem}"])
