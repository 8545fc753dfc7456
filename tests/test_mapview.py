"""The map: one layer per sector, styles, popups from properties, escaping, offline links.

Also home of the synthetic layer folder (``write_synthetic_layers``) that test_filters and
test_app use: real GeoJSON files following the layer contract of issue 2, small enough to
reason about by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import assets, mapview

XSS = "<img src=x onerror=alert(1)>"


def _rect(minx: float, miny: float, maxx: float, maxy: float) -> dict:
    return shapely.geometry.mapping(shapely.box(minx, miny, maxx, maxy))


SYNTHETIC_PROVINCES = {
    "内蒙古自治区": ("Inner Mongolia", (97.2, 37.4, 126.0, 53.3)),
    "河北省": ("Hebei", (113.5, 36.1, 119.8, 42.6)),
    "北京市": ("Beijing", (115.4, 39.4, 117.5, 41.0)),
    "天津市": ("Tianjin", (116.7, 38.6, 118.0, 40.2)),
    "山东省": ("Shandong", (114.8, 34.4, 122.7, 38.4)),
    "江苏省": ("Jiangsu", (116.4, 30.8, 121.9, 35.1)),
    "辽宁省": ("Liaoning", (118.8, 38.7, 125.8, 43.5)),
    "新疆维吾尔自治区": ("Xinjiang", (73.5, 34.3, 96.4, 49.2)),
}


def _feature(fid: str, sector: str, kind: str, geometry: dict | None, **props) -> dict:
    base = {
        "id": fid, "name_zh": props.pop("name_zh"), "name_en": props.pop("name_en"),
        "sector": sector, "kind": kind, "clause": props.pop("clause", "1.1"),
        "clause_text": props.pop("clause_text", "继续协调推进呼和浩特—张家口客运专线。"),
        "lead_agencies": props.pop("lead", ["自治区铁路办"]),
        "lead_agencies_en": props.pop("lead_en", ["Autonomous Region Railway Office"]),
        "cooperating_agencies": props.pop("coop", ["呼和浩特铁路局"]),
        "cooperating_agencies_en": props.pop("coop_en", ["Hohhot Railway Bureau"]),
        "partner_provinces": props.pop("partners", []),
        "status": props.pop("status", "preparing"), "status_source": props.pop("source", "前期工作"),
        "precision": props.pop("precision", 3), "waypoints": props.pop("waypoints", []),
    }
    base.update(props)
    return {"type": "Feature", "geometry": geometry, "properties": base}


def _line(*coords: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(c) for c in coords]}


def _point(x: float, y: float) -> dict:
    return {"type": "Point", "coordinates": [x, y]}


SYNTHETIC_LAYERS: dict[str, list[dict]] = {
    "rail": [
        _feature("rail-hohhot-zhangjiakou", "rail", "railway",
                 _line((111.75, 40.84), (113.1, 40.95), (114.88, 40.77)),
                 name_zh="呼和浩特—张家口客运专线", name_en="Hohhot–Zhangjiakou passenger railway",
                 partners=["河北省"], crossed_provinces=["内蒙古自治区", "河北省"], status="construction",
                 source="力争早日建成并投入运行", route="traced", length_km=286.4),
        _feature("rail-ejina-hami", "rail", "railway", _line((101.07, 41.95), (93.51, 42.82)),
                 name_zh="额济纳至哈密铁路", name_en="Ejina–Hami railway",
                 partners=["新疆维吾尔自治区"], crossed_provinces=["内蒙古自治区", "新疆维吾尔自治区"],
                 status="construction_planned", source="按计划开工建设", route="schematic",
                 length_km=640.0, precision=5),
    ],
    "road": [
        _feature("road-g7-linhe-baigeda", "road", "expressway", _line((107.4, 40.75), (101.2, 41.9)),
                 name_zh="G7京新高速临河—白疙瘩段", name_en="G7 Beijing–Xinjiang Expressway, Linhe–Baigeda",
                 clause="1.2", clause_text="积极协调推进G7京新高速临河—白疙瘩段建设。",
                 lead=["自治区交通运输厅"], lead_en=["Autonomous Region Department of Transport"],
                 coop=["自治区发展改革委"], coop_en=["Autonomous Region DRC"],
                 partners=["新疆维吾尔自治区"], crossed_provinces=["内蒙古自治区"], status="approval",
                 source="争取国家尽快批复项目可研报告", route="traced", length_km=930.0),
    ],
    "energy": [
        _feature("energy-xilingol-shandong-uhv", "energy", "power_line",
                 _line((116.05, 43.93), (116.9, 39.3), (117.2, 36.7)),
                 name_zh="锡林郭勒盟—山东特高压输电通道", name_en="Xilingol–Shandong UHV line",
                 clause="2.1", clause_text="加快实施电、油、气通道建设。", lead=["自治区能源开发局"],
                 lead_en=["Autonomous Region Energy Development Bureau"], coop=[], coop_en=[],
                 partners=["山东省"], crossed_provinces=["内蒙古自治区", "河北省", "天津市", "山东省"],
                 status="construction", source="加快实施", route="schematic", length_km=730.0),
        _feature("energy-pipeline-shandong", "energy", "pipeline",
                 _line((109.8, 39.6), (114.5, 38.0), (117.0, 36.65)),
                 name_zh="至山东油气管道", name_en="Oil and gas pipeline to Shandong",
                 clause="2.1", clause_text="加快实施电、油、气通道建设。", lead=["自治区能源开发局"],
                 lead_en=["Autonomous Region Energy Development Bureau"], coop=[], coop_en=[],
                 partners=["山东省"], crossed_provinces=["内蒙古自治区", "河北省", "山东省"],
                 status="preparing", route="schematic", length_km=820.0, precision=5),
        _feature("energy-mengxi-tianjin-uhv", "energy", "power_line",
                 _line((109.0, 39.6), (113.0, 39.9), (117.3, 39.0)),
                 name_zh="蒙西—天津南特高压输电通道", name_en="West Inner Mongolia–South Tianjin UHV line",
                 clause="2.1", clause_text="加快实施电、油、气通道建设。", lead=["自治区能源开发局"],
                 lead_en=["Autonomous Region Energy Development Bureau"], coop=[], coop_en=[],
                 partners=["天津市"], crossed_provinces=["内蒙古自治区", "河北省", "天津市"],
                 status="shelved", route="traced", length_km=616.0),
    ],
    "industry": [
        _feature("industry-ordos-jiangsu-park", "industry", "industrial_park", _point(109.99, 39.82),
                 name_zh="鄂尔多斯江苏工业园", name_en="Ordos Jiangsu Industrial Park", clause="3.1",
                 clause_text="推进鄂尔多斯江苏工业园建设。", lead=["自治区经济和信息化委"],
                 lead_en=["Autonomous Region Economic and Information Commission"],
                 partners=["江苏省"], status="ongoing", precision=2),
        _feature("industry-east-transfer-zone", "industry", "transfer_zone", None,
                 name_zh="东部产业转移示范区", name_en="Eastern industrial-transfer zone", clause="3.2",
                 clause_text="建设承接产业转移示范区。", lead=["自治区发展改革委"],
                 lead_en=["Autonomous Region DRC"], partners=["辽宁省", "北京市"], status="negotiating",
                 precision=4),
    ],
    "education": [
        _feature("education-sjtu", "education", "university", _point(111.68, 40.81),
                 name_zh="与上海交通大学合作", name_en="Cooperation with Shanghai Jiao Tong University",
                 clause="5.1", clause_text="深化与上海交通大学等高校合作。", lead=["自治区教育厅"],
                 lead_en=["Autonomous Region Department of Education"], partners=["上海市"],
                 status="agreed", precision=1),
    ],
    "tourism": [
        _feature("tourism-jingjin-circle", "tourism", "tourism_circle",
                 shapely.geometry.mapping(shapely.MultiPolygon([shapely.box(113.5, 36.1, 119.8, 42.6),
                                                                shapely.box(115.4, 39.4, 117.5, 41.0)])),
                 name_zh="京津冀蒙旅游圈", name_en="Beijing–Tianjin–Hebei–Inner Mongolia tourism circle",
                 clause="6.1", clause_text="共建旅游圈。", lead=["自治区旅游局"],
                 lead_en=["Autonomous Region Tourism Administration"], partners=["河北省", "北京市"],
                 status="cancelled", precision=4),
    ],
}


def write_synthetic_layers(folder: Path) -> Path:
    """Write the synthetic sector layers and provinces into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for sector, features in SYNTHETIC_LAYERS.items():
        collection = {"type": "FeatureCollection", "features": features}
        (folder / f"{sector}.geojson").write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    provinces = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": _rect(*box), "properties": {"name": name, "name_en": en}}
        for name, (en, box) in SYNTHETIC_PROVINCES.items()]}
    (folder / "provinces.geojson").write_text(json.dumps(provinces, ensure_ascii=False), "utf-8")
    return folder


