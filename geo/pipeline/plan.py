"""Plan stage: clean lines → a ``Plan`` with its preamble facts and numbered clauses.

A clause is a paragraph that ends in a responsibility note such as
``(自治区商务厅、农牧业厅,内蒙古供销合作联社负责,自治区发展改革委配合)`` or
``(自治区发展改革委牵头,呼和浩特铁路局配合)``, with the lead and helper words of
``data/role_words.csv``; it belongs to the section (``一、基础设施合作``) and sub-section
(``(一)铁路``, ``1.``, ``(1)``) above it. A document without any note (an agreement, a memo, the
report of a signing) has every paragraph after its title as a clause, with no agencies and the
signing parties as its partners. Agencies are normalised with ``data/agencies.csv``; partner
provinces are recognised by ``geo.pipeline.partners``.

The year comes from the title, else from the issue date (``发布日期:2014-10-24``,
``二〇一四年十月二十四日``), else from the year the text names most; the home region from the issuing
government in the title or first lines, or for an agreement from its first party.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.errors import PlanParseError
from geo.pipeline.gazetteer import read_provinces
from geo.pipeline.text import CleanText, Damage, Line

_CN_NUMERALS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN_NUMERALS}]+)、(.+)$")
_SUBSECTION = re.compile(rf"^(?:\(([{_CN_NUMERALS}]+|\d{{1,2}})\)|(\d{{1,2}})[.、])([^。()]{{1,12}})。")
# A marked line (一、 (一) 1. 1、 (1)) and what follows its mark.
_MARKED = re.compile(rf"^(?:([{_CN_NUMERALS}]+)、|\(([{_CN_NUMERALS}]+|\d{{1,2}})\)|(\d{{1,2}})[.、](?!\d))\s*(.*)$")
_TITLE = re.compile(r"《([^《》]*?(\d{4})年[^《》]*?(?:方案|计划|要点))》")
_DOC_WORDS = r"(?:方案|计划|要点|协议|备忘录|纪要|规划|意见|办法|安排|宣言|协定)"
_ISSUING = re.compile(r"关于印发《?(.{4,60}?)》?的通知")
_DOC_TITLE = re.compile(rf"《([^《》]{{4,60}}?{_DOC_WORDS}(?:\([^()]*\))?)》")
_TITLE_LINE = re.compile(rf"^[^。;,:]{{4,60}}?{_DOC_WORDS}(?:\([^()]*\))?$")
_DATE_LABEL = re.compile(r"(?:发布|印发|成文|签署|签订|公布|发文)(?:日期|时间)\s*[::]?\s*((?:19|20)\d{2})")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "O": "0", "○": "0"}
_CN_DATE = re.compile(r"([〇零○O一二三四五六七八九]{4})年[一二三四五六七八九十]{1,3}月")
_FULL_DATE = re.compile(r"((?:19|20)\d{2})(?:年\d{1,2}月\d{1,2}日|[-./]\d{1,2}[-./]\d{1,2})")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d{2})年")
_PARTY = re.compile(r"^[甲乙丙丁]方[::]\s*(.+)$")
_APPROVED = re.compile(r"经(.{2,20}?)同意")
_REPORT = re.compile(r"(\d{4})年(\d{1,2})月(底|\d{1,2}日)前报(.{2,30}?)[,。;]")
_AGENCY_SPLIT = re.compile(r"[、,]")
_AGENCY_PREFIXES = ("自治区", "内蒙古", "国家", "省")
_NOTE_SPLIT = re.compile(r"[,;]")
# Bodies that are not departments of the region, so never take the prefix of the name before them
# (省交通运输厅、太原铁路局: the railway bureau is no department of the province).
_OWN_BODY = re.compile(r"铁路局|公司|集团|银行|大学|人民政府|行政公署|管委会")
_GOVERNMENT = re.compile(r"(?:市|盟|州|县|旗)(人民政府|行政公署)$")

#: Words that mark a sector in section and sub-section headings and in clause text.
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "rail": ("铁路",),
    "road": ("公路", "高速", "交通"),
    "aviation": ("民航", "航空", "机场", "航线"),
    "energy": ("能源", "电力", "油气", "煤"),
    "industry": ("产业", "工业", "园区"),
    "logistics": ("商贸", "物流", "市场", "商品"),
    "education": ("教育", "高校", "大学", "招生"),
    "science": ("科技", "科研", "研发"),
    "tourism": ("旅游",),
}


@dataclass(frozen=True)
class Agency:
    """An agency normalised to its full name, with its English name and the form the plan used."""

    name: str
    name_en: str
    as_written: str
    known: bool = True


@dataclass
class Clause:
    """One numbered paragraph of the plan with the agencies it makes responsible."""

    number: str
    section: str
    subsection: str | None
    sector: str
    text: str
    original: str
    line: int
    lead: list[Agency]
    cooperating: list[Agency]
    partners: list[str] = field(default_factory=list)
    #: Whether the paragraph carries a responsibility note; an agreement's paragraphs do not.
    noted: bool = True
    #: The signing parties other than the home region (a paragraph of an agreement or memo).
    parties: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The clause text without its mark, sub-section heading and responsibility note."""
        text = note_pattern().sub("", self.text)
        text = _SUBSECTION.sub("", text, count=1)
        marked = _MARKED.match(text)
        return marked.group(4) if marked else text


