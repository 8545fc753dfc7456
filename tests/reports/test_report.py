"""The annual progress report: status at year end, the year's changes, safe CSV, XLSX and HTML."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from geo.reports.progress import (
    NO_LEAD,
    Report,
    progress_report,
    report_to_csv,
    report_to_html,
    report_to_xlsx,
)
from geo.store import StatusChange, Store, User, open_store

XSS = "<img src=x onerror=alert(1)>"
RAIL, ROAD, PARK, FAIR = "rail-hohhot-zhangjiakou", "road-g7-linhe-baigeda", "industry-zhejiang-park", "logistics-fair"
PROJECTS = [
    {"id": RAIL, "name_zh": "呼和浩特—张家口客运专线", "name_en": "Hohhot–Zhangjiakou high-speed railway",
     "lead_agencies": ["自治区铁路办"], "cooperating_agencies": ["呼铁局"], "status": "construction",
     "status_source": "力争早日建成并投入运行"},
    {"id": ROAD, "name_zh": "G7京新高速临河—白疙瘩段", "name_en": "G7 Linhe–Baigeda", "lead_agencies": ["自治区交通运输厅"],
     "cooperating_agencies": ["自治区发展改革委"], "status": "preparing", "status_source": "前期工作"},
    {"id": PARK, "name_zh": "呼和浩特浙商产业园", "name_en": "Hohhot Zhejiang merchants' park",
     "lead_agencies": ["自治区经济和信息化委", "自治区商务厅"], "cooperating_agencies": [], "status": "ongoing",
     "status_source": "推进园区建设"},
]


@dataclass(frozen=True)
class Project:
    """A project given as an object rather than a mapping (as a caller's dataclass would)."""

    id: str
    name_zh: str
    name_en: str
    lead_agencies: tuple[str, ...]
    status: str


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    """The three projects seeded, then a year of changes and one recorded late."""
    with open_store(store_url) as s:
        s.seed(PROJECTS)
        s.insert_user("admin", "hash", agency=None)
        admin = User("admin")
        s.change_status(StatusChange(RAIL, "operating", date(2014, 9, 1), "全线通车", "内政发〔2014〕88号"),
                        editor=admin, expected_version=1)
        s.change_status(StatusChange(RAIL, "shelved", date(2015, 3, 1), "暂停运营检修", "会议纪要"),
                        editor=admin, expected_version=2)
        # Recorded after the 2015 change but effective in December 2014: it belongs to the 2014 report.
        s.change_status(StatusChange(RAIL, "construction", date(2014, 12, 20), "补录：12月复工", "厅函〔2014〕5号"),
                        editor=admin, expected_version=3)
        s.change_status(StatusChange(ROAD, "approval", date(2014, 11, 5), XSS, "=HYPERLINK(\"http://x\")"),
                        editor=admin, expected_version=1)
        yield s


def test_one_section_per_lead_agency_in_plan_order(store: Store) -> None:
    report = progress_report(store, [*PROJECTS, {"id": FAIR, "name_zh": "京蒙合作洽谈会", "status": "ongoing"}], 2014)
    assert [s.agency for s in report.sections] == [
        "自治区铁路办", "自治区交通运输厅", "自治区经济和信息化委", "自治区商务厅", NO_LEAD]
    assert [p.id for p in report.sections[2].projects] == [p.id for p in report.sections[3].projects] == [PARK]
    assert report.title == "2014年区域合作重点事项进展情况报告"


def test_status_at_year_end_and_the_years_changes(store: Store) -> None:
    by_id = {p.id: p for s in progress_report(store, PROJECTS, 2014).sections for p in s.projects}
    assert (by_id[RAIL].status, by_id[ROAD].status, by_id[PARK].status) == ("construction", "approval", "ongoing")
    assert [(c.effective_date, c.old_status, c.new_status, c.note, c.source, c.editor)
            for c in by_id[RAIL].changes] == [
        (date(2014, 9, 1), "construction", "operating", "全线通车", "内政发〔2014〕88号", "admin"),
        (date(2014, 12, 20), "shelved", "construction", "补录：12月复工", "厅函〔2014〕5号", "admin")]
    assert by_id[PARK].changes == ()  # the plan's baseline is not a change of the year
    later = {p.id: p for s in progress_report(store, PROJECTS, 2015).sections for p in s.projects}
    assert later[RAIL].status == "shelved"
    assert [c.note for c in later[RAIL].changes] == ["暂停运营检修"]
    assert later[ROAD].changes == ()


def test_a_project_the_store_does_not_know_keeps_its_baseline(sqlite_url: str) -> None:
    with open_store(sqlite_url) as empty:
        report = progress_report(empty, [Project("x", "某项目", "Some item", ("自治区旅游局",), "negotiating")], 2014)
    assert report.sections[0].projects[0].status == "negotiating"


def test_csv_has_a_row_per_change_and_defuses_formulas(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(report_to_csv(progress_report(store, PROJECTS, 2014)))))
    assert rows[0][0].startswith("牵头单位")
    road = [r for r in rows if r[1] == ROAD]
    assert len(road) == 1
    assert road[0][8] == XSS
    assert road[0][9] == "'=HYPERLINK(\"http://x\")"
    assert {r[1] for r in rows[1:]} == {RAIL, ROAD, PARK}


def test_xlsx_keeps_text_as_text(store: Store) -> None:
    book = load_workbook(io.BytesIO(report_to_xlsx(progress_report(store, PROJECTS, 2014))))
    sheet = book.active
    assert "2014年" in sheet["A1"].value
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=3) for cell in row}
    source = cells["=HYPERLINK(\"http://x\")"]
    assert source.data_type == "s"
    assert XSS in cells


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_shows_markup_in_notes_as_text(store: Store) -> None:
    page = report_to_html(progress_report(store, PROJECTS, 2014))
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parser = _Tags()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t in {"img", "script", "iframe"}]
    assert not [a for _, attrs in parser.tags for a, _ in attrs if a.startswith("on")]
    assert XSS in "".join(parser.text)
    assert "<title>2014年区域合作重点事项进展情况报告</title>" in page


def test_html_escapes_names_and_agencies_too(sqlite_url: str) -> None:
    evil = {"id": "x\"><script>", "name_zh": "<b>名</b>", "name_en": "&", "lead_agencies": ["<i>厅</i>"],
            "status": "proposed"}
    with open_store(sqlite_url) as empty:
        page = report_to_html(progress_report(empty, [evil], 2014))
    parser = _Tags()
    parser.feed(page)
    assert {t for t, _ in parser.tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "p", "section",
                                          "h2", "table", "thead", "tbody", "tr", "th", "td", "div", "code", "span"}


def test_report_is_a_plain_value(store: Store) -> None:
    report = progress_report(store, iter(PROJECTS), 2014)
    assert isinstance(report, Report) and report.year == 2014
    assert report.generated_at.tzinfo is not None