def synthetic_gdf() -> gpd.GeoDataFrame:
    features = [f for layer in SYNTHETIC_LAYERS.values() for f in layer]
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")


def synthetic_provinces() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        [{"name": n, "name_en": en, "geometry": shapely.box(*box)} for n, (en, box) in SYNTHETIC_PROVINCES.items()],
        crs="EPSG:4326")


# -- tests -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gdf() -> gpd.GeoDataFrame:
    return synthetic_gdf()


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return synthetic_provinces()


def _html(m) -> str:
    return m.get_root().render()


def _unescape(raw: str) -> str:
    return raw.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")


def _config(page: str) -> dict:
    return json.loads(_unescape(re.search(r"var NMG = \(function \(cfg\) \{.*?\}\)\((\{.*?\})\);", page, re.DOTALL).group(1)))


def _decode_polyline(text: str, scale: float = 1e5) -> list[list[float]]:
    """Google's encoded polyline (x, y deltas) → coordinates, as the page's ``lineFrom`` does."""
    values, value, shift = [], 0, 0
    for char in text:
        b = ord(char) - 63
        value |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    x = y = 0
    coords = []
    for dx, dy in zip(values[0::2], values[1::2], strict=True):
        x, y = x + dx, y + dy
        coords.append([x / scale, y / scale])
    return coords


