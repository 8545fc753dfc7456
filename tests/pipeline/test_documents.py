"""Document forms: a plan saved as a web page, a Word file or a PDF reads as the same plan as its text.

The fixtures under ``tests/data/plans/forms/`` are the 2015 plan written in each form by
``make_forms.py`` there (real python-docx, reportlab and gov.cn-style page output).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import DATA

from geo import settings
from geo.errors import PlanReadError
from geo.pipeline.documents import PrintedLine, form_of, is_page_number, paragraphs_from_lines, text_from_document
from geo.pipeline.plan import Plan, plan_from_text
from geo.pipeline.projects import projects_from_plan
from geo.pipeline.text import read_plan

FORMS = DATA / "plans" / "forms"
TEXT_PLAN = DATA / "nmg-2015-regional-cooperation.txt"
FORM_FILES = ["nmg-2015.html", "nmg-2015.docx", "nmg-2015.pdf"]


def _clauses(plan: Plan) -> list[tuple[str, str, str, list[str], list[str]]]:
    return [(c.number, c.section, c.text, [a.name for a in c.lead], [a.name for a in c.cooperating])
            for c in plan.clauses]


def _projects(plan: Plan, finder) -> list[tuple[str, str, str, list[str], list[str], str]]:  # type: ignore[no-untyped-def]
    return [(p.name_zh, p.sector, p.kind, p.places, p.partners, p.status) for p in projects_from_plan(plan, finder)]


@pytest.fixture(scope="module")
def text_plan() -> Plan:
    return plan_from_text(read_plan(TEXT_PLAN))


@pytest.mark.parametrize("name", FORM_FILES)
def test_each_form_reads_as_the_same_plan_as_its_text(name: str, text_plan: Plan, finder) -> None:  # type: ignore[no-untyped-def]
    plan = plan_from_text(read_plan(FORMS / name))
    assert (plan.title, plan.year, plan.report_to, plan.report_deadline) == (
        text_plan.title, text_plan.year, text_plan.report_to, text_plan.report_deadline)
    assert _clauses(plan) == _clauses(text_plan)
    projects = _projects(plan, finder)
    assert len(projects) >= 10 and projects == _projects(text_plan, finder)


def test_web_page_keeps_the_article_and_leaves_the_site_behind() -> None:
    clean = read_plan(FORMS / "nmg-2015.html")
    text = clean.text
    assert clean.encoding == "gb18030 (html)"  # declared gb2312; read with its superset
    for furniture in ("政务公开", "当前位置", "无障碍浏览", "索 引 号", "分享到", "打印本页", "相关文件",
                      "关于我们", "网站地图", "版权所有", "蒙ICP备", "setFontSize", "_hmt", "欢迎访问"):
        assert furniture not in text, furniture
    # The page's heading is part of the document; each <p> is a line of its own.
    assert clean.lines[0].text.startswith("内蒙古自治区人民政府办公厅关于印发")
    assert "一、基础设施合作" in [line.text for line in clean.lines]


def test_a_page_declaring_gb2312_with_a_gbk_only_character_is_decoded() -> None:
    # 镕 is in GBK but not GB2312; sites declare gb2312 and write it anyway.
    body = "<p>朱镕基同志视察呼和浩特—张家口客运专线工地。</p>" * 3
    page = (f'<html><head><meta charset="gb2312"><title>视察</title></head><body><ul class="nav"><li><a href="/">首页</a></li>'
            f'<li><a href="/xw/">新闻</a></li></ul><article>{body}</article><div class="footer">版权所有</div></body></html>')
    document = text_from_document(page.encode("gb18030"), source="page.htm")
    assert document is not None and document.encoding == "gb18030 (html)"
    assert "朱镕基同志视察呼和浩特—张家口客运专线工地。" in document.text.splitlines()
    assert "首页" not in document.text


def test_word_tables_reach_the_text_one_row_a_line() -> None:
    lines = read_plan(FORMS / "nmg-2015.docx").text.splitlines()
    assert "呼和浩特—张家口客运专线\t确保2017年建成通车\t自治区铁路办" in lines
    assert lines.index("附表:2015年重点推进交通项目") < lines.index("项目名称\t建设内容\t牵头单位")


def test_pdf_lines_wrapped_mid_sentence_are_joined_and_page_numbers_dropped() -> None:
    lines = read_plan(FORMS / "nmg-2015.pdf").text.splitlines()
    # Printed over four lines of the narrow column, the last only "局配合)".
    assert ("(一)铁路。加快呼和浩特—张家口客运专线建设,确保2017年建成通车。加快多伦至丰宁复线建设。"
            "推进集宁至大同至原平铁路前期工作,力争尽快开工建设。(自治区铁路办负责,呼铁局配合)") in lines
    # The note wrapped onto its own line after a full stop still belongs to its paragraph.
    assert any(line.endswith("电力外送通道。(自治区能源开发局负责)") for line in lines)
    # The centred title broken in two is one line again; headings stay apart.
    assert "内蒙古自治区2015年区域合作重点推进事项及分工方案" in lines
    assert "三、产业合作" in lines and not any(is_page_number(line) for line in lines)


def _line(text: str, x0: float, x1: float) -> PrintedLine:
    return PrintedLine(text, x0, x1, left=100.0, right=400.0, char_width=10.0)


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        # a full line that does not end a sentence runs on
        ([_line("加快呼和浩特至张家口", 100, 400), _line("铁路建设。", 100, 150)], ["加快呼和浩特至张家口铁路建设。"]),
        # a short line ends its paragraph, whatever its last character
        ([_line("一、基础设施", 100, 160), _line("加快铁路建设。", 100, 170)], ["一、基础设施", "加快铁路建设。"]),
        # a full line ending a sentence ends the paragraph when paragraphs are not indented
        ([_line("加快铁路建设。", 100, 395), _line("推进公路建设。", 100, 170)], ["加快铁路建设。", "推进公路建设。"]),
        # with indented paragraphs, a flush line after a full stop continues (a wrapped note)
        ([_line("加快铁路建设。", 120, 395), _line("(自治区铁路办负责)", 100, 200)], ["加快铁路建设。(自治区铁路办负责)"]),
        # ... and an indented one starts a new paragraph
        ([_line("加快铁路建设。", 120, 395), _line("推进公路建设。", 120, 190)], ["加快铁路建设。", "推进公路建设。"]),
        # a heading or numbered item never continues the line before it
        ([_line("加快铁路建设,确保年内开工", 100, 400), _line("(二)公路。推进建设。", 100, 200)],
         ["加快铁路建设,确保年内开工", "(二)公路。推进建设。"]),
        # Latin words broken at the line end get their space back; a route number does not
        ([_line("Hohhot to Zhangjiakou high", 100, 400), _line("speed railway", 100, 230)],
         ["Hohhot to Zhangjiakou high speed railway"]),
        ([_line("加快G", 100, 400), _line("7京新高速建设。", 100, 180)], ["加快G7京新高速建设。"]),
    ],
)
def test_paragraphs_from_lines(lines: list[PrintedLine], paragraphs: list[str]) -> None:
    assert paragraphs_from_lines(lines) == paragraphs


@pytest.mark.parametrize(
    ("text", "page_number"),
    [("- 3 -", True), ("—12—", True), ("3", True), ("第3页", True), ("第 3 页 共 10 页", True), ("3/10", True),
     ("2016年1月底前", False), ("(三)", False), ("G7", False), ("三、产业合作", False)],
)
def test_is_page_number(text: str, page_number: bool) -> None:
    assert is_page_number(text) is page_number


@pytest.mark.parametrize(
    ("head", "suffix", "form"),
    [
        (b"%PDF-1.7\n", ".txt", "pdf"),                           # content wins over a wrong suffix
        (b"PK\x03\x04....word/document.xml", ".zip", "docx"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", ".txt", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="">', "", "html"),
        ("一、基础设施合作".encode(), ".html", "html"),               # a fragment saved as .html
        ("一、基础设施合作".encode(), ".txt", None),
        (b"PK\x03\x04....xl/workbook.xml", ".docx", "docx"),        # read, and refused as damaged
    ],
)
def test_form_of(head: bytes, suffix: str, form: str | None) -> None:
    assert form_of(head, suffix=suffix) == form


def test_a_scanned_pdf_is_refused_with_a_clear_error() -> None:
    with pytest.raises(PlanReadError, match="no text layer") as err:
        read_plan(FORMS / "scanned.pdf")
    assert err.value.code == "plan_no_text_layer"


@pytest.mark.parametrize("name", ["plan.txt", "plan.pdf", "plan.docx", "plan.html"])
def test_an_empty_file_is_refused_whatever_its_suffix(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\n \n")
    with pytest.raises(PlanReadError, match="is empty") as err:
        read_plan(tmp_path / name)
    assert err.value.code == "plan_empty"


@pytest.mark.parametrize(
    ("name", "damage"),
    [("nmg-2015.pdf", lambda b: b[:2000]), ("nmg-2015.pdf", lambda b: b"%PDF-1.4\n%garbage\n"),
     ("nmg-2015.docx", lambda b: b[:5000]), ("nmg-2015.docx", lambda b: b.replace(b"word/document.xml", b"word/documen_.xml"))],
)
def test_a_damaged_document_is_refused_with_a_clear_error(tmp_path: Path, name: str, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(damage((FORMS / name).read_bytes()))
    with pytest.raises(PlanReadError, match="damaged") as err:
        read_plan(path)
    assert err.value.code == "plan_damaged" and name in str(err.value)


def test_a_word_file_without_text_is_refused(tmp_path: Path) -> None:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    (tmp_path / "blank.docx").write_bytes(buffer.getvalue())
    with pytest.raises(PlanReadError, match="no text") as err:
        read_plan(tmp_path / "blank.docx")
    assert err.value.code == "plan_no_text"


@pytest.mark.parametrize("name", ["scanned.pdf", "damaged.docx"])
def test_cli_prints_one_line_and_writes_nothing_for_an_unreadable_document(tmp_path: Path, name: str) -> None:
    plan = FORMS / name
    if name == "damaged.docx":
        plan = tmp_path / name
        plan.write_bytes((FORMS / "nmg-2015.docx").read_bytes()[:5000])
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "geo", "build", "--plan", str(plan), "--out", str(out)],
                            capture_output=True, text=True, cwd=settings.ROOT, timeout=300)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and name in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