@dataclass
class Plan:
    """A parsed plan: preamble facts, clauses, and what the text stage could not repair."""

    title: str
    region: str
    year: int
    approved_by: str | None
    addressees: str | None
    report_to: Agency | None
    report_deadline: date | None
    clauses: list[Clause]
    damage: list[Damage] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    #: The signing parties of an agreement or memo, the home region first; empty for a plan.
    parties: list[str] = field(default_factory=list)

    @property
    def unknown_agencies(self) -> list[str]:
        """Agencies the plan names that ``data/agencies.csv`` does not know."""
        seen = [a for c in self.clauses for a in (*c.lead, *c.cooperating) if not a.known]
        return sorted({a.name for a in seen})


def plan_from_text(clean: CleanText, *, data_dir: Path | None = None, year: int | None = None) -> Plan:
    """Parse the clean text of a plan, agreement or memo.

    ``year`` overrides the year the document gives. Raises ``PlanParseError`` when it has no
    title, no year or no clause.
    """
    data_dir = data_dir or settings.DATA_DIR
    lines = clean.lines
    title, start = _title(lines)
    year = year or year_of(title, lines)
    region, parties = region_of(title, lines, data_dir=data_dir)
    agencies = read_agencies(data_dir)
    clauses = _clauses(lines[start + 1:], region, agencies)
    if not clauses:
        raise PlanParseError("no clause found: no paragraph ends in a responsibility note such as (…负责) "
                             "and no paragraph follows the title", code="plan_no_clauses")
    for clause in clauses:
        clause.parties = [p for p in parties if p != region] if not clause.noted else []
    approved, report_to, deadline = _preamble(lines, region, agencies)
    return Plan(
        title=title, region=region, year=year, approved_by=approved,
        addressees=lines[0].text.rstrip(": ") if lines[0].text.endswith(":") else None,
        report_to=report_to, report_deadline=deadline, clauses=clauses,
        damage=clean.damage, repairs=clean.repairs, encoding=clean.encoding, parties=parties,
    )


def year_of(title: str, lines: list[Line]) -> int:
    """The year of a document: its title's, else its issue or signing date's, else the one its text names most.

    Raises ``PlanParseError`` naming what to give when none is found.
    """
    found = re.search(r"((?:19|20)\d{2})年", title)
    if found:
        return int(found.group(1))
    text = "\n".join(line.text for line in lines)
    for finder in (_labelled_year, _chinese_date_year, _full_date_year, _most_named_year):
        year = finder(text)
        if year:
            return year
    raise PlanParseError("no year found: the title names none, there is no issue date (发布日期:2014-10-24, "
                         "印发日期, 2014年10月24日, 二〇一四年十月二十四日) and the text names no 20xx年; "
                         "give the year with --year", code="plan_no_year")


