"""Plans of other provinces and years, unchanged code: the extractor held to a table of real-style sentences.

``tests/data/plan-sentences.csv`` holds sentences written after public plans of other provinces and
years and national network plans (rail, roads, power, pipelines, airports, ports, parks), some in
Traditional characters with pinyin glued on as web copies arrive. Each goes through the whole
reading path (bytes → text → plan → projects) in four forms: Simplified and Traditional, UTF-8
and GB18030; the item's name, kind, ends and status must come out the same every time.
"""

from __future__ import annotations

import csv
from pathlib import Path

import opencc
import pytest
from fixtures import DATA

from geo import settings
from geo.pipeline.build import build_features
from geo.pipeline.plan import plan_from_text
from geo.pipeline.projects import projects_from_plan
from geo.pipeline.text import clean_bytes, strip_pinyin, to_simplified

CORPUS = DATA / "plan-sentences.csv"
_HEADINGS = {
    "rail": ("一、基础设施合作", "(一)铁路。", "自治区铁路办"),
    "road": ("一、基础设施合作", "(二)公路。", "自治区交通运输厅"),
    "aviation": ("一、基础设施合作", "(三)民航。", "自治区发展改革委"),
    "energy": ("二、能源合作", "", "自治区能源开发局"),
    "industry": ("三、产业合作", "", "自治区经济和信息化委"),
    "logistics": ("四、商贸物流合作", "", "自治区商务厅"),
}
ROWS = list(csv.DictReader(CORPUS.open(encoding="utf-8", newline="")))
FORMS = [("simplified", "utf-8"), ("traditional", "utf-8"), ("simplified", "gb18030"), ("traditional", "gb18030")]


def plan_bytes(sector: str, sentence: str, *, script: str, encoding: str) -> bytes:
    """A one-clause plan in the 2014 plan's style around ``sentence``."""
    section, subsection, agency = _HEADINGS[sector]
    text = (f"《内蒙古自治区2016年区域合作重点推进事项及分工方案》\n{section}\n"
            f"{subsection}{sentence}({agency}负责)\n")
    if script == "traditional":
        text = opencc.OpenCC("s2t").convert(text)
    return text.encode(encoding)


def test_the_corpus_is_large_and_covers_every_kind_of_corridor() -> None:
    assert len(ROWS) >= 40
    text = to_simplified(strip_pinyin("".join(r["sentence"] for r in ROWS)))
    for word in ("高速铁路", "城际铁路", "客运专线", "货运专线", "复线", "电气化改造", "联络线", "高速", "国道", "省道",
                 "一级公路", "段", "直流输电", "交流输变电", "换流站", "外送电通道", "天然气管道", "原油管道", "成品油管道",
                 "支线", "机场", "口岸", "产业园"):
        assert word in text, f"no sentence with {word}"
    assert any("(xù)" in r["sentence"] for r in ROWS), "no sentence with glued pinyin"
    assert any(to_simplified(r["sentence"]) != r["sentence"] for r in ROWS), "no sentence written in Traditional"


@pytest.mark.parametrize(("script", "encoding"), FORMS)
@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_sentence_gives_its_item(finder, row: dict[str, str], script: str, encoding: str) -> None:  # type: ignore[no-untyped-def]
    clean = clean_bytes(plan_bytes(row["sector"], row["sentence"], script=script, encoding=encoding))
    assert clean.encoding == encoding
    projects = projects_from_plan(plan_from_text(clean), finder)
    found = {p.name_zh: p for p in projects}
    assert row["name"] in found, f"{row['name']!r} not among {sorted(found)}"
    project = found[row["name"]]
    ends = [e for e in row["ends"].split("|") if e]
    assert (project.kind, project.places, project.status) == (row["kind"], ends, row["status"])


def test_unknown_kind_words_and_places_are_reported_not_dropped(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(plan_bytes("rail", "推进呼和浩特至包头磁悬浮线建设。推进呼和浩特至乌拉拉斯坦铁路建设。",
                                script="simplified", encoding="utf-8"))
    report = build_features(plan, data_dir=settings.DATA_DIR)
    summary = report.summary()
    assert ("1.1", "磁悬浮线") in report.unknown_kinds and "磁悬浮线" in summary
    assert [u.name for u in report.unresolved] == ["乌拉拉斯坦"] and "乌拉拉斯坦" in summary
    names = set(report.features["name_zh"])
    assert "呼和浩特至乌拉拉斯坦铁路" in names, "an item with an unknown place is kept, placed on what is known"
    assert any("磁悬浮" in n for n in names), "a sentence with an unknown kind word still gives an item"
