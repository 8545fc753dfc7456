"""Plan stage: clean lines → a ``Plan`` with its preamble facts and numbered clauses.

A clause is a paragraph that ends in a responsibility note such as
``(自治区商务厅、农牧业厅,内蒙古供销合作联社负责,自治区发展改革委配合)``; it belongs to the section
(``一、基础设施合作``) and sub-section (``(一)铁路``) above it. Agencies are normalised with
``data/agencies.csv``; partner provinces are recognised by ``geo.pipeline.partners``.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.errors import PlanParseError
from geo.pipeline.text import CleanText, Damage, Line

_CN_NUMERALS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN_NUMERALS}]+)、(.+)$")
_SUBSECTION = re.compile(rf"^\(([{_CN_NUMERALS}]+)\)([^。()]{{1,12}})。")
_NOTE = re.compile(r"\(([^()]*负责[^()]*)\)\s*$")
_TITLE = re.compile(r"《([^《》]*?(\d{4})年[^《》]*?(?:方案|计划|要点))》")
_APPROVED = re.compile(r"经(.{2,20}?)同意")
_REPORT = re.compile(r"(\d{4})年(\d{1,2})月(底|\d{1,2}日)前报(.{2,30}?)[,。;]")
_AGENCY_SPLIT = re.compile(r"[、,]")
_AGENCY_PREFIXES = ("自治区", "内蒙古", "国家", "省")

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

    @property
    def body(self) -> str:
        """The clause text without its sub-section heading and responsibility note."""
        text = _NOTE.sub("", self.text)
        return _SUBSECTION.sub("", text, count=1)


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

    @property
    def unknown_agencies(self) -> list[str]:
        """Agencies the plan names that ``data/agencies.csv`` does not know."""
        seen = [a for c in self.clauses for a in (*c.lead, *c.cooperating) if not a.known]
        return sorted({a.name for a in seen})


def plan_from_text(clean: CleanText, *, data_dir: Path | None = None) -> Plan:
    """Parse the clean text of a plan; raise ``PlanParseError`` when it has no title or no clauses."""
    lines = clean.lines
    title, year = _title(lines)
    region = _region(title, year)
    agencies = read_agencies(data_dir or settings.DATA_DIR)
    clauses = _clauses(lines, region, agencies)
    if not clauses:
        raise PlanParseError("no clause found: no paragraph ends in a responsibility note such as (…负责)",
                             code="plan_no_clauses")
    approved, report_to, deadline = _preamble(lines, region, agencies)
    return Plan(
        title=title, region=region, year=year, approved_by=approved,
        addressees=lines[0].text.rstrip(": ") if lines[0].text.endswith(":") else None,
        report_to=report_to, report_deadline=deadline, clauses=clauses,
        damage=clean.damage, repairs=clean.repairs, encoding=clean.encoding,
    )


def agencies_from_note(note: str, region: str, agencies: dict[str, tuple[str, str]]) -> tuple[list[Agency], list[Agency]]:
    """Lead and cooperating agencies of a responsibility note's inner text.

    ``自治区商务厅、农牧业厅,内蒙古供销合作联社负责,自治区发展改革委配合`` → three leads, one helper;
    a name written without its prefix (``农牧业厅``) takes the prefix of the name before it.
    """
    lead_part, _, rest = note.partition("负责")
    coop_part = rest.split("配合")[0] if "配合" in rest else ""
    return (_agency_list(lead_part, region, agencies), _agency_list(coop_part, region, agencies))


def normalise_agency(written: str, region: str, agencies: dict[str, tuple[str, str]]) -> Agency:
    """The full name and English name of an agency as written in a plan."""
    written = written.strip(" ,、")
    for form in (written, written.replace("自治区", region, 1), written.removeprefix("自治区")):
        if form in agencies:
            name, name_en = agencies[form]
            return Agency(name=name, name_en=name_en, as_written=written)
    full = written.replace("自治区", region, 1) if written.startswith("自治区") else written
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
    for line in lines:
        match = _TITLE.search(line.text)
        if match:
            return match.group(1), int(match.group(2))
    for line in lines:
        match = re.fullmatch(r"(.*?(\d{4})年.*?(?:方案|计划|要点))", line.text)
        if match:
            return match.group(1), int(match.group(2))
    raise PlanParseError("no plan title with a year found (expected 《…YYYY年…方案》)", code="plan_no_title")


def _region(title: str, year: int) -> str:
    head = title.split(f"{year}年")[0]
    match = re.match(r".*?(?:自治区|省|市)", head)
    return match.group(0) if match else head


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
    clauses: list[Clause] = []
    section, section_no, count = "", 0, 0
    for line in lines:
        heading = _SECTION.match(line.text)
        if heading:
            section, section_no, count = heading.group(2), section_no + 1, 0
            continue
        note = _NOTE.search(line.text)
        if not note or not section_no:
            continue
        count += 1
        sub = _SUBSECTION.match(line.text)
        subsection = sub.group(2) if sub else None
        sector = (subsection and sector_of(subsection)) or sector_of(section, line.text) or "industry"
        lead, cooperating = agencies_from_note(note.group(1), region, agencies)
        clauses.append(Clause(
            number=f"{section_no}.{count}", section=section, subsection=subsection, sector=sector,
            text=line.text, original=line.original, line=line.number, lead=lead, cooperating=cooperating,
        ))
    return clauses


def _agency_list(part: str, region: str, agencies: dict[str, tuple[str, str]]) -> list[Agency]:
    names = [n.strip() for n in _AGENCY_SPLIT.split(part) if n.strip()]
    out: list[Agency] = []
    prefix = ""
    for name in names:
        own = next((p for p in _AGENCY_PREFIXES if name.startswith(p)), "")
        if own:
            prefix = own
        elif prefix and name not in agencies:
            name = prefix + name
        out.append(normalise_agency(name, region, agencies))
    return out
