"""Shared vocabularies: sectors, feature kinds, the status taxonomy, precision codes and countries.

One taxonomy serves every sector. Its project states follow the trackers of Global Energy
Monitor (proposed → pre-construction → construction → operating; shelved, cancelled); the
agreement states cover the plan's non-physical items (agreements, fairs, partnerships).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geo import settings


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary with its Chinese and English labels."""

    code: str
    zh: str
    en: str
    description: str = ""


STATUSES: tuple[Term, ...] = (
    Term("proposed", "提出", "Proposed", "named in a plan; no concrete step taken yet"),
    Term("preparing", "前期工作", "Preparing", "pre-feasibility, surveys, route studies (前期工作)"),
    Term("approval", "待批复", "Awaiting approval", "feasibility study submitted, state approval sought"),
    Term("construction_planned", "计划开工", "Construction start planned", "approved or scheduled; start of works planned"),
    Term("construction", "在建", "Under construction", "works under way"),
    Term("operating", "已投运", "Operating", "built and in service"),
    Term("negotiating", "洽谈中", "Negotiating", "agreement sought (力争达成, 推动签署, 探索)"),
    Term("agreed", "已签署", "Agreement signed", "agreement signed, implementation following"),
    Term("ongoing", "持续推进", "Ongoing", "a standing programme, fair or partnership being carried on"),
    Term("completed", "已完成", "Completed", "a non-physical item delivered (plan issued, event held)"),
    Term("shelved", "搁置", "Shelved", "no progress reported; not cancelled"),
    Term("cancelled", "取消", "Cancelled", "formally dropped"),
)
STATUS_CODES: tuple[str, ...] = tuple(t.code for t in STATUSES)

SECTOR_TERMS: tuple[Term, ...] = (
    Term("rail", "铁路", "Rail"),
    Term("road", "公路", "Roads"),
    Term("aviation", "民航", "Aviation"),
    Term("energy", "能源", "Energy"),
    Term("industry", "产业", "Industry"),
    Term("logistics", "商贸物流", "Trade and logistics"),
    Term("education", "教育", "Education"),
    Term("science", "科技", "Science and technology"),
    Term("tourism", "旅游", "Tourism"),
)

KINDS: tuple[Term, ...] = (
    # Corridors (drawn as lines when the plan names their ends)
    Term("railway", "铁路", "Railway"),
    Term("expressway", "高速公路", "Expressway"),
    Term("road", "公路", "Highway"),
    Term("power_line", "输电通道", "Power transmission line"),
    Term("pipeline", "油气管道", "Oil and gas pipeline"),
    Term("bridge", "桥梁", "Bridge"),
    # Facilities and sites
    Term("airport", "机场", "Airport"),
    Term("substation", "变电站", "Substation"),
    Term("port", "港口", "Port"),
    Term("dry_port", "无水港", "Dry port"),
    Term("logistics_park", "物流园区", "Logistics park"),
    Term("industrial_park", "产业园区", "Industrial park"),
    Term("transfer_zone", "产业转移示范区", "Industrial-transfer zone"),
    Term("coal_power_base", "煤电基地", "Coal-power base"),
    Term("coal_chemical_base", "煤化工基地", "Coal-chemical base"),
    Term("market", "市场", "Market"),
    Term("sales_zone", "销售专区", "Sales zone"),
    Term("university", "高校", "University partnership"),
    Term("platform", "平台", "Shared platform"),
    Term("pilot_project", "试点项目", "Pilot projects"),
    # Events, groupings and documents
    Term("fair", "展会", "Trade fair"),
    Term("event", "活动", "Event"),
    Term("alliance", "联盟", "Alliance"),
    Term("tourism_circle", "旅游圈", "Tourism circle"),
    Term("agreement", "协议", "Agreement"),
    Term("plan_document", "规划", "Plan"),
    # Cooperation programmes named by what they do
    Term("partnership", "合作", "Cooperation"),
    Term("air_service", "航线", "Air services"),
    Term("investment_promotion", "招商推介", "Investment promotion"),
    Term("programme", "合作事项", "Cooperation item"),
)

#: Geographic precision codes after AidData's geocoding methodology (1 = most precise).
PRECISION: dict[int, str] = {
    1: "exact location (station, substation, campus, park site)",
    2: "near a named place, within 25 km (town seat)",
    3: "second-order division (prefecture, league or county seat)",
    4: "first-order division (province): the item is placed on its province",
    5: "estimated along a route between known places",
    6: "country-wide",
    7: "unclear; placed at a capital",
    8: "unknown location",
}


def label(terms: tuple[Term, ...], code: str, lang: str = "zh") -> str:
    """The ``lang`` label of ``code`` in ``terms``, or the code itself when it is not listed."""
    for term in terms:
        if term.code == code:
            return term.zh if lang == "zh" else term.en
    return code


#: The country of the plans' regions; places elsewhere make their country a partner.
HOME_COUNTRY = "CN"
#: Words a country's alias must not be read inside: 蒙古 in 内蒙古 is the home region, not Mongolia.
_NOT_A_COUNTRY = ("内蒙古",)


def read_countries(data_dir: Path | None = None) -> dict[str, dict[str, str]]:
    """``data/countries.csv`` keyed by ISO 3166 alpha-2 code: Chinese and English name."""
    path = (data_dir or settings.DATA_DIR) / "countries.csv"
    if not path.exists():  # a data folder of an older layout
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


def countries_named(text: str, data_dir: Path | None = None) -> list[str]:
    """ISO codes of the countries abroad ``text`` names by name or by the forms plans write
    (蒙方, 中蒙, 中俄; ``aliases`` of ``data/countries.csv``), in order of first mention."""
    for word in _NOT_A_COUNTRY:
        text = text.replace(word, "·" * len(word))
    found: list[tuple[int, str]] = []
    for code, row in read_countries(data_dir).items():
        if code == HOME_COUNTRY:
            continue
        forms = [row["name"], *(a for a in (row.get("aliases") or "").split("|") if a)]
        hits = [text.find(f) for f in forms if f in text]
        if hits:
            found.append((min(hits), code))
    return [code for _, code in sorted(found)]
