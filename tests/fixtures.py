"""Helpers the tests share (imported, never fixtures): the synthetic layer folder, a throw-away
PostgreSQL schema, the folder of test documents.

The synthetic layers are real GeoJSON files following the layer contract, small enough to reason
about by hand; the browser, filter, export and app tests read them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from geo import settings

#: The test documents: plans in every form and style the pipeline reads.
DATA = Path(__file__).resolve().parent / "data"

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


def postgres_schema_url() -> Iterator[str]:
    base = settings.test_database_url()
    if not base:
        pytest.skip("GEO_TEST_DATABASE_URL is not set: PostgreSQL store tests need a server (make test sets it)")
    schema = f"geo_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, poolclass=NullPool)
    # An identifier cannot be a bound parameter; this one is generated above from hex digits.
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
