"""Projects stage: items from sentences, their kinds and statuses read from their own words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import settings
from geo.pipeline.build import build_features
from geo.pipeline.corridors import corridors_in_phrase
from geo.pipeline.plan import Agency, Clause
from geo.pipeline.projects import named_in, phrase_groups, projects_from_clause, read_status_phrases


def _clause(sector: str, body: str = "") -> Clause:
    lead = [Agency("内蒙古自治区铁路建设重点项目办公室", "Railway office", "自治区铁路办")]
    return Clause(number="1.1", section="基础设施合作", subsection=None, sector=sector, text=body, original=body,
                  line=1, lead=lead, cooperating=[])


@pytest.mark.parametrize(
    ("sector", "phrase", "expected"),
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
        ("rail", "滨洲线电气化改造", [("滨洲线电气化改造", [])]),
        ("rail", "完善铁路运输专线网络", [("完善铁路运输专线网络", [])]),   # read here, dropped by the projects stage
    ],
)
def test_corridors_in_phrase(sector: str, phrase: str, expected: list[tuple[str, list[str]]]) -> None:
    found = corridors_in_phrase(phrase, sector=sector)
    assert sorted((c.name_zh, c.places) for c in found) == sorted(expected)


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
        ("energy", "启动两个煤电基地、两大新型煤化工基地项目建设", ["两个煤电基地", "两大新型煤化工基地"]),
        ("logistics", "推进甩挂运输试点项目建设", ["甩挂运输试点项目"]),
        ("science", "组建产学研用联合体和检验检测公共技术服务平台", ["检验检测公共技术服务平台"]),
        ("science", "共同建立科研信息共享平台", ["科研信息共享平台"]),
        ("logistics", "借助活动平台推动我区企业扩大市场份额", []),   # the events as a platform: not an item
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


# Each item's status and kind come from its own words, not from the nearest verb of its sentence.
@pytest.mark.parametrize(
    ("sector", "body", "name", "kind", "status"),
    [
        # a completion phrase after the items governs them all
        ("rail", "继续协调推进呼和浩特—张家口客运专线,通辽、赤峰至京沈客运专线建设工作,力争早日建成并投入运行。",
         "通辽至京沈客运专线", "railway", "construction"),
        # a stage word in another item's phrase (筹备 of the activity week) is not this item's
        ("science", "进一步加强与广东省的科技合作,深化和巩固合作成果,做好第二届粤蒙科技活动周筹备工作。",
         "与广东省的科技合作", "partnership", "ongoing"),
        ("science", "进一步加强与广东省的科技合作,深化和巩固合作成果,做好第二届粤蒙科技活动周筹备工作。",
         "第二届粤蒙科技活动周", "event", "preparing"),
        # parks whose construction is followed up are under construction, not an agreement signed
        ("industry", "跟踪落实鄂尔多斯江苏工业园等园区建设工作,打造产业承接优质载体。", "鄂尔多斯江苏工业园",
         "industrial_park", "construction"),
        # an agreement implemented vs an agreement sought, in one sentence
        ("energy", "落实与天津、山东等省市的能源合作协议,继续与北京、湖北等省市对接落实天然气需求市场,力争达成合作协议。",
         "与天津、山东等省市的能源合作协议", "agreement", "agreed"),
        ("energy", "落实与天津、山东等省市的能源合作协议,继续与北京、湖北等省市对接落实天然气需求市场,力争达成合作协议。",
         "与北京、湖北等省市对接落实天然气需求市场", "agreement", "negotiating"),
        ("energy", "推进蒙西—天津南特高压外送电通道前期工作,力争尽快开工建设。", "蒙西—天津南特高压外送电通道",
         "power_line", "preparing"),
        ("road", "积极协调推进G7京新高速临河—白疙瘩段建设,争取国家尽快批复项目可研报告。", "G7京新高速临河—白疙瘩段",
         "expressway", "approval"),
        ("industry", "与江苏省签订共建省际合作示范园区协议。", "与江苏省签订共建省际合作示范园区协议", "agreement",
         "negotiating"),
        # the verb nearest before the item's phrase, not the first of the sentence
        ("science", "加强与国内其他省(区、市)的合作,探索合作建立工程实验室,组建检验检测公共技术服务平台。",
         "检验检测公共技术服务平台", "platform", "proposed"),
        ("energy", "启动两个煤电基地、两大新型煤化工基地项目建设。", "两个煤电基地", "coal_power_base",
         "construction_planned"),
        # a plan cited as the reference (按照《…》) is not the item; the work done under it is, with
        # the stage word of the group's item-less phrases
        ("road", "按照《内蒙古自治区省道网规划(2013—2030)》,重点开展省道线位规划研究,加强与8个毗邻省区规划地对接工作。",
         "与8个毗邻省区规划地对接", "programme", "preparing"),
    ],
)
def test_status_and_kind_from_the_items_own_words(finder, sector: str, body: str, name: str, kind: str,  # type: ignore[no-untyped-def]
                                                   status: str) -> None:
    projects = projects_from_clause(_clause(sector, body), finder, read_status_phrases(settings.DATA_DIR))
    found = {p.name_zh: p for p in projects}
    assert name in found, sorted(found)
    assert (found[name].kind, found[name].status) == (kind, status)


def test_a_cooperation_and_its_document_are_one_item(finder) -> None:  # type: ignore[no-untyped-def]
    body = "深化京蒙科技合作,推动签署《京蒙科技合作框架协议》,着力推进共建创新平台载体。"
    projects = projects_from_clause(_clause("science", body), finder, read_status_phrases(settings.DATA_DIR))
    assert [(p.name_zh, p.status) for p in projects] == [("《京蒙科技合作框架协议》", "negotiating")]


def test_hints_are_never_required_for_written_corridors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data, ignore=shutil.ignore_patterns("geojson"))
    (data / "hints.toml").write_text("# no hints\n", encoding="utf-8")
    frame = build_features(data_dir=data).features
    lines = frame[frame.geometry.geom_type == "LineString"]
    written = {"呼和浩特—张家口客运专线", "多伦至丰宁复线", "额济纳至哈密铁路", "白音华至锦州复线",
               "G7京新高速临河—白疙瘩段", "丹锡高速公路大板—经棚段"}
    assert written <= set(lines["name_zh"])
    assert set(lines[lines["name_zh"].isin(written)]["route"]) == {"schematic"}
    # without a cited route, ends that are provinces or regions (山东, 华中, 京津冀) are not drawn
    assert not {"锡林郭勒盟—山东特高压外送电通道", "蒙西至华中铁路", "我区至京津冀油气管道"} & set(lines["name_zh"])
