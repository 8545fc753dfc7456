"""Item names when a plan's sentence runs into them: the name is the thing, never the sentence.

Cases written after the held-back documents' sentences (a memo's table row, a cross-border plan's
verbs, an agreement's bracketed short names); one line each.
"""

from __future__ import annotations

import pytest

from geo import settings
from geo.pipeline.corridors import corridors_in_phrase
from geo.pipeline.plan import Clause
from geo.pipeline.projects import Project, projects_from_clause, read_status_phrases, tidied


@pytest.mark.parametrize(("phrase", "sector", "names"), [
    ("督促施工单位加快赤峰至喀左高速铁路建设", "rail", ["赤峰至喀左高速铁路"]),
    ("内蒙古自治区加快通辽至甘旗卡公路建设", "road", ["通辽至甘旗卡公路"]),
    ("配合蒙方做好西伯库伦至那林苏海图公路", "road", ["西伯库伦至那林苏海图公路"]),
    ("提升大同至秦皇岛铁路(大秦铁路)运能", "rail", ["大同至秦皇岛铁路"]),
    ("朔州经肃宁至黄骅港铁路(朔黄铁路)扩能改造", "rail", ["朔州经肃宁至黄骅港铁路"]),
    ("辽宁省同步推进康平至省界段升级改造", "road", ["康平至省界公路"]),
    ("包头经鄂尔多斯至榆林段铁路", "rail", ["包头经鄂尔多斯至榆林段铁路"]),  # a via-route keeps its words
    ("呼和浩特至张家口客运专线", "rail", ["呼和浩特至张家口客运专线"]),
])
def test_a_line_is_named_from_its_first_place(finder, phrase: str, sector: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    spans = lambda text: [(m.start, m.end) for m in finder.mentions(text)]  # noqa: E731
    assert [c.name_zh for c in corridors_in_phrase(phrase, sector=sector, place_spans=spans)] == names


@pytest.mark.parametrize(("name", "kind", "tidy", "tidy_kind"), [
    ("组织我区企业参加乌兰巴托国际贸易博览会", "fair", "乌兰巴托国际贸易博览会", "fair"),
    ("建设额布都格口岸哈拉哈河界河公路桥", "programme", "额布都格口岸哈拉哈河界河公路桥", "bridge"),
    ("满都拉口岸常年开放", "programme", "满都拉口岸", "port"),
    ("在二连浩特—扎门乌德口岸试行中蒙一站式通关模式", "programme", "二连浩特—扎门乌德口岸", "port"),
    ("与甘肃、宁夏共同推进既有铁路增建复线", "railway", "与甘肃、宁夏共同推进既有铁路增建复线", "railway"),  # no thing to cut to
    ("甩挂运输试点", "pilot_project", "甩挂运输试点", "pilot_project"),
    ("在太原无水港", "dry_port", "太原无水港", "dry_port"),
])
def test_a_named_item_is_cut_to_the_thing_it_names(name: str, kind: str, tidy: str, tidy_kind: str) -> None:
    clause = Clause(number="1.1", section="", subsection=None, sector="road", text=name, original=name, line=1,
                    lead=[], cooperating=[])
    project = tidied(Project(name_zh=name, sector="road", kind=kind, clause=clause, sentence=name))
    assert (project.name_zh, project.kind) == (tidy, tidy_kind)


@pytest.mark.parametrize(("sector", "sentence", "names"), [
    ("aviation", "开通呼和浩特至乔巴山、海拉尔至乔巴山国际航线。",
     ["呼和浩特至乔巴山国际航线", "海拉尔至乔巴山国际航线"]),
    ("industry", "支持满洲里、二连浩特国家重点开发开放试验区建设。",
     ["满洲里国家重点开发开放试验区", "二连浩特国家重点开发开放试验区"]),
    ("industry", "研究设立策克、甘其毛都边境经济合作区。", ["策克边境经济合作区", "甘其毛都边境经济合作区"]),
    ("tourism", "推进二连浩特—乌兰巴托跨境旅游线路。", ["二连浩特—乌兰巴托跨境旅游线路"]),
])
def test_items_of_a_list_share_their_last_item_s_words(finder, sector: str, sentence: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    clause = Clause(number="1.1", section="", subsection=None, sector=sector, text=sentence, original=sentence,
                    line=1, lead=[], cooperating=[])
    found = projects_from_clause(clause, finder, read_status_phrases(settings.DATA_DIR))
    assert sorted(tidied(p).name_zh for p in found) == sorted(names)  # as projects_from_plan gives them
