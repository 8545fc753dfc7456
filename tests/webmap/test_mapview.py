"""The map's data, a page run's view of it, the frame's files and the basemaps.

The synthetic layer folder these tests read is ``fixtures.write_synthetic_layers``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from fixtures import SYNTHETIC_PROVINCES, XSS, synthetic_gdf, synthetic_provinces

from geo.webmap import assets, polyline
from geo.webmap import data as mapdata
from geo.webmap import style as mapstyle
from geo.webmap import view as mapview

# -- tests -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gdf() -> gpd.GeoDataFrame:
    return synthetic_gdf()


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return synthetic_provinces()


@pytest.fixture(scope="module")
def document(gdf, provinces) -> dict:
    return json.loads(mapdata.map_data(gdf, provinces).body)


def _features(document: dict) -> dict[str, dict]:
    return {f["id"]: f for f in document["features"]}


def _names(document: dict, f: dict, key: str) -> list[str]:
    return [document["names"][i] for i in f.get(key, [])]


def test_every_placeable_project_is_in_the_data_once_and_regional_items_sit_on_their_provinces(document, gdf):
    features = _features(document)
    assert set(features) == set(gdf["id"]) and len(document["features"]) == len(gdf)
    zone = features["industry-east-transfer-zone"]  # no geometry; partners Liaoning and Beijing
    assert zone["r"] == 1 and zone["g"]["t"] == "MP"
    for (x, y), name in zip(zone["g"]["c"], ["辽宁省", "北京市"], strict=True):
        assert shapely.box(*SYNTHETIC_PROVINCES[name][1]).contains(shapely.Point(x, y))


def test_lines_travel_as_encoded_polylines_that_decode_to_the_layer(gdf, provinces):
    """Corridors are polylines at 1e-5° (a third of the bytes of JSON numbers), parts and signs kept."""
    odd = gdf.copy()
    odd.loc[odd["id"] == "rail-ejina-hami", "geometry"] = shapely.MultiLineString(
        [[(101.07, 41.95), (93.51, 42.82)], [(-0.00001, -45.5), (179.99999, 0.0)]])
    data = mapdata.map_data(odd, provinces)
    assert b"111.75" not in data.body  # no corridor as JSON numbers
    features = _features(json.loads(data.body))
    lines = mapview.drawable_lines(odd)
    assert data.line_count == len(lines) == 6
    for pid, geom in zip(lines["id"], lines.geometry, strict=True):
        g = features[pid]["g"]
        parts = [g["e"]] if g["t"] == "L" else g["e"]
        decoded = shapely.MultiLineString([polyline.decode(p) for p in parts])
        expected = shapely.set_precision(geom, 1e-5)
        assert shapely.equals_exact(shapely.MultiLineString(list(shapely.get_parts(expected))), decoded, tolerance=1e-9)


def test_popup_properties_carry_what_the_popup_shows_and_nothing_else(document):
    uhv = _features(document)["energy-xilingol-shandong-uhv"]
    assert _names(document, uhv, "la") == ["自治区能源开发局"]
    assert _names(document, uhv, "lae") == ["Autonomous Region Energy Development Bureau"]
    assert _names(document, uhv, "pp") == ["山东省"]
    assert (uhv["st"], uhv["w"], uhv["ro"], uhv["len"], uhv["pr"], uhv["cl"]) == (
        "construction", "加快实施", "schematic", 730.0, 3, "2.1")
    assert document["clauses"]["2.1"] == "加快实施电、油、气通道建设。"
    assert json.dumps(document, ensure_ascii=False).count("加快实施电、油、气通道建设") == 1  # clause text once
    assert "waypoints" not in json.dumps(uhv)


def test_both_languages_travel_once_so_a_switch_needs_no_download(document):
    zh, en = document["labels"]["zh"], document["labels"]["en"]
    assert zh["statuses"]["construction"] == "在建" and en["statuses"]["construction"] == "Under construction"
    assert zh["t"]["pp_plan_wording"] == "规划表述" and en["t"]["pp_plan_wording"] == "Plan wording"
    assert zh["t"].keys() == en["t"].keys() and zh["sectors"].keys() == en["sectors"].keys()
    shandong = next(p for p in document["provinces"] if p["n"] == "山东省")
    assert (shandong["l"], shandong["e"]) == ("山东", "Shandong")


def test_the_data_is_built_once_and_named_by_its_content(gdf, provinces):
    first, again = mapdata.map_data(gdf, provinces), mapdata.map_data(gdf, provinces)
    assert first.digest == again.digest and first.body == again.body
    changed = gdf.copy()
    changed.loc[changed["id"] == "rail-ejina-hami", "name_zh"] = "额济纳—哈密铁路"
    assert mapdata.map_data(changed, provinces).digest != first.digest
    import gzip

    assert gzip.decompress(first.gzipped) == first.body


@pytest.mark.parametrize("count", [1, 7, 8, 9, 10_001])
def test_visible_mask_holds_one_bit_per_feature(count):
    import base64

    ids = tuple(f"p{i}" for i in range(count))
    data = mapdata.MapData(b"{}", "x", ids, 0)
    assert mapdata.visible_mask(data, ids) is None  # everything shown: nothing to send
    chosen = {ids[i] for i in range(0, count, 3)} - {ids[-1]}
    bits = base64.b64decode(mapdata.visible_mask(data, chosen) or "")
    decoded = {pid for i, pid in enumerate(ids) if bits[i >> 3] >> (i & 7) & 1}
    assert decoded == chosen and len(bits) == (count + 7) // 8


def test_a_page_run_sends_the_view_not_the_features(gdf, provinces):
    data = mapdata.map_data(gdf, provinces)
    change = mapview.StatusChangeView("operating", "2014-12-30", "王工", "2015-01-02 09:30", XSS)
    args = mapview.view_args(data, data_url="/nmg/data/x.json", visible_ids=["rail-ejina-hami"], lang="en",
                             changes={"rail-ejina-hami": change, "not-drawn": change}, partners=["山东省"])
    assert args["changes"] == {"rail-ejina-hami": {"st": "operating", "eff": "2014-12-30", "by": "王工",
                                                   "at": "2015-01-02 09:30", "note": XSS}}
    assert args["lang"] == "en" and args["partners"] == ["山东省"] and args["basemap"] is None
    assert len(json.dumps(args)) < 400  # a filter change moves a few hundred bytes
    assert mapview.view_args(data, data_url="u", visible_ids=None, lang="fr", changes={})["lang"] == "zh"


def test_styles_distinguish_sectors_kinds_and_statuses():
    assert mapstyle.DASHES["built"] is None and mapstyle.DASHES["planned"]
    assert mapstyle.STATUS_CLASSES["shelved"] == mapstyle.STATUS_CLASSES["cancelled"] == "stopped"
    assert len(set(mapstyle.SECTOR_COLORS.values())) == len(mapstyle.SECTOR_COLORS)
    assert len(set(mapstyle.KIND_WEIGHTS.values())) == len(mapstyle.KIND_WEIGHTS)
    from geo import taxonomy

    assert set(mapstyle.STATUS_CLASSES) == set(taxonomy.STATUS_CODES)


# -- the frame's files -----------------------------------------------------------------------------

def test_browser_code_parses_as_javascript_and_sets_no_html_from_data():
    import esprima

    for name in assets.SCRIPTS:
        source = (assets.WEB_DIR / name).read_text("utf-8")
        esprima.parseScript(source)  # raises on a syntax error
        assert "eval(" not in source and "document.write" not in source, name
    code = assets.browser_code(assets.SCRIPTS)
    esprima.parseScript(code)  # the joined file the frame loads
    # innerHTML is never used; Leaflet's layer control takes our own escaped label markup only.
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code
    assert "esc(labels(lang).sectors[sector]" in code


def test_browser_code_passes_node_check_where_node_is_installed(tmp_path):
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; esprima parsed the code above")
    script = tmp_path / "map.js"
    script.write_text(assets.browser_code(assets.SCRIPTS), "utf-8")
    done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_stylesheet_parses():
    import tinycss2

    rules = tinycss2.parse_stylesheet((assets.WEB_DIR / "map.css").read_text("utf-8"), skip_comments=True,
                                      skip_whitespace=True)
    assert rules and not [r for r in rules if r.type == "error"]


def test_frame_links_only_the_apps_own_files():
    found = assets.asset_set()
    html = assets.frame_html(assets_url=f"/nmg/v/{found.digest}", data_url="/nmg/data/abc.json")
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith("/nmg/") for link in links), links
    assert not re.search(r"https?://", html)
    for link in links:
        if link.startswith(f"/nmg/v/{found.digest}/"):
            assert link.removeprefix(f"/nmg/v/{found.digest}/") in found.files, link
    assert '<script src="/nmg/v/' in html and html.count("<script") == 2  # vendor bundle, then ours


def test_every_file_a_stylesheet_needs_is_served():
    found = assets.asset_set()
    for css in ("leaflet/leaflet.css", "fontawesome/css/fontawesome.min.css", "fontawesome/css/solid.min.css"):
        folder = css.rsplit("/", 1)[0]
        for url in re.findall(r"url\(([^)]+)\)", found.files[css].decode("utf-8")):
            url = url.strip("'\"").split("#")[0].split("?")[0]
            if url.startswith("data:") or not url:
                continue
            target = "/".join(p for p in (folder + "/" + url).split("/") if p != ".")
            while "/../" in target:
                target = re.sub(r"[^/]+/\.\./", "", target, count=1)
            if target.endswith((".woff2", ".ttf", ".png")) and "fa-solid" in target or "leaflet/images" in target:
                assert target in found.files, (css, url)


def test_bundle_is_leaflet_then_markercluster():
    text = assets.bundle_text()
    parts = [assets.asset_source(part).read_text("utf-8") for part in assets.BUNDLE]
    assert 'version="1.9.3"' in parts[0] and "MarkerClusterGroup" in parts[1]
    assert text.index(parts[0][:200]) < text.index(parts[1][:200])
    assert "sourceMappingURL" not in text


# -- basemaps ----------------------------------------------------------------------------------------

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
def test_basemaps_offered(choice, kwargs, host):
    basemap = mapview.basemap_from_choice(choice, **kwargs)
    assert basemap is not None and host in basemap.tiles[0]
    assert host in basemap.as_args()["tiles"][0]  # tiles (images) are the only outside requests, when chosen


def test_custom_attribution_from_secrets_is_escaped():
    basemap = mapview.basemap_from_choice("custom", custom_url="http://gis.intra/{z}/{x}/{y}.png",
                                          custom_attribution=XSS)
    assert basemap is not None and "<img" not in basemap.attribution


def test_no_basemap_by_default():
    assert mapview.basemap_from_choice("none") is None


def test_every_kind_has_a_glyph_that_font_awesome_draws() -> None:
    import xstatic.pkg.font_awesome as font_awesome

    from geo.taxonomy import KINDS
    from geo.webmap.style import KIND_ICONS

    css = (Path(font_awesome.BASE_DIR) / "css" / "all.css").read_text(encoding="utf-8")
    assert {k.code for k in KINDS} <= set(KIND_ICONS)
    assert all(f".fa-{glyph}:" in css for glyph in KIND_ICONS.values())
