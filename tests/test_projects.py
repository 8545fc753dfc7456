"""Projects stage: items from sentences, in every form a plan of this style writes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import settings
from geo.build import build_features
from geo.plan import Agency, Clause
from geo.projects import corridors_in, named_in, phrase_groups, read_status_phrases, status_from_text


def _clause(sector: str) -> Clause:
    lead = [Agency("内蒙古自治区铁路建设重点项目办公室", "Railway office", "自治区铁路办")]
    return Clause(number="1.1", section="基础设施合作", subsection=None, sector=sector, text="", original="",
                  line=1, lead=lead, cooperating=[])


@pytest.mark.parametrize(
    ("sector", "sentence", "expected"),
    [
        ("rail", "继续协调推进呼和浩特—张家口客运专线建设", [("呼和浩特—张家口客运专线", ["呼和浩特", "张家口"])]),
        ("rail", "通辽、赤峰至京沈客运专线建设工作", [("通辽至京沈客运专线", ["通辽", "京沈"]), ("赤峰至京沈客运专线", ["赤峰", "京沈"])]),
        ("rail", "积极推进蒙西至华中、多伦至丰宁复线等项目", [("多伦至丰宁复线", ["多伦", "丰宁"]), ("蒙西至华中铁路", ["蒙西", "华中"])]),
        ("rail", "推进包头—鄂尔多斯—榆林铁路建设", [("包头—鄂尔多斯—榆林铁路", ["包头", "鄂尔多斯", "榆林"])]),
        ("road", "推进G7京新高速临河—白疙瘩段建设", [("G7京新高速临河—白疙瘩段", ["临河", "白疙瘩"])]),
        ("road", "长深高速公路新民—鲁北联络线通辽—鲁北段", [("长深高速公路新民—鲁北联络线通辽—鲁北段", ["通辽", "鲁北"])]),
        ("energy", "推进蒙西—天津南特高压外送电通道前期工作", [("蒙西—天津南特高压外送电通道", ["蒙西", "天津南"])]),
        ("energy", "重点推进我区至京津冀及山东等地区的油气管道建设",
         [("我区至京津冀油气管道", ["我区", "京津冀"]), ("我区至山东油气管道", ["我区", "山东"])]),
        ("energy", "上海庙能源化工基地电力外送通道", [("上海庙能源化工基地电力外送通道", ["上海庙能源化工基地"])]),
        ("rail", "滨洲线电气化改造", [("滨洲线电气化改造", [])]),
        ("rail", "完善铁路运输专线网络", []),           # no place, no partner: not an item
    ],
)
def test_corridors_in(finder, sector: str, sentence: str, expected: list[tuple[str, list[str]]]) -> None:  # type: ignore[no-untyped-def]
    found = corridors_in(sentence, _clause(sector), finder)
    assert sorted((p.name_zh, p.places) for p in found) == sorted(expected)
    assert all(p.linear for p in found)


@pytest.mark.parametrize(
    ("sector", "sentence", "names"),
    [
        ("industry", "跟踪落实鄂尔多斯江苏工业园、呼和浩特和乌兰浩特浙商产业园、呼和浩特北京工业园等园区建设工作",
         ["鄂尔多斯江苏工业园", "呼和浩特浙商产业园", "乌兰浩特浙商产业园", "呼和浩特北京工业园"]),
        ("logistics", "在京津两地设立内蒙古特色产品销售专区或专业市场", ["内蒙古特色产品销售专区"]),
        ("logistics", "继续办好“北京·内蒙古商品大集”活动", ["北京·内蒙古商品大集"]),
        ("logistics", "进一步加强与天津市的无水港合作", ["天津市无水港"]),
        ("tourism", "继续深化《区域旅游合作太原宣言》", ["《区域旅游合作太原宣言》"]),
        ("education", "推进落实与上海交通大学、北京师范大学等国内重点高校的协议", ["上海交通大学", "北京师范大学"]),
        ("industry", "加强项目策划和重点产业园区推介", []),   # 产业园区推介 is an activity, not a park
    ],
)
def test_named_in(finder, sector: str, sentence: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [p.name_zh for p in named_in(sentence, _clause(sector), finder)] == names


def test_phrase_groups_give_each_cooperation_its_partners(finder) -> None:  # type: ignore[no-untyped-def]
    sentence = ("落实与天津、山东、江苏、吉林等省市的能源合作协议,继续与北京、湖北、安徽、辽宁等省市对接落实天然气、"
                "电力、清洁油品等需求市场,力争达成合作协议,为我区清洁能源输出提供市场保障。")
    groups = phrase_groups(sentence, finder)
    assert len(groups) == 2
    assert finder.partners(groups[0]) == ["天津市", "山东省", "江苏省", "吉林省"]
    assert "力争达成合作协议" in groups[1]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("继续协调推进…建设工作,力争早日建成并投入运行", "construction"),
        ("积极推进…等项目按计划开工建设", "construction_planned"),
        ("推进…特高压外送电通道前期工作,力争尽快开工建设", "preparing"),
        ("积极协调推进…建设,争取国家尽快批复项目可研报告", "approval"),
        ("推动签署《京蒙科技合作框架协议》", "negotiating"),
        ("探索与北京、天津共同举办2014内蒙古特色商品展洽会", "proposed"),
        ("继续办好“北京·内蒙古商品大集”活动", "ongoing"),
    ],
)
def test_status_from_the_plans_words(text: str, status: str) -> None:
    assert status_from_text(text, read_status_phrases(settings.DATA_DIR))[0] == status


def test_hints_are_never_required_for_written_corridors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data, ignore=shutil.ignore_patterns("geojson"))
    (data / "hints.toml").write_text("# no hints\n", encoding="utf-8")
    frame = build_features(data_dir=data).features
    lines = frame[frame.geometry.geom_type == "LineString"]
    written = {"呼和浩特—张家口客运专线", "多伦至丰宁复线", "额济纳至哈密铁路", "白音华至锦州复线",
               "G7京新高速临河—白疙瘩段", "丹锡高速公路大板—经棚段", "锡林郭勒盟—山东特高压外送电通道"}
    assert written <= set(lines["name_zh"])
    assert set(lines[lines["name_zh"].isin(written)]["route"]) == {"schematic"}