def region_of(title: str, lines: list[Line], *, data_dir: Path | None = None) -> tuple[str, list[str]]:
    """The home region of a document and its signing parties (empty for a plan of one government).

    An agreement or memo (``河北省与山西省…合作协议``, ``甲方:…``) is read from its first party; a
    plan from the government that issues it (the first province its title, then its first lines, name).
    """
    table = read_provinces(data_dir or settings.DATA_DIR)
    parties = _parties(title, lines, table)
    if parties:
        return parties[0], parties
    for text in (title, *(line.text for line in lines[:6])):
        named = provinces_in(text, table)
        if named:
            return named[0], []
    raise PlanParseError(f"no issuing government found in the title {title!r} or the first lines "
                         "(expected a province such as 内蒙古自治区人民政府 or 山西省)", code="plan_no_region")


def provinces_in(text: str, table: dict[str, dict[str, str]]) -> list[str]:
    """Full names of the provinces ``text`` names by full or short name, in order, longest match first."""
    forms = {n: full for full, row in table.items() for n in (full, row["short"]) if n}
    pattern = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
    out: list[str] = []
    for match in re.finditer(pattern, text):
        if forms[match.group()] not in out:
            out.append(forms[match.group()])
    return out


def agencies_from_note(note: str, region: str, agencies: dict[str, tuple[str, str]], *,
                       roles: dict[str, str] | None = None) -> tuple[list[Agency], list[Agency]]:
    """Lead and cooperating agencies of a responsibility note's inner text.

    ``自治区商务厅、农牧业厅,内蒙古供销合作联社负责,自治区发展改革委配合`` → three leads, one helper;
    ``自治区发展改革委牵头,呼和浩特铁路局配合`` → one lead, one helper. The role words are those of
    ``data/role_words.csv``; names before a role word take that role (so a run of names without a
    word of its own joins the next). A name written without its prefix (``农牧业厅``) takes the
    prefix of the name before it.
    """
    roles = roles if roles is not None else read_role_words(settings.DATA_DIR)
    words = sorted(roles, key=len, reverse=True)
    parts: dict[str, list[str]] = {"lead": [], "helper": []}
    pending: list[str] = []
    for piece in filter(None, (p.strip() for p in _NOTE_SPLIT.split(note))):
        word = next((w for w in words if piece.endswith(w)), None)
        pending.append(piece[: len(piece) - len(word)] if word else piece)
        if word:
            parts[roles[word]] += pending
            pending = []
    parts["lead" if not parts["lead"] else "helper"] += pending
    lead = _agency_list("、".join(parts["lead"]), region, agencies)
    return lead, _agency_list("、".join(parts["helper"]), region, agencies)


@lru_cache(maxsize=4)
def read_role_words(data_dir: Path) -> dict[str, str]:
    """``data/role_words.csv``: the words that end a responsibility note's parts → ``lead`` or ``helper``."""
    with open(data_dir / "role_words.csv", encoding="utf-8", newline="") as fh:
        return {row["word"].strip(): row["role"].strip() for row in csv.DictReader(fh) if row["word"].strip()}


def note_pattern(data_dir: Path | None = None) -> re.Pattern[str]:
    """A responsibility note at the end of a paragraph: a bracket holding a role word."""
    return _note_pattern(data_dir or settings.DATA_DIR)


def normalise_agency(written: str, region: str, agencies: dict[str, tuple[str, str]]) -> Agency:
    """The full name and English name of an agency as written in a plan (``自治区``/``省`` → the region)."""
    written = re.sub(r"^由", "", written.strip(" ,、"))
    prefix = next((p for p in ("自治区", "省") if written.startswith(p) and region.endswith(p)), "")
    full = region + written[len(prefix):] if prefix else written
    explicit = any(written.startswith(p) for p in read_provinces(settings.DATA_DIR))  # 河北省发展改革委 as written
    for form in (written, full, written.removeprefix(prefix) if prefix else written):
        if form in agencies and (explicit and form == written or _of_region(agencies[form][0], region)):
            name, name_en = agencies[form]
            return Agency(name=name, name_en=name_en, as_written=written)
    return Agency(name=full, name_en="", as_written=written, known=False)


