"""Documents in every style, read with unchanged code: plans, agreements and memos of several governments.

``tests/data/plans/`` holds documents written as planning offices write them: a cross-border plan
issued by the Inner Mongolia government (no year in its title, ``发布日期:2014-10-24``, ``牵头``/``配合``
notes, the OCR ``一`` as the dash between places), an agreement between Hebei and Shanxi (no notes,
``经`` routes, items under headings), a memo between Ningxia and Inner Mongolia (``包(头)银(川)``
expansions, route numbers, a bridge, airports), a next-year plan (``1.`` items, ``东部地区:…``) and a
Shanxi plan in full-width punctuation (``印发日期``, ``(1)`` items, ``～`` and ``到``, ``主责``/``协助``)
and a news report of a signing between Liaoning and Inner Mongolia (plain paragraphs, ``将…推进``).
Each document is built whole (``build_features``); every item it names is one row below.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures import DATA

from geo import settings
from geo.layers.review import review_table
from geo.pipeline.build import BuildReport, build_features, build_layers
from geo.pipeline.corridors import LEAD_IN, TAIL
from geo.pipeline.names import read_glossary, translate

PLANS = DATA / "plans"
NMG, NMG_DRC, HOHHOT_RAIL = "内蒙古自治区", "内蒙古自治区发展和改革委员会", "呼和浩特铁路局"
RAIL_OFFICE, TRANSPORT = "内蒙古自治区铁路建设重点项目办公室", "内蒙古自治区交通运输厅"
CROSS, AGREEMENT, MEMO, NEXT = "nmg-2014-crossborder", "hb-sx-2015-agreement", "nx-nmg-2016-memo", "nmg-2015-regional-cooperation"
SHANXI, SX_DRC, SX_TRANSPORT = "sx-2017-plan", "山西省发展和改革委员会", "山西省交通运输厅"
SX_CITIES = ["朔州市人民政府", "忻州市人民政府"]
SIGNING = "ln-nmg-2018-signing"

# document, title, year, home region, signing parties, number of features
DOCUMENTS = [
    (CROSS, "推进中蒙俄跨境基础设施互联互通实施方案", 2014, NMG, [], 16),
    (AGREEMENT, "关于深化交通运输合作的协议", 2015, "河北省", ["河北省", "山西省"], 10),
    (MEMO, "关于加强基础设施互联互通的合作备忘录", 2016, "宁夏回族自治区", ["宁夏回族自治区", NMG], 9),
    (NEXT, "内蒙古自治区2015年区域合作重点工作分工方案", 2015, NMG, [], 9),
    (SHANXI, "山西省推进晋冀蒙区域交通合作三年行动计划", 2017, "山西省", [], 10),
    (SIGNING, "辽宁省与内蒙古自治区签署深化区域合作框架协议", 2018, "辽宁省", ["辽宁省", NMG], 10),
]

# document, item as named, kind, status, drawn ends (first → last; one place for a point), places the
# gazetteer lacks, placed_on, partner provinces, lead agencies, helper agencies
ITEMS = [
    (CROSS, "二连浩特—扎门乌德跨境铁路", "railway", "preparing", "二连浩特市 → 扎门乌德", [], "waypoints", [], [NMG_DRC], [HOHHOT_RAIL]),
    (CROSS, "策克—西伯库伦跨境铁路", "railway", "proposed", "策克", ["西伯库伦"], "known_end", [], [NMG_DRC], [RAIL_OFFICE, HOHHOT_RAIL]),
    (CROSS, "甘其毛都—嘎顺苏海图跨境铁路", "railway", "proposed", "", ["甘其毛都", "嘎顺苏海图"], "home_region", [], [NMG_DRC], [RAIL_OFFICE, HOHHOT_RAIL]),
    (CROSS, "珠恩嘎达布其—毕其格图跨境铁路", "railway", "preparing", "珠恩嘎达布其", ["毕其格图"], "known_end", [], [RAIL_OFFICE], ["哈尔滨铁路局", "锡林郭勒盟行政公署"]),
    (CROSS, "满洲里—后贝加尔斯克铁路", "railway", "proposed", "满洲里 → 后贝加尔斯克", [], "waypoints", [], [RAIL_OFFICE], ["哈尔滨铁路局", "锡林郭勒盟行政公署"]),
    (CROSS, "二连浩特—扎门乌德跨境公路", "road", "construction", "二连浩特市 → 扎门乌德", [], "waypoints", [], [TRANSPORT], [NMG_DRC]),
    (CROSS, "甘其毛都—嘎顺苏海图口岸公路", "road", "proposed", "", ["甘其毛都", "嘎顺苏海图"], "home_region", [], [TRANSPORT], [NMG_DRC]),
    (CROSS, "阿尔山—松贝尔跨境公路", "road", "preparing", "阿尔山市", ["松贝尔"], "known_end", [], [TRANSPORT], ["呼伦贝尔市人民政府", "兴安盟行政公署"]),
    (CROSS, "黑山头—旧粗鲁海图界河大桥", "bridge", "preparing", "", ["黑山头", "旧粗鲁海图"], "home_region", [], [TRANSPORT], ["呼伦贝尔市人民政府", "兴安盟行政公署"]),
    (CROSS, "二连浩特—乌兰巴托高速公路", "expressway", "proposed", "二连浩特市 → 乌兰巴托", [], "waypoints", [], [TRANSPORT, NMG_DRC], []),
    (CROSS, "二连浩特口岸", "port", "construction", "二连浩特口岸", [], "place", [], ["内蒙古自治区商务厅"], ["各口岸所在盟市人民政府"]),
    (CROSS, "满洲里口岸", "port", "construction", "满洲里口岸", [], "place", [], ["内蒙古自治区商务厅"], ["各口岸所在盟市人民政府"]),
    (CROSS, "甘其毛都口岸", "port", "construction", "", ["甘其毛都"], "home_region", [], ["内蒙古自治区商务厅"], ["各口岸所在盟市人民政府"]),
    (CROSS, "策克口岸", "port", "construction", "策克口岸", [], "place", [], ["内蒙古自治区商务厅"], ["各口岸所在盟市人民政府"]),
    (CROSS, "满洲里西郊国际机场", "airport", "proposed", "满洲里", [], "place", [], [NMG_DRC], ["内蒙古民航机场集团公司"]),
    (CROSS, "呼和浩特至乌兰巴托国际航线", "air_service", "proposed", "呼和浩特市 → 乌兰巴托", [], "waypoints", [], [NMG_DRC], ["内蒙古民航机场集团公司"]),
    (AGREEMENT, "太原经阳泉至石家庄铁路", "railway", "construction", "太原市 → 石家庄市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "大同至张家口高速铁路", "railway", "construction", "大同市 → 张家口", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "张家口经蔚县至大同铁路", "railway", "preparing", "张家口 → 大同市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "张家口经怀安至大同高速公路", "expressway", "proposed", "张家口 → 大同市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "石家庄至阳泉高速公路", "expressway", "proposed", "石家庄市 → 阳泉市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "保定至忻州高速公路", "expressway", "proposed", "保定市 → 忻州市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "邢台至和顺高速公路", "expressway", "proposed", "邢台市 → 和顺县", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "邯郸至长治高速公路", "expressway", "proposed", "邯郸市 → 长治市", [], "waypoints", ["山西省"], [], []),
    (AGREEMENT, "黄骅港至朔州铁路", "railway", "proposed", "朔州市", ["黄骅港"], "known_end", ["山西省"], [], []),
    (MEMO, "包头—银川高速铁路", "railway", "construction_planned", "包头市 → 银川市", [], "waypoints", [NMG], [], []),
    (MEMO, "银川—巴彦浩特铁路", "railway", "preparing", "银川市", ["巴彦浩特"], "known_end", [NMG], [], []),
    (MEMO, "G7京新高速公路", "expressway", "construction", "", [], "partner_provinces", [NMG], [], []),
    (MEMO, "国道G110线石嘴山至乌海段", "road", "proposed", "石嘴山市 → 乌海市", [], "waypoints", [NMG], [], []),
    (MEMO, "S101线惠农至乌海段一级公路", "road", "ongoing", "惠农区 → 乌海市", [], "waypoints", [NMG], [], []),
    (MEMO, "乌海至石嘴山黄河大桥", "bridge", "preparing", "乌海市 → 石嘴山市", [], "waypoints", [NMG], [], []),
    (MEMO, "银川河东国际机场", "airport", "ongoing", "银川市", [], "place", [NMG], [], []),
    (MEMO, "鄂尔多斯伊金霍洛国际机场", "airport", "ongoing", "鄂尔多斯市", [], "place", [NMG], [], []),
    (MEMO, "阿拉善左旗巴彦浩特机场", "airport", "proposed", "阿拉善左旗", [], "place", [NMG], [], []),
    (NEXT, "呼和浩特至张家口客运专线", "railway", "construction_planned", "呼和浩特市 → 张家口", [], "waypoints", ["河北省"], [RAIL_OFFICE], [HOHHOT_RAIL]),
    (NEXT, "包头经鄂尔多斯至榆林段铁路", "railway", "preparing", "包头市 → 榆林市", [], "waypoints", ["陕西省"], [RAIL_OFFICE], [HOHHOT_RAIL]),
    (NEXT, "呼和浩特—鄂尔多斯城际铁路", "railway", "construction", "呼和浩特市 → 鄂尔多斯市", [], "waypoints", [], [RAIL_OFFICE], ["鄂尔多斯市人民政府"]),
    (NEXT, "赤峰至朝阳高速公路", "expressway", "proposed", "赤峰市 → 朝阳市", [], "waypoints", ["辽宁省"], [TRANSPORT], [NMG_DRC]),
    (NEXT, "通辽至鲁北高速公路", "expressway", "proposed", "通辽市 → 鲁北", [], "waypoints", [], [TRANSPORT], [NMG_DRC]),
    (NEXT, "乌海至玛沁高速公路", "expressway", "proposed", "乌海市 → 玛沁县", [], "waypoints", ["青海省"], [TRANSPORT], [NMG_DRC]),
    (NEXT, "G110线呼和浩特至包头段一级公路", "road", "proposed", "呼和浩特市 → 包头市", [], "waypoints", [], [TRANSPORT], [NMG_DRC]),
    (NEXT, "鄂尔多斯至河北天然气管道", "pipeline", "preparing", "鄂尔多斯市", [], "place", ["河北省"], ["内蒙古自治区能源开发局"], []),
    (SHANXI, "大同—张家口高速铁路", "railway", "construction", "大同市 → 张家口", [], "waypoints", ["河北省"], [SX_DRC], [SX_TRANSPORT, "太原铁路局"]),
    (SHANXI, "准格尔至朔州铁路", "railway", "preparing", "准格尔旗 → 朔州市", [], "waypoints", [NMG], [SX_DRC], ["太原铁路局"]),
    (SHANXI, "集宁经大同至原平铁路", "railway", "preparing", "集宁 → 原平市", [], "waypoints", [NMG], [SX_DRC], ["太原铁路局"]),
    (SHANXI, "G55二广高速公路大同至呼和浩特段", "expressway", "construction", "大同市 → 呼和浩特市", [], "waypoints", [NMG], [SX_TRANSPORT], []),
    (SHANXI, "忻州至保德高速公路", "expressway", "construction_planned", "忻州市 → 保德县", [], "waypoints", [], [SX_TRANSPORT], []),
    (SHANXI, "右玉至清水河公路", "road", "proposed", "右玉县 → 清水河县", [], "waypoints", [NMG], [SX_TRANSPORT], SX_CITIES),
    (SHANXI, "偏关至准格尔旗公路", "road", "proposed", "偏关县 → 准格尔旗", [], "waypoints", [NMG], [SX_TRANSPORT], SX_CITIES),
    (SHANXI, "五台山机场", "airport", "proposed", "", ["五台山"], "partner_provinces", [NMG], ["山西省民航发展局"], []),
    (SIGNING, "锡林浩特—赤峰—锦州铁路", "railway", "proposed", "锡林浩特市 → 锦州", [], "waypoints", [NMG], [], []),
    (SIGNING, "巴林左旗至锦州港铁路", "railway", "preparing", "巴林左旗 → 锦州港", [], "waypoints", [NMG], [], []),
    (SIGNING, "G16丹锡高速公路克什克腾至承德段", "expressway", "construction", "克什克腾旗 → 承德市", [], "waypoints", [NMG, "河北省"], [], []),
    (SIGNING, "朝阳至赤峰公路", "road", "proposed", "朝阳市 → 赤峰市", [], "waypoints", [NMG], [], []),
    (SIGNING, "阜新至通辽公路", "road", "proposed", "阜新市 → 通辽市", [], "waypoints", [NMG], [], []),
    (SIGNING, "彰武至库伦旗省际通道", "road", "proposed", "彰武县 → 库伦旗", [], "waypoints", [NMG], [], []),
    (SIGNING, "扎鲁特至青州特高压直流输电工程", "power_line", "proposed", "扎鲁特旗 → 青州市", [], "waypoints", [NMG, "山东省"], [], []),
]

# document, item, English name: the places' English names and the kind, never a clause romanised
NAMES_EN = [
    (CROSS, "二连浩特—扎门乌德跨境铁路", "Erenhot–Zamyn-Üüd cross-border railway"),
    (CROSS, "黑山头—旧粗鲁海图界河大桥", "Heishantou–Jiuculuhaitu boundary-river bridge"),
    (CROSS, "策克口岸", "Ceke Port of Entry"),
    (CROSS, "呼和浩特至乌兰巴托国际航线", "Hohhot–Ulaanbaatar international air route"),
    (AGREEMENT, "张家口经蔚县至大同铁路", "Zhangjiakou–Yuxian–Datong railway"),
    (AGREEMENT, "邯郸至长治高速公路", "Handan–Changzhi expressway"),
    (MEMO, "包头—银川高速铁路", "Baotou–Yinchuan high-speed railway"),
    (MEMO, "乌海至石嘴山黄河大桥", "Wuhai–Shizuishan Yellow River bridge"),
    (MEMO, "国道G110线石嘴山至乌海段", "G110 National Highway, Shizuishan–Wuhai section"),
    (NEXT, "包头经鄂尔多斯至榆林段铁路", "Baotou–Ordos–Yulin railway"),
    (NEXT, "呼和浩特—鄂尔多斯城际铁路", "Hohhot–Ordos intercity railway"),
    (SHANXI, "集宁经大同至原平铁路", "Jining–Datong–Yuanping railway"),
    (SIGNING, "朝阳至赤峰公路", "Chaoyang–Chifeng highway"),
]


@pytest.fixture(scope="module")
def built() -> dict[str, BuildReport]:
    return {doc: build_features(PLANS / f"{doc}.txt") for doc, *_ in DOCUMENTS}


@pytest.mark.parametrize(("doc", "title", "year", "region", "parties", "count"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_document_facts(built, doc: str, title: str, year: int, region: str, parties: list[str], count: int) -> None:  # type: ignore[no-untyped-def]
    report = built[doc]
    assert (report.plan.title, report.plan.year, report.plan.region, report.plan.parties) == (title, year, region, parties)
    assert len(report.features) == count, sorted(report.features["name_zh"])


@pytest.mark.parametrize(("doc", "name", "kind", "status", "ends", "unknown", "placed_on", "partners", "lead", "helpers"),
                         ITEMS, ids=[f"{i[0]}:{i[1]}" for i in ITEMS])
def test_item(built, doc: str, name: str, kind: str, status: str, ends: str, unknown: list[str], placed_on: str,  # type: ignore[no-untyped-def]
              partners: list[str], lead: list[str], helpers: list[str]) -> None:
    row = _feature(built[doc], name)
    waypoints = list(row["waypoints"])
    drawn = " → ".join([waypoints[0], waypoints[-1]] if len(waypoints) > 1 else waypoints)
    assert (row["kind"], row["status"], drawn, placed_on) == (kind, status, ends, row["placed_on"])
    assert _unknown(row) == unknown
    assert list(row["partner_provinces"]) == partners
    assert (list(row["lead_agencies"]), list(row["cooperating_agencies"])) == (lead, helpers)


@pytest.mark.parametrize(("doc", "name", "name_en"), NAMES_EN, ids=[n[2] for n in NAMES_EN])
def test_english_name(built, doc: str, name: str, name_en: str) -> None:  # type: ignore[no-untyped-def]
    assert _feature(built[doc], name)["name_en"] == name_en


@pytest.mark.parametrize("doc", [d[0] for d in DOCUMENTS])
def test_no_item_is_named_after_a_clause(built, gazetteer, doc: str) -> None:  # type: ignore[no-untyped-def]
    glossary = read_glossary()
    for row in built[doc].features.itertuples():
        assert len(row.name_zh) <= 20 and not any(c in row.name_zh for c in ",;:。"), row.name_zh
        assert len(row.name_en.split()) <= 9, row.name_en
        romanised = translate(row.name_zh, gazetteer, glossary).untranslated
        assert not [w for w in romanised if LEAD_IN.match(w) or TAIL.search(w)], (row.name_zh, romanised)


def test_unknown_places_are_reported_with_their_item(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = built[CROSS].summary()
    assert "'西伯库伦' in '策克—西伯库伦跨境铁路'" in summary
    build_layers(PLANS / f"{CROSS}.txt", tmp_path)
    review = review_table(tmp_path, fmt="csv")
    line = next(r for r in review.splitlines() if "策克—西伯库伦跨境铁路" in r)
    name_en = _feature(built[CROSS], "策克—西伯库伦跨境铁路")["name_en"]
    assert "known_end" in line and "西伯库伦" in line.split(name_en, 1)[1]


def test_one_gazetteer_row_places_an_unknown_place(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data, ignore=shutil.ignore_patterns("geojson", "plans"))
    with open(data / "gazetteer" / "places.csv", "a", encoding="utf-8") as fh:
        fh.write("黄骅港,,117.8625,38.3167,town,河北省,Huanghua Port,2,,test row (Huanghua port, Cangzhou)\n")
    row = _feature(build_features(PLANS / f"{AGREEMENT}.txt", data_dir=data), "黄骅港至朔州铁路")
    assert (list(row["waypoints"]), row["placed_on"], _unknown(row)) == (["黄骅港", "朔州市"], "waypoints", [])
    assert row["geometry"].geom_type == "LineString"


def _feature(report: BuildReport, name: str):  # type: ignore[no-untyped-def]
    rows = report.features[report.features["name_zh"] == name]
    assert len(rows) == 1, f"{name!r} appears {len(rows)} times among {sorted(report.features['name_zh'])}"
    return rows.iloc[0]


def _unknown(row) -> list[str]:  # type: ignore[no-untyped-def]
    value = row.get("unknown_places")
    return list(value) if isinstance(value, list | tuple) or hasattr(value, "__len__") and not isinstance(value, str) else []


def test_an_unknown_place_gives_the_same_word_to_the_id_as_to_the_name(built) -> None:  # type: ignore[no-untyped-def]
    row = _feature(built[CROSS], "策克—西伯库伦跨境铁路")  # 西伯库伦 is in no table
    assert row["id"] == "rail-ceke-xibokulun" and "Xibokulun" in row["name_en"]


@pytest.mark.parametrize(("doc", "name", "countries"), [
    (CROSS, "二连浩特—扎门乌德跨境铁路", ["蒙古国"]),  # a known place abroad
    (CROSS, "策克—西伯库伦跨境铁路", ["蒙古国"]),  # the far end unknown: the clause names 蒙方
    (CROSS, "满洲里—后贝加尔斯克铁路", ["俄罗斯"]),
    (CROSS, "二连浩特口岸", []),  # a port on the home side names no country by itself
    (NEXT, "呼和浩特至张家口客运专线", []),
])
def test_partner_countries(built, doc: str, name: str, countries: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert list(_feature(built[doc], name)["partner_countries"]) == countries


@pytest.mark.parametrize(("doc", "name", "sector"), [
    (CROSS, "策克口岸", "logistics"), (CROSS, "满洲里西郊国际机场", "aviation"), (CROSS, "黑山头—旧粗鲁海图界河大桥", "road"),
    (MEMO, "乌海至石嘴山黄河大桥", "road"), (NEXT, "鄂尔多斯至河北天然气管道", "energy"), (SIGNING, "扎鲁特至青州特高压直流输电工程", "energy"),
])
def test_sector_follows_the_item_not_only_its_heading(built, doc: str, name: str, sector: str) -> None:  # type: ignore[no-untyped-def]
    assert _feature(built[doc], name)["sector"] == sector