def _sector_data(page: str) -> list[dict]:
    """Each sector's FeatureCollection, with names resolved and lines decoded as the browser
    does (``prepare``)."""
    config = _config(page)
    names = config["names"]
    out = []
    for sector, raw in re.findall(r'NMG\.sectorLayer\("(\w+)", (\{.*?\})\);', page):
        data = json.loads(_unescape(raw))
        for f in data["features"]:
            geometry = f["geometry"]
            if "e" in geometry:
                encoded = geometry.pop("e")
                geometry["coordinates"] = (_decode_polyline(encoded, config["scale"]) if isinstance(encoded, str)
                                           else [_decode_polyline(e, config["scale"]) for e in encoded])
            f["properties"]["sector"] = sector
            for key in ("lead", "coop", "partners"):
                f["properties"][key] = [names[i] for i in f["properties"].get(key, [])]
        out.append(data)
    return out


def test_one_layer_per_sector_in_the_layer_control(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    assert page.count("NMG.sectorLayer(") == gdf["sector"].nunique()
    for label in ("铁路", "公路", "能源", "产业", "教育", "旅游"):
        assert label in page
    assert "L.control.layers(" in page


def test_every_project_is_drawn_and_regional_items_sit_on_their_provinces(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    features = [f for data in _sector_data(page) for f in data["features"]]
    assert {f["properties"]["id"] for f in features} == set(gdf["id"])
    zone = [f for f in features if f["properties"]["id"] == "industry-east-transfer-zone"]
    # null geometry, partners Liaoning and Beijing: one regional marker inside each province
    assert len(zone) == 1 and zone[0]["properties"]["region"] == 1
    points = shapely.geometry.shape(zone[0]["geometry"]).geoms
    for point, name in zip(points, ["辽宁省", "北京市"], strict=True):
        assert shapely.box(*SYNTHETIC_PROVINCES[name][1]).contains(point)


def test_line_count_matches_drawable_lines(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    lines = [f for data in _sector_data(page) for f in data["features"]
             if f["geometry"]["type"] in ("LineString", "MultiLineString")]
    assert len(lines) == len(mapview.drawable_lines(gdf)) == 6


def test_popup_properties_carry_what_the_popup_shows(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    props = {f["properties"]["id"]: f["properties"] for d in _sector_data(page) for f in d["features"]}
    uhv = props["energy-xilingol-shandong-uhv"]
    assert uhv["lead"] == ["自治区能源开发局"]
    assert uhv["partners"] == ["山东省"]
    assert uhv["status"] == "construction" and _config(page)["statuses"]["construction"] == "在建"
    assert uhv["source"] == "加快实施"
    assert uhv["route"] == "schematic" and uhv["length"] == 730.0 and uhv["precision"] == 3
    assert uhv["clause"] == "2.1" and page.count("加快实施电、油、气通道建设") == 1  # clause text once
    assert "waypoints" not in uhv and "clause_text" not in uhv  # lean: only what the popup uses


def test_english_popups_and_legend(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces, lang="en"))
    props = {f["properties"]["id"]: f["properties"] for d in _sector_data(page) for f in d["features"]}
    assert props["energy-xilingol-shandong-uhv"]["lead"] == ["Autonomous Region Energy Development Bureau"]
    config = _config(page)
    assert config["statuses"]["construction"] == "Under construction"
    assert config["provinces"]["山东省"] == "Shandong"
    assert "Legend" in config["legend"] and "Line kinds (width)" in config["legend"]


def test_status_from_the_store_overrides_the_plan_and_is_escaped(gdf, provinces):
    statuses = {"rail-hohhot-zhangjiakou": {"status": "operating", "changed_at": "2014-12-30",
                                            "editor": "王工", "note": XSS}}
    page = _html(mapview.map_from_layers(gdf, provinces=provinces, statuses=statuses))
    props = {f["properties"]["id"]: f["properties"] for d in _sector_data(page) for f in d["features"]}
    assert props["rail-hohhot-zhangjiakou"]["status"] == "operating"
    assert props["rail-hohhot-zhangjiakou"]["changed"] == "2014-12-30 · 王工"
    assert props["rail-hohhot-zhangjiakou"]["source"] == XSS  # shown as text by the popup builder
    assert XSS not in page and "\\u003cimg src=x" in page  # never raw HTML in the page


def test_status_and_route_are_in_the_styling():
    js = mapview._MAP_JS
    assert "cfg.dashes[p.st]" in js and 'p.route === "schematic" ? 0.6' in js
    assert mapview.DASHES["built"] is None and mapview.DASHES["planned"]
    assert mapview.STATUS_CLASSES["shelved"] == mapview.STATUS_CLASSES["cancelled"] == "stopped"
    assert len(set(mapview.SECTOR_COLORS.values())) == len(mapview.SECTOR_COLORS)
    assert len(set(mapview.KIND_WEIGHTS.values())) == len(mapview.KIND_WEIGHTS)


def test_popups_are_built_with_textcontent_not_innerhtml():
    js = mapview._MAP_JS
    assert js.count("innerHTML") == 1 and "div.innerHTML = cfg.legend" in js  # legend: our own escaped HTML
    assert "bindTooltip(esc(" in js


def test_no_cdn_and_only_used_assets(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all(url.startswith(assets.DEFAULT_BASE_URL) for url in links), links
    assert not re.search(r"<(script|link)[^>]*https?://", page)
    for unused in ("jquery", "bootstrap", "awesome-markers", "glyphicons"):
        assert unused not in page.lower()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == [f"{assets.DEFAULT_BASE_URL}/leaflet/leaflet-markercluster.js"]  # one request, not two in a row


def test_selected_partners_and_home_province_are_styled(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces, selected_partners=["山东省"]))
    assert re.search(r'NMG\.provinceLayer\(\[.*\],\s*\["山东省"\],\s*true\)', page)
    assert '"home":"内蒙古自治区"' in page


def test_map_fits_the_projects(gdf, provinces):
    only_park = gdf[gdf["id"] == "industry-ordos-jiangsu-park"]
    page = _html(mapview.map_from_layers(only_park, provinces=provinces))
    match = re.search(r"fitBounds\(\s*\[\[([\d.]+),\s*([\d.]+)\],\s*\[([\d.]+),\s*([\d.]+)\]\]", page)
    assert match, "map does not fit its projects"
    south, west, north, east = map(float, match.groups())
    assert south < 39.82 < north and west < 109.99 < east and north - south < 2


def test_coordinates_are_rounded(gdf, provinces):
    wobbly = gdf.copy()
    wobbly.loc[wobbly["id"] == "rail-ejina-hami", "geometry"] = shapely.LineString(
        [(101.0712345678, 41.9512345678), (93.5098765432, 42.8212345678)])
    page = _html(mapview.map_from_layers(wobbly, provinces=provinces))
    lines = {f["properties"]["id"]: f["geometry"] for d in _sector_data(page) for f in d["features"]}
    assert lines["rail-ejina-hami"]["coordinates"] == [[101.07123, 41.95123], [93.50988, 42.82123]]
    assert "101.0712345678" not in page


def test_lines_travel_as_encoded_polylines_that_decode_to_the_layer(gdf, provinces):
    """Corridors are sent as polylines at 1e-5° (a third of the bytes of JSON numbers) and come
    back as the layer's coordinates, parts and signs included."""
    odd = gdf.copy()
    odd.loc[odd["id"] == "rail-ejina-hami", "geometry"] = shapely.MultiLineString(
        [[(101.07, 41.95), (93.51, 42.82)], [(-0.00001, -45.5), (179.99999, 0.0)]])
    page = _html(mapview.map_from_layers(odd, provinces=provinces))
    assert "[111.75,40.84]" not in page and "111.75" not in page  # no corridor as JSON numbers
    drawn = {f["properties"]["id"]: f["geometry"] for d in _sector_data(page) for f in d["features"]}
    for _, row in odd.iterrows():
        if row.geometry is not None and row.geometry.geom_type in ("LineString", "MultiLineString"):
            expected = shapely.geometry.mapping(shapely.set_precision(row.geometry, 1e-5))
            assert drawn[row["id"]]["type"] == row.geometry.geom_type
            assert shapely.equals_exact(shapely.geometry.shape(drawn[row["id"]]), shapely.geometry.shape(expected),
                                        tolerance=1e-9), row["id"]


@pytest.mark.parametrize("note", ["{{ cycler.__init__.__globals__.os.getpid() }}", "X{{ Y", "{% if 1 %}x{% endif %}",
                                  "{{ 6*7 }}"])
def test_template_syntax_in_a_status_note_reaches_the_popup_as_typed(gdf, provinces, note):
    """Regression test for 86219b6: the data must not pass through Jinja. A status note that
    looks like a template is neither evaluated (the pid would leak) nor a syntax error."""
    statuses = {"rail-hohhot-zhangjiakou": {"status": "operating", "changed_at": "2014-12-30",
                                            "editor": "王工", "note": note},
                "energy-pipeline-shandong": {"status": "shelved", "changed_at": "2014-12-31",
                                             "editor": "X{{ Y", "note": "{{ 6*7 }}"}}
    page = _html(mapview.map_from_layers(gdf, provinces=provinces, statuses=statuses))
    props = {f["properties"]["id"]: f["properties"] for d in _sector_data(page) for f in d["features"]}
    assert props["rail-hohhot-zhangjiakou"]["source"] == note
    assert props["energy-pipeline-shandong"]["changed"] == "2014-12-31 · X{{ Y"
    assert props["energy-pipeline-shandong"]["source"] == "{{ 6*7 }}"
    assert '"42"' not in page  # {{ 6*7 }} was not evaluated anywhere


def test_empty_selection_still_gives_a_map(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf.iloc[0:0], provinces=provinces))
    assert "NMG.sectorLayer(" not in page and "NMG.provinceLayer(" in page


@pytest.mark.parametrize(("choice", "kwargs", "reason"), [
    ("amap", {}, "gcj02"),
    ("tencent", {}, "gcj02"),
    ("baidu", {}, "gcj02"),
    ("tianditu", {}, "no_token"),
    ("custom", {}, "no_url"),
    ("custom", {"custom_url": "http://tiles.intra/{z}/{x}.png"}, "bad_url"),
    ("custom", {"custom_url": "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}"}, "gcj02"),
])
def test_basemaps_refused(choice, kwargs, reason):
    with pytest.raises(mapview.BasemapRefused) as err:
        mapview.basemap_from_choice(choice, **kwargs)
    assert err.value.reason == reason


@pytest.mark.parametrize(("choice", "kwargs", "host"), [
    ("osm", {}, "tile.openstreetmap.org"),
    ("tianditu", {"tianditu_token": "abc"}, "tianditu.gov.cn"),
    ("custom", {"custom_url": "http://gis.nmg.intra/tiles/{z}/{x}/{y}.png"}, "gis.nmg.intra"),
])
def test_basemaps_offered(choice, kwargs, host, gdf):
    basemap = mapview.basemap_from_choice(choice, **kwargs)
    assert basemap is not None and host in basemap.tiles[0]
    page = _html(mapview.map_from_layers(gdf, basemap=basemap))
    assert host in page  # tiles (images) are the only outside requests, and only when chosen


def test_no_basemap_by_default():
    assert mapview.basemap_from_choice("none") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("呼和浩特—张家口客运专线\n…\n编号: rail-hohhot-zhangjiakou", "rail-hohhot-zhangjiakou"),
    ("Ejina–Hami railway ID: rail-ejina-hami", "rail-ejina-hami"),
    ("nothing here", None),
    (None, None),
])
def test_project_id_from_popup(text, expected, gdf):
    assert mapview.project_id_from_popup(text, gdf["id"]) == expected


