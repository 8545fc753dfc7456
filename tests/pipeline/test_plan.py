"""Plan stage: preamble, sections, clauses, agencies."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from geo import settings
from geo.errors import PlanParseError
from geo.pipeline.plan import agencies_from_note, normalise_agency, plan_from_text, read_agencies, sector_of
from geo.pipeline.text import clean_text

AGENCIES = read_agencies(settings.DATA_DIR)
REGION = "内蒙古自治区"


@pytest.mark.parametrize(
    ("note", "lead", "cooperating"),
    [
        ("自治区铁路办负责,呼铁局配合", ["内蒙古自治区铁路建设重点项目办公室"], ["呼和浩特铁路局"]),
        ("自治区能源开发局负责", ["内蒙古自治区能源开发局"], []),
        ("自治区商务厅、农牧业厅,内蒙古供销合作联社负责,自治区发展改革委配合",
         ["内蒙古自治区商务厅", "内蒙古自治区农牧业厅", "内蒙古自治区供销合作社联合社"], ["内蒙古自治区发展和改革委员会"]),
        ("自治区发展改革委负责,内蒙古民航机场集团公司配合", ["内蒙古自治区发展和改革委员会"], ["内蒙古民航机场集团公司"]),
        ("自治区旅游局负责,自治区文化厅配合", ["内蒙古自治区旅游局"], ["内蒙古自治区文化厅"]),
    ],
)
def test_agencies_from_note(note: str, lead: list[str], cooperating: list[str]) -> None:
    leads, helpers = agencies_from_note(note, REGION, AGENCIES)
    assert [a.name for a in leads] == lead
    assert [a.name for a in helpers] == cooperating
    assert all(a.known and a.name_en for a in leads + helpers)


def test_unknown_agency_is_kept_and_flagged() -> None:
    leads, _ = agencies_from_note("自治区气象局负责", REGION, AGENCIES)
    assert [(a.name, a.known) for a in leads] == [("内蒙古自治区气象局", False)]



@pytest.mark.parametrize(
    ("written", "name", "name_en"),
    [
        ("自治区外事办", "内蒙古自治区外事办公室", "Foreign Affairs Office of Inner Mongolia Autonomous Region"),
        ("自治区口岸办", "内蒙古自治区口岸管理办公室", "Port Administration Office of Inner Mongolia Autonomous Region"),
        ("自治区住房城乡建设厅", "内蒙古自治区住房和城乡建设厅",
         "Department of Housing and Urban-Rural Development of Inner Mongolia Autonomous Region"),
        ("自治区卫生计生委", "内蒙古自治区卫生和计划生育委员会",
         "Health and Family Planning Commission of Inner Mongolia Autonomous Region"),
        ("内蒙古贸促会", "中国国际贸易促进委员会内蒙古自治区分会",
         "China Council for the Promotion of International Trade Inner Mongolia Sub-Council"),
        ("满洲里海关", "中华人民共和国满洲里海关", "Manzhouli Customs"),
        ("国网蒙东电力公司", "国网内蒙古东部电力有限公司", "State Grid Inner Mongolia Eastern Power Co., Ltd."),
        ("锡盟", "锡林郭勒盟行政公署", "Administrative Office of Xilingol League"),
        ("呼市", "呼和浩特市人民政府", "People's Government of Hohhot City"),
        ("河北省发展改革委", "河北省发展和改革委员会", "Development and Reform Commission of Hebei Province"),
        ("黑龙江省交通运输厅", "黑龙江省交通运输厅", "Department of Transport of Heilongjiang Province"),
        ("宁夏回族自治区商务厅", "宁夏回族自治区商务厅", "Department of Commerce of Ningxia Hui Autonomous Region"),
        ("交通运输厅", "内蒙古自治区交通运输厅", "Department of Transport of Inner Mongolia Autonomous Region"),
    ],
)
def test_written_form_normalises_to_full_and_english_name(written: str, name: str, name_en: str) -> None:
    agency = normalise_agency(written, REGION, AGENCIES)
    assert (agency.name, agency.name_en, agency.known) == (name, name_en, True)


def test_no_written_form_names_two_agencies() -> None:
    rows: dict[str, set[int]] = {}
    with open(settings.DATA_DIR / "agencies.csv", encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            for form in [row["name"], *row["aliases"].split("|")]:
                if form.strip():
                    rows.setdefault(form.strip(), set()).add(line)
    assert {form: lines for form, lines in rows.items() if len(lines) > 1} == {}

@pytest.mark.parametrize(
    ("heading", "text", "sector"),
    [
        ("铁路", "", "rail"), ("公路", "", "road"), ("民航", "", "aviation"), ("能源合作", "", "energy"),
        ("产业合作", "", "industry"), ("商贸物流合作", "", "logistics"), ("旅游合作", "", "tourism"),
        ("教育科技合作", "与上海交通大学等高校的协议,招生计划", "education"),
        ("教育科技合作", "科技研发和科技合作,科研信息", "science"),
    ],
)
def test_sector_of(heading: str, text: str, sector: str) -> None:
    assert sector_of(heading, text) == sector


def test_2014_plan_preamble_and_clauses(plan_2014) -> None:  # type: ignore[no-untyped-def]
    plan = plan_2014
    assert plan.year == 2014
    assert plan.title == "内蒙古自治区2014年区域合作重点推进事项及分工方案"
    assert plan.approved_by == "内蒙古自治区人民政府"
    assert plan.report_to is not None and plan.report_to.name == "内蒙古自治区发展和改革委员会"
    assert plan.report_deadline == date(2015, 1, 31)
    assert [c.number for c in plan.clauses] == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "6.1"]
    assert [c.sector for c in plan.clauses] == [
        "rail", "road", "aviation", "energy", "industry", "industry", "logistics", "logistics",
        "education", "science", "tourism"]
    assert [c.subsection for c in plan.clauses[:3]] == ["铁路", "公路", "民航"]
    assert plan.unknown_agencies == []
    energy = plan.clauses[3]
    assert [a.name for a in energy.lead] == ["内蒙古自治区能源开发局"] and energy.cooperating == []


def test_text_without_clauses_is_refused() -> None:
    with pytest.raises(PlanParseError, match="no clause"):
        plan_from_text(clean_text("《内蒙古自治区2014年区域合作重点推进事项及分工方案》\n一、合作\n没有责任说明的段落。"))


def test_text_without_title_is_refused() -> None:
    with pytest.raises(PlanParseError, match="title"):
        plan_from_text(clean_text("一、合作\n段落。(自治区发展改革委负责)"))


@pytest.mark.parametrize(
    ("note", "lead", "cooperating"),
    [
        ("自治区发展改革委牵头,呼和浩特铁路局配合", ["内蒙古自治区发展和改革委员会"], ["呼和浩特铁路局"]),
        ("自治区交通运输厅牵头负责,自治区发展改革委、呼铁局参与",
         ["内蒙古自治区交通运输厅"], ["内蒙古自治区发展和改革委员会", "呼和浩特铁路局"]),
        ("自治区商务厅主办,自治区旅游局协办", ["内蒙古自治区商务厅"], ["内蒙古自治区旅游局"]),
        ("由自治区能源开发局主责,自治区发展改革委协助", ["内蒙古自治区能源开发局"], ["内蒙古自治区发展和改革委员会"]),
    ],
)
def test_agencies_from_note_with_any_role_word(note: str, lead: list[str], cooperating: list[str]) -> None:
    leads, helpers = agencies_from_note(note, REGION, AGENCIES)
    assert ([a.name for a in leads], [a.name for a in helpers]) == (lead, cooperating)


def test_province_prefix_of_an_agency_takes_the_region() -> None:
    leads, helpers = agencies_from_note("省发展改革委牵头,省交通运输厅配合", "山西省", AGENCIES)
    assert [a.name for a in leads + helpers] == ["山西省发展和改革委员会", "山西省交通运输厅"]  # both in the table


@pytest.mark.parametrize(
    ("head", "year"),
    [
        ("内蒙古自治区推进中蒙互联互通实施方案\n发布日期:2014-10-24", 2014),
        ("内蒙古自治区推进中蒙互联互通实施方案\n印发日期:2015年3月2日", 2015),
        ("河北省与山西省交通合作协议\n二〇一六年五月十二日", 2016),
        ("河北省与山西省交通合作备忘录\n2017年6月1日", 2017),
        ("河北省与山西省交通合作备忘录\n2018-06-01", 2018),
        ("河北省与山西省交通合作备忘录\n到2019年建成,2019年通车,2020年运营", 2019),
    ],
)
def test_year_from_title_date_or_text(head: str, year: int) -> None:
    plan = plan_from_text(clean_text(f"{head}\n一、交通\n推进太原至石家庄铁路建设,加快前期工作。"))
    assert plan.year == year


def test_year_option_overrides_and_its_absence_names_what_to_give() -> None:
    text = "河北省与山西省交通合作备忘录\n一、交通\n推进太原至石家庄铁路建设,加快前期工作。"
    assert plan_from_text(clean_text(text), year=2013).year == 2013
    with pytest.raises(PlanParseError, match="--year") as err:
        plan_from_text(clean_text(text))
    assert err.value.code == "plan_no_year"


@pytest.mark.parametrize(
    ("head", "region", "parties"),
    [
        ("内蒙古自治区人民政府办公厅关于印发推进中蒙互联互通实施方案的通知", "内蒙古自治区", []),
        ("山西省人民政府办公厅\n关于印发晋陕蒙区域合作实施方案的通知", "山西省", []),
        ("河北省与山西省关于深化交通合作的框架协议", "河北省", ["河北省", "山西省"]),
        ("交通基础设施合作协议\n甲方:山西省人民政府\n乙方:陕西省人民政府", "山西省", ["山西省", "陕西省"]),
    ],
)
def test_home_region_from_the_issuer_or_the_parties(head: str, region: str, parties: list[str]) -> None:
    plan = plan_from_text(clean_text(f"{head}\n2015年1月5日\n一、交通\n推进太原至石家庄铁路建设,加快前期工作。"))
    assert (plan.region, plan.parties) == (region, parties)


def test_numbered_items_without_notes_are_clauses_with_the_parties_as_partners() -> None:
    plan = plan_from_text(clean_text(
        "河北省与山西省交通合作协议\n甲方:河北省人民政府\n乙方:山西省人民政府\n为深化两省合作,经友好协商,达成如下协议:\n"
        "一、交通基础设施\n(一)铁路\n1.共同推进太原至石家庄铁路扩能改造,力争年内开工。\n"
        "2.加快推进张家口至大同高速公路建设。\n二〇一五年五月十二日"))
    assert [c.number for c in plan.clauses] == ["1", "1.1", "1.2"]
    assert [c.subsection for c in plan.clauses[1:]] == ["铁路", "铁路"]
    assert [c.body for c in plan.clauses[1:]] == ["共同推进太原至石家庄铁路扩能改造,力争年内开工。", "加快推进张家口至大同高速公路建设。"]
    assert all(not c.noted and not c.lead and c.parties == ["山西省"] for c in plan.clauses)


def test_cli_build_takes_a_year() -> None:
    from geo.cli.run import _parser

    args = _parser().parse_args(["build", "--plan", "x.txt", "--year", "2015"])
    assert args.year == 2015
