"""Text stage: decoding, pinyin, repairs, the merge of the two copies, simplification."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from geo import settings
from geo.errors import PlanReadError
from geo.pipeline.text import CJK, clean_bytes, clean_text, decode, find_damage, read_plan, strip_pinyin


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("區(qū)域", "區域"),
        ("內(nèi)蒙古自治區(qū)", "內蒙古自治區"),
        ("經(jīng)自治區(qū)人民政府同意", "經自治區人民政府同意"),
        ("(一)鐵路", "(一)鐵路"),                       # a section number is not pinyin
        ("規劃(2013—2030)", "規劃(2013—2030)"),           # neither is a year range
        ("(自治區鐵路辦負責,呼鐵局配合)", "(自治區鐵路辦負責,呼鐵局配合)"),
        ("G7(abc)", "G7(abc)"),                          # only after an ideograph
    ],
)
def test_strip_pinyin(raw: str, clean: str) -> None:
    assert strip_pinyin(raw) == clean


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_pinyin = st.sampled_from(["(qū)", "(nèi)", "(jīng)", "(yè)", "(zhuān)", "(x)"])
_other = st.sampled_from(list("(),、。—0123456789ab "))


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_cjk, _pinyin, _other), max_size=40).map("".join))
def test_strip_pinyin_is_idempotent_and_keeps_every_ideograph(text: str) -> None:
    once = strip_pinyin(text)
    assert strip_pinyin(once) == once
    assert re.findall(rf"[{CJK}]", once) == re.findall(rf"[{CJK}]", text)


def test_real_plan_is_merged_repaired_and_simplified(plan_path: Path) -> None:
    clean = read_plan(plan_path)
    assert clean.copies == 2
    assert clean.damage == []
    text = clean.text
    assert "?" not in text and "▍" not in text and "(qū)" not in text
    assert text.count("进一步落实我区与国内其他省(区、市)签署的合作协议") == 1
    assert "各部门要按照职能分工与合作省(区、市)加强协作" in text   # damaged in both copies: repaired
    assert "或专业市场" in text
    assert "内蒙古自治区2014年区域合作重点推进事项及分工方案" in text   # simplified
    assert "2015卷" not in text and "版权所有" not in text and "技术支持" not in text
    # the original (Traditional, as received) is kept beside every clean line
    railway = next(line for line in clean.lines if line.text.startswith("(一)铁路"))
    assert railway.original.startswith("(一)鐵路") and "呼鐵局" in railway.original


def test_cleaning_is_idempotent(plan_path: Path) -> None:
    once = read_plan(plan_path).text
    assert clean_text(once).text == once


def test_gb18030_file_decodes_like_utf8(plan_path: Path) -> None:
    utf8 = plan_path.read_bytes()
    gb = utf8.decode("utf-8").encode("gb18030")
    assert decode(gb)[1] == "gb18030"
    assert clean_bytes(gb).text == clean_bytes(utf8).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t ", "is empty"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        (bytes(range(128, 256)) * 20, "GB18030"),
    ],
)
def test_bad_bytes_give_a_clear_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(PlanReadError, match=message) as err:
        clean_bytes(data, source="plans/bad.txt")
    assert "plans/bad.txt" in str(err.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanReadError, match="missing.txt"):
        read_plan(tmp_path / "missing.txt")


def test_unrepairable_damage_is_reported_with_its_position() -> None:
    clean = clean_text("一、能源合作\n推进?▍铁路建设。(自治区能源开发局负责)")
    assert [(d.line, d.column, d.text) for d in clean.damage] == [(2, 3, "?▍")]
    assert "?▍" in clean.lines[1].text   # never silently dropped


def test_copy_merge_learns_repairs_from_the_intact_copy() -> None:
    body = ["标题方案", "一、合作", "与其他{}签署协议。(甲厅负责)", "第三行内容很长很长。", "第四行内容很长很长。"]
    first = [s.format("?。▍^(qū)、市)") for s in body]
    second = [s.format("省(區(qū)、市)") for s in body]
    clean = clean_text("\n".join(first + second))
    assert clean.copies == 2
    assert len(clean.lines) == len(body)
    assert "与其他省(区、市)签署协议" in clean.text


def test_find_damage_positions() -> None:
    assert [(d.column, d.text) for d in find_damage("甲乙?丙\ufffd", line=7)] == [(3, "?"), (5, "\ufffd")]


def test_full_width_forms_parse_like_ascii() -> None:
    # Written with escapes: full-width brackets, comma and colon as many government files type them.
    raw = "(一)鐵路。推進包頭—銀川客運專線\uff0c力爭建成。\uff08自治區\uff08qū\uff09鐵路辦負責\uff0c呼鐵局配合\uff09"
    text = clean_text(raw).lines[0].text
    assert text == "(一)铁路。推进包头—银川客运专线,力争建成。(自治区铁路办负责,呼铁局配合)"
    assert strip_pinyin("區\uff08qū\uff09域") == "區域"
    assert clean_text("版權所有\uff1a某研究室\n一、合作").text == "一、合作"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(plan_path: Path, encoding: str) -> None:
    text = plan_path.read_bytes().decode("utf-8")
    data = codecs.lookup(encoding).encode("\ufeff" + text)[0]
    assert decode(data)[1] == encoding.rsplit("-", 1)[0]
    assert clean_bytes(data).text == clean_bytes(text.encode("utf-8")).text


def test_utf16_without_a_byte_order_mark_is_named_not_called_binary(plan_path: Path) -> None:
    data = plan_path.read_bytes().decode("utf-8").encode("utf-16-le")
    with pytest.raises(PlanReadError) as err:
        clean_bytes(data, source="plans/utf16.txt")
    assert err.value.code == "plan_utf16_no_bom"
    assert "UTF-16" in str(err.value) and "binary" not in str(err.value)


def test_a_plan_over_the_size_limit_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 2**20)  # 50 MB that take no disk
    with pytest.raises(PlanReadError) as err:
        read_plan(huge)
    assert err.value.code == "plan_too_large"
    assert "2 MB" in str(err.value) and "huge.txt" in str(err.value)
    with pytest.raises(PlanReadError, match="more than 2 MB"):
        clean_bytes(b"\xe5\x86\x85" * (settings.MAX_PLAN_BYTES // 3 + 1))


def test_the_size_limit_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_path: Path) -> None:
    monkeypatch.setenv("GEO_MAX_PLAN_MB", "0.01")
    with pytest.raises(PlanReadError, match="more than 0.01 MB"):
        read_plan(plan_path)
    monkeypatch.setenv("GEO_MAX_PLAN_MB", "5")
    assert read_plan(plan_path).lines