# -- offline assets ----------------------------------------------------------------------------

def test_install_assets_copies_from_the_packages_once(tmp_path):
    vendor = assets.install_assets(tmp_path / "static")
    leaflet = vendor / "leaflet" / "leaflet-markercluster.js"
    text = leaflet.read_text("utf-8")
    parts = [assets.asset_source(part).read_text("utf-8") for part in assets.BUNDLES[0].parts]
    assert 'version="1.9.3"' in parts[0] and "MarkerClusterGroup" in parts[1]
    assert text.index(parts[0][:200]) < text.index(parts[1][:200])  # Leaflet first, then the plugin
    assert "sourceMappingURL" not in text
    assert (vendor / "leaflet" / "leaflet.css").read_bytes() == assets.asset_source(assets.ASSETS[0]).read_bytes()
    assert (vendor / "fontawesome" / "webfonts" / "fa-solid-900.woff2").stat().st_size > 100_000
    assert (vendor / "leaflet" / "images" / "layers.png").exists()  # referenced by leaflet.css
    before = leaflet.stat().st_mtime_ns
    assets.install_assets(tmp_path / "static")
    assert leaflet.stat().st_mtime_ns == before


def test_every_served_file_is_one_the_page_links_or_a_stylesheet_needs(gdf, provinces):
    page = _html(mapview.map_from_layers(gdf, provinces=provinces))
    linked = set(re.findall(r'(?:src|href)="([^"]+)"', page))
    served = set(assets.asset_urls())
    assert linked <= served
    extras = {url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1] for url in served - linked}
    assert all(name.startswith(("images/", "webfonts/")) or name.endswith(".map") for name in extras), extras


def test_a_plugin_without_a_local_copy_is_refused_by_name():
    import folium.plugins

    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(assets.AssetError, match="Control.FullScreen|fullscreen"):
        assets.localize_map(m)


def test_localizing_keeps_folium_defaults_intact():
    import folium

    assets.localize_map(folium.Map(tiles=None))
    assert folium.Map.default_js[0][1].startswith("https://")  # class lists untouched