@lru_cache(maxsize=4)
def read_agencies(data_dir: Path) -> dict[str, tuple[str, str]]:
    """``data/agencies.csv`` as a map from every written form (name and aliases) to (name, English)."""
    table: dict[str, tuple[str, str]] = {}
    with open(data_dir / "agencies.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entry = (row["name"].strip(), row["name_en"].strip())
            for form in [row["name"], *(row.get("aliases") or "").split("|")]:
                if form.strip():
                    table[form.strip()] = entry
    return table


def sector_of(heading: str, text: str = "") -> str | None:
    """The sector a heading names; when it names several (教育科技), the one ``text`` speaks of most."""
    named = [s for s, words in SECTOR_KEYWORDS.items() if any(w in heading for w in words)]
    if len(named) <= 1 or not text:
        return named[0] if named else None
    return max(named, key=lambda s: (sum(text.count(w) for w in SECTOR_KEYWORDS[s]), -named.index(s)))


def _title(lines: list[Line]) -> tuple[str, int]:
    """The document's title and the index of the line that carries it."""
    for pattern in (_TITLE, re.compile(r"^(.*?(\d{4})年.*?(?:方案|计划|要点))$")):
        for index, line in enumerate(lines):
            match = pattern.search(line.text)
            if match:
                return match.group(1), index
    for index, line in enumerate(lines[:12]):  # the first line that gives a title, not a later citation
        for pattern in (_ISSUING, _TITLE_LINE, _DOC_TITLE):
            match = pattern.search(line.text)
            if match and not _MARKED.match(line.text):
                return match.group(1) if match.groups() else match.group(), index
    raise PlanParseError("no plan title found (expected 《…方案》, a line such as …合作协议 or …备忘录, "
                         "or 关于印发…的通知)", code="plan_no_title")


def _of_region(agency: str, region: str) -> bool:
    """Whether an agency of the table may be the one a plan of ``region`` means: its own, or not a province's."""
    return agency.startswith(region) or not any(agency.startswith(p) for p in read_provinces(settings.DATA_DIR))


def _labelled_year(text: str) -> int | None:
    match = _DATE_LABEL.search(text)
    return int(match.group(1)) if match else None


def _chinese_date_year(text: str) -> int | None:
    match = _CN_DATE.search(text)
    return int("".join(_CN_DIGITS[c] for c in match.group(1))) if match else None


def _full_date_year(text: str) -> int | None:
    alone = [m for m in (_FULL_DATE.fullmatch(t.strip()) for t in text.splitlines()) if m]
    match = alone[0] if alone else _FULL_DATE.search(text)
    return int(match.group(1)) if match else None


def _most_named_year(text: str) -> int | None:
    counts = Counter(_YEAR_IN_TEXT.findall(text))
    return int(counts.most_common(1)[0][0]) if counts else None


def _parties(title: str, lines: list[Line], table: dict[str, dict[str, str]]) -> list[str]:
    """The provinces that sign an agreement or memo: ``甲方:``/``乙方:`` lines, else those its title names."""
    named = [p for line in lines[:20] if (m := _PARTY.match(line.text)) for p in provinces_in(m.group(1), table)[:1]]
    if len(set(named)) >= 2:
        return list(dict.fromkeys(named))
    if not re.search(r"(?:协议|备忘录|纪要|宣言|协定)", title):
        return []
    heading = next((i for i, line in enumerate(lines) if title in line.text), 0)
    for text in (title, *(line.text for line in lines[: heading + 1])):  # the signatories above or in the title line
        if len(provinces_in(text, table)) >= 2:
            return provinces_in(text, table)
    return []


def _preamble(lines: list[Line], region: str, agencies: dict[str, tuple[str, str]]) -> tuple[str | None, Agency | None, date | None]:
    head = "\n".join(line.text for line in lines[:8])
    approved = _APPROVED.search(head)
    approved_by = approved.group(1).replace("自治区", region, 1) if approved else None
    report = _REPORT.search(head)
    if not report:
        return approved_by, None, None
    year, month, day = int(report.group(1)), int(report.group(2)), report.group(3)
    last = calendar.monthrange(year, month)[1] if day == "底" else int(day.removesuffix("日"))
    return approved_by, normalise_agency(report.group(4), region, agencies), date(year, month, last)


def _clauses(lines: list[Line], region: str, agencies: dict[str, tuple[str, str]]) -> list[Clause]:
    """Paragraphs with a responsibility note; in a document with none, every paragraph."""
    pattern = note_pattern()
    noted = any(pattern.search(line.text) for line in lines)
    clauses: list[Clause] = []
    section, subsection, section_no, count = "", None, 0, 0
    for line in lines:
        heading = _heading(line.text)
        if heading is not None:
            if _SECTION.match(line.text):
                section, subsection, section_no, count = heading, None, section_no + 1, 0
            else:
                subsection = heading
            continue
        note = pattern.search(line.text)
        if (noted and not note) or (not noted and not _is_paragraph(line.text)):
            continue
        count += 1
        sub = _SUBSECTION.match(line.text)
        own = sub.group(3) if sub else None
        clauses.append(_clause(line, section, own or subsection, f"{section_no}.{count}" if section_no else str(count),
                               note.group(1) if note else None, region, agencies))
    return clauses


def _clause(line: Line, section: str, subsection: str | None, number: str, note: str | None, region: str,
            agencies: dict[str, tuple[str, str]]) -> Clause:
    sector = ((subsection and sector_of(subsection)) or sector_of(section, line.text)
              or sector_of(line.text, line.text) or "industry")
    lead, cooperating = agencies_from_note(note, region, agencies) if note else ([], [])
    return Clause(number=number, section=section, subsection=subsection, sector=sector, text=line.text,
                  original=line.original, line=line.number, lead=lead, cooperating=cooperating,
                  noted=note is not None)


def _heading(text: str) -> str | None:
    """The heading of a line that is only a heading (``一、基础设施合作``, ``(二)公路建设``, ``1.交通``)."""
    marked = _MARKED.match(text)
    if not marked:
        return None
    rest = marked.group(4).strip()
    if len(rest) > 20 or re.search(r"[。;,]", rest):
        return None  # a sentence: an item of a list or a paragraph, not a heading
    return rest.rstrip(":")


def _is_paragraph(text: str) -> bool:
    """A paragraph of running text, not a heading, date, party or signature line."""
    if _PARTY.match(text) or _DATE_LABEL.search(text) or _FULL_DATE.fullmatch(text) or _CN_DATE.match(text):
        return False
    return len(text) > 15 and bool(re.search(r"[。;,]", text))


@lru_cache(maxsize=4)
def _note_pattern(data_dir: Path) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(read_role_words(data_dir), key=len, reverse=True)))
    return re.compile(rf"\(([^()]*(?:{words})[^()]*)\)[。;]?\s*$")


def _agency_list(part: str, region: str, agencies: dict[str, tuple[str, str]]) -> list[Agency]:
    names = _shared_government(n.strip() for n in _AGENCY_SPLIT.split(part) if n.strip())
    out: list[Agency] = []
    prefix = ""
    for name in names:
        own = next((p for p in _AGENCY_PREFIXES if name.startswith(p)), "")
        if own:
            prefix = own
        elif prefix and name not in agencies and not _OWN_BODY.search(name):
            name = prefix + name
        out.append(normalise_agency(name, region, agencies))
    return out


def _shared_government(names: Iterable[str]) -> list[str]:
    """``朔州市、忻州市人民政府`` → both governments: a bare city or league takes the body named after the last."""
    listed = list(names)
    body = _GOVERNMENT.search(listed[-1]) if listed else None
    if body is None:
        return listed
    return [n + body.group(1) if re.search(r"(?:市|盟|州|县|旗)$", n) else n for n in listed]
