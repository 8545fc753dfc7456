"""Projects stage: clauses → the named items of the plan (corridors, facilities, programmes).

Every sentence of a clause is read for
- corridors written ``A—B<kind>``, ``A至B<kind>``, ``A—B—C<kind>``, ``A、B至C<kind>``,
  ``A至B及C<kind>`` and ``<code><route>[<link>联络线]A—B段`` (rail, roads, power lines, pipelines);
- named things: 《documents》, “events”, and names ending in a facility word (工业园, 大学, 市场…);
- otherwise, when the sentence names partner provinces, a cooperation programme named by its phrase.
A clause that yields nothing still gives one item, so nothing the plan names is dropped.
The status of each item is read from the verbs of its sentence (``data/status_phrases.csv``).
Hand-written: no library parses Chinese policy enumerations into items.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.partners import PartnerFinder
from geo.plan import Clause, Plan

_DASH = "—–－-"
_PLACE = r"[\u4e00-\u9fff·]{2,12}?"
# Corridor words → (kind, sector); the longest word ending an item decides.
CORRIDOR_WORDS: dict[str, tuple[str, str]] = {
    "客运专线": ("railway", "rail"),
    "城际铁路": ("railway", "rail"),
    "铁路": ("railway", "rail"),
    "复线": ("railway", "rail"),
    "线电气化改造": ("railway", "rail"),
    "特高压外送电通道": ("power_line", "energy"),
    "特高压电力外送通道": ("power_line", "energy"),
    "特高压": ("power_line", "energy"),
    "电力外送通道": ("power_line", "energy"),
    "外送电通道": ("power_line", "energy"),
    "输电通道": ("power_line", "energy"),
    "输电线路": ("power_line", "energy"),
    "油气管道": ("pipeline", "energy"),
    "输气管道": ("pipeline", "energy"),
    "输油管道": ("pipeline", "energy"),
    "天然气管道": ("pipeline", "energy"),
    "管道": ("pipeline", "energy"),
}
# Facility and programme words → kind; names are the run of text before the word.
NAMED_WORDS: dict[str, str] = {
    "工业园区": "industrial_park", "工业园": "industrial_park", "产业园": "industrial_park",
    "承接产业转移示范区": "transfer_zone",
    "大学": "university", "学院": "university",
    "无水港": "dry_port", "港口物流园区": "dry_port",
    "销售专区": "sales_zone", "专业市场": "market", "产品市场": "market",
    "展洽会": "fair", "博览会": "fair", "商品大集": "fair", "活动周": "fair",
    "旅游圈": "tourism_circle", "旅游带": "tourism_circle",
    "运输联盟": "logistics_programme",
}
DOCUMENT_KINDS: dict[str, str] = {
    "协议": "agreement", "宣言": "agreement", "规划": "plan", "方案": "plan", "纲要": "plan",
}
# Verbs and fillers that open an item in an enumeration; stripped to leave the name.
_VERBS = ("继续|积极|协调|重点|共同|加快|进一步|跟踪|努力|着力|大力|全力|推动|推进|落实|依托|围绕|"
          "实施|开展|加强|深化|探索|打造|融入|推进落实|办好")
_LEAD_IN = re.compile(rf"^(?:(?:{_VERBS}|建设|把|与|在|我区|区外|国内)+)")
# The lead-in without 与/我区, for names that read better with them (与东三省的科技合作, 我区至山东).
_LEAD_IN_KEEP_WITH = re.compile(rf"^(?:(?:{_VERBS})+)")
# What may follow a facility word for it to end a name (鄂尔多斯江苏工业园、 / …工业园等 / …工业园建设).
_AFTER_NAME = r"等|建设|建成|合作|活动|筹备|会员|或|的|、|,|。|;"
# Verbs after which a name begins (…企业加入环渤海甩挂运输联盟, 在京津两地设立…销售专区).
_CUT = re.compile(r"加入|设立|举办|建立|融入|共建|签订|做好|或|的|把")
_TAIL = re.compile(r"(?:[。;]|等项目|等园区|等地区|等地|等|的|建设工作|建设|工作|项目)+$")
_SENTENCES = re.compile(r"(?<=[。;])")
_ENUM = re.compile(r"[、,]")


@dataclass
class Project:
    """One named item of the plan, before geocoding."""

    name_zh: str
    sector: str
    kind: str
    clause: Clause
    sentence: str
    places: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    context_partners: list[str] = field(default_factory=list)
    status: str = "proposed"
    status_source: str = ""
    linear: bool = False
    route_name: str | None = None
    programme: bool = False

    @property
    def key(self) -> str:
        """What makes two mentions the same item (a corridor named twice in one clause)."""
        if self.linear and len(self.places) >= 2:
            return f"{self.kind}:{self.places[0]}:{self.places[-1]}"
        return f"{self.kind}:{_canonical(self.name_zh)}"


def projects_from_plan(plan: Plan, finder: PartnerFinder, *, data_dir: Path | None = None) -> list[Project]:
    """Every item of every clause, deduplicated within the plan, in plan order."""
    phrases = read_status_phrases(data_dir or settings.DATA_DIR)
    seen: dict[str, Project] = {}
    for clause in plan.clauses:
        clause.partners = finder.partners(clause.body)
        for project in projects_from_clause(clause, finder, phrases):
            seen.setdefault(project.key, project)
    return list(seen.values())


def projects_from_clause(clause: Clause, finder: PartnerFinder, phrases: list[tuple[str, str]]) -> list[Project]:
    """The items of one clause; one clause-level item when no sentence names anything."""
    out: list[Project] = []
    for sentence in filter(None, (s.strip() for s in _SENTENCES.split(clause.body))):
        for group in phrase_groups(sentence, finder):
            status, source = status_from_text(group, phrases)
            if not source:
                status, source = status_from_text(sentence, phrases)
            found = corridors_in(group, clause, finder) + named_in(group, clause, finder)
            phrase = _partner_phrase(group, finder)
            if finder.partners(group) and (not found or (
                    "合作" in phrase and not any(_names_same(p, phrase) for p in found))):
                found.append(_programme(phrase, clause, group))
            for project in found:
                project.status, project.status_source = status, source
                project.partners = finder.partners(project.name_zh)
                project.context_partners = finder.partners(group)
            out += found
    if not out:
        first = next(s for s in _SENTENCES.split(clause.body) if s.strip())
        project = _programme(re.split(r"[,;。]", first)[0], clause, first)
        project.status, project.status_source = status_from_text(clause.body, phrases)
        out.append(project)
    return out


def phrase_groups(sentence: str, finder: PartnerFinder) -> list[str]:
    """A sentence cut at commas into groups that each begin with the phrase naming their partners.

    ``落实与天津、山东…的能源合作协议,继续与北京、湖北…对接…,力争达成合作协议`` → two groups, so that
    each cooperation gets its own partners and its own verbs. Phrases before the first partner
    phrase belong to the first group.
    """
    phrases = [p for p in re.split(r"[,]", _protect(sentence)) if p.strip()]
    groups: list[list[str]] = []
    for phrase in phrases:
        named = set(finder.partners(_unprotect(phrase)))
        held = {p for g in groups[-1:] for q in g for p in finder.partners(_unprotect(q))}
        if not groups or (named and held and not named <= held):
            groups.append([phrase])
        else:
            groups[-1].append(phrase)
    return [_unprotect(",".join(g)) for g in groups]


def corridors_in(text: str, clause: Clause, finder: PartnerFinder) -> list[Project]:
    """Corridors written in ``text``: lines between places, and segments of named routes."""
    out: list[Project] = []
    loose: list[Project] = []
    for phrase in re.split(r"[,]", _protect(text)):
        items = [_unprotect(i).strip() for i in phrase.split("、") if i.strip()]
        for index, item in enumerate(items):
            segment = _segment(item, clause, text)
            if segment:
                out.append(segment)
                continue
            word = _corridor_word(item)
            if word:
                found = _corridors(item, word, items[:index], clause, text)
                (out if found and found[0].places else loose).extend(found)
            elif clause.sector in {"rail", "road"}:
                out += _bare_corridor(item, clause, text)
    # A corridor with no second place is kept when it is a named line (滨洲线), starts at a place
    # (上海庙…电力外送通道: hints give its far end), or when its phrase names partner provinces.
    kept = []
    for project in loose:
        head = project.name_zh
        opening = next((m for m in finder.mentions(head) if m.start == 0), None)
        if re.match(r"[\u4e00-\u9fff]{1,3}线(?!路)", head):
            kept.append(project)
        elif opening and not set(opening.provinces) <= set(finder.partners(opening.text) or ["-"]):
            project.places = [opening.text]
            kept.append(project)
        elif finder.partners(_phrase_of(head, text)) and not any(k.places == [] for k in kept):
            project.name_zh = _TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", _phrase_of(head, text)))
            kept.append(project)
    return out + kept


def _phrase_of(item: str, text: str) -> str:
    """The comma phrase of ``text`` that holds ``item``."""
    return next((_unprotect(p) for p in re.split(r"[,]", _protect(text)) if item in _unprotect(p)), item)


def _corridors(item: str, word: str, before: list[str], clause: Clause, text: str) -> list[Project]:
    kind, sector = CORRIDOR_WORDS[word]
    if clause.sector in {"rail", "road", "energy"} and kind != "pipeline":
        sector = clause.sector
    head = item[: item.rindex(word)]
    ends = _endpoints(head, before)
    if not ends:
        return [Project(name_zh=_clean_name(item), sector=sector, kind=kind, clause=clause, sentence=text,
                        places=[], linear=True)]
    joiner = "至" if "至" in head else "—"
    return [Project(name_zh=joiner.join(places) + word, sector=sector, kind=kind, clause=clause, sentence=text,
                    places=places, linear=True) for places in ends]


def _bare_corridor(item: str, clause: Clause, text: str) -> list[Project]:
    """A bare ``A至B`` in a rail or road clause is a corridor of that clause's kind (蒙西至华中)."""
    match = re.fullmatch(rf"({_PLACE})至({_PLACE})", _strip(item))
    if not match:
        return []
    kind, suffix = ("railway", "铁路") if clause.sector == "rail" else ("expressway", "公路")
    return [Project(name_zh=f"{match.group(1)}至{match.group(2)}{suffix}", sector=clause.sector, kind=kind,
                    clause=clause, sentence=text, places=[match.group(1), match.group(2)], linear=True)]


def named_in(sentence: str, clause: Clause, finder: PartnerFinder) -> list[Project]:
    """Named facilities, documents and events in ``sentence`` (not corridors)."""
    out = []
    for doc in re.findall(r"《([^《》]+)》", sentence):
        kind = next((k for w, k in DOCUMENT_KINDS.items() if re.search(rf"{w}(\(.*\))?$", doc)), "agreement")
        out.append(Project(name_zh=f"《{doc}》", sector=clause.sector, kind=_document_kind(kind, clause.sector),
                           clause=clause, sentence=sentence))
    for event in re.findall(r"“([^“”]+)”", sentence):
        event_kind = next((k for w, k in NAMED_WORDS.items() if event.endswith(w)), None)
        if event_kind:
            out.append(Project(name_zh=event, sector=clause.sector, kind=event_kind, clause=clause, sentence=sentence))
    bare = re.sub(r"《[^《》]*》|“[^“”]*”", "、", sentence)
    words = sorted(NAMED_WORDS, key=len, reverse=True)
    pattern = re.compile(rf"([\u4e00-\u9fff·\d]{{1,24}}?)({'|'.join(words)})(?=$|{_AFTER_NAME})")
    for item in _items(bare):
        for match in pattern.finditer(item):
            word = match.group(2)
            stem = _strip(match.group(1))
            parts = _CUT.split(stem)
            if parts[-1]:
                stem = parts[-1]
            elif stem.endswith("的"):
                stem = _CUT.split(stem[:-1])[-1]  # 与天津市的无水港 → 天津市无水港
            else:
                continue  # 或专业市场: the word alone, a kind of the item before it
            for name in _distribute(stem, word, finder):
                if len(name) > len(word):
                    out.append(Project(name_zh=name, sector=clause.sector, kind=NAMED_WORDS[word],
                                       clause=clause, sentence=sentence))
    return [p for p in out if not any(_canonical(p.name_zh) == _canonical(q.name_zh) for q in out[: out.index(p)])]


def status_from_text(text: str, phrases: list[tuple[str, str]]) -> tuple[str, str]:
    """The status the first matching phrase of ``phrases`` gives ``text``, with the phrase itself."""
    for phrase, status in phrases:
        if phrase in text:
            return status, phrase
    return "proposed", ""


@lru_cache(maxsize=4)
def read_status_phrases(data_dir: Path) -> list[tuple[str, str]]:
    """``data/status_phrases.csv`` in priority order: (phrase, status)."""
    with open(data_dir / "status_phrases.csv", encoding="utf-8", newline="") as fh:
        return [(row["phrase"], row["status"]) for row in csv.DictReader(fh)]


def _items(sentence: str) -> list[str]:
    """Enumerated items of a sentence, split on 、 and commas, with document titles kept whole."""
    return [_unprotect(i).strip() for i in _ENUM.split(_protect(sentence)) if i.strip()]


def _protect(text: str) -> str:
    """Hide the separators inside 《titles》, “names” and (brackets) from splitting."""
    return re.sub(r"《[^《》]*》|“[^“”]*”|\([^()]*\)", lambda m: m.group().replace("、", "\0").replace(",", "\1"), text)


def _unprotect(text: str) -> str:
    return text.replace("\0", "、").replace("\1", ",")


def _partner_phrase(text: str, finder: PartnerFinder) -> str:
    """The first comma phrase of ``text`` that names a partner, opened by its own words."""
    phrases = [_unprotect(p) for p in re.split(r"[,]", _protect(text)) if p.strip()]
    phrase = next((p for p in phrases if finder.partners(p)), phrases[0])
    return _LEAD_IN_KEEP_WITH.sub("", phrase) or phrase


def _segment(item: str, clause: Clause, sentence: str) -> Project | None:
    """``G7京新高速临河—白疙瘩段``: a segment of a numbered or named expressway."""
    dash = f"[{_DASH}]"
    match = re.search(
        rf"(?P<code>[GS]\d{{1,4}})?(?P<route>[\u4e00-\u9fff]{{1,6}}?高速(?:公路)?)"
        rf"(?:(?P<link>{_PLACE}{dash}{_PLACE})联络线)?(?P<a>{_PLACE}){dash}(?P<b>{_PLACE})段", item)
    if not match:
        return None
    start = item.find(match.group("code") or match.group("route"))
    name = item[start: match.end()]
    route = (match.group("code") or "") + match.group("route")
    return Project(name_zh=name, sector="road", kind="expressway", clause=clause, sentence=sentence,
                   places=[match.group("a"), match.group("b")], linear=True, route_name=route)


def _corridor_word(item: str) -> str | None:
    words = [w for w in CORRIDOR_WORDS if w in item]
    if not words:
        return None
    return max(words, key=lambda w: (item.rindex(w) + len(w), len(w)))


def _endpoints(head: str, before: list[str]) -> list[list[str]]:
    """Place lists of the corridors a head names: ``A—B—C`` → [[A,B,C]]; ``B至C`` after ``A`` → [[A,C],[B,C]]."""
    head = _TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", head.strip()))
    parts = [p for p in re.split(rf"[{_DASH}]", head) if p]
    if len(parts) >= 2:
        return [parts]
    if "至" in head:
        origin, _, rest = head.partition("至")
        ends = [e for e in re.split(r"及|和|与|、", _TAIL.sub("", rest)) if e]
        origins = [*_bare_places(before), origin]
        return [[o, e] for o in origins for e in ends]
    return []


def _bare_places(items: list[str]) -> list[str]:
    """Items just before a ``X至Y`` item that are bare place names (通辽、赤峰至…): they share its end."""
    out: list[str] = []
    for item in reversed(items):
        if re.fullmatch(_PLACE, item) and not _corridor_word(item) and "至" not in item:
            out.insert(0, _strip(item))
        else:
            break
    return out


def _strip(text: str) -> str:
    return _TAIL.sub("", _LEAD_IN.sub("", text.strip()))


def _clean_name(item: str) -> str:
    return _strip(item) or item


def _distribute(name: str, word: str, finder: PartnerFinder) -> list[str]:
    """``呼和浩特和乌兰浩特浙商`` + 产业园 → 呼和浩特浙商产业园 and 乌兰浩特浙商产业园; else the name whole.

    Split only at a 和/及 outside place names (呼和浩特 holds a 和).
    """
    spans = [(m.start, m.end) for m in finder.mentions(name)]
    for joint in re.finditer(r"和|及", name):
        if any(a <= joint.start() < b for a, b in spans):
            continue
        first, second = name[: joint.start()], name[joint.end():]
        if (0, len(first)) in spans:
            places = [m for m in finder.mentions(second) if m.start == 0]
            if places:
                return [first + second[places[0].end:] + word, second + word]
    return [name + word]


def _document_kind(kind: str, sector: str) -> str:
    if kind == "plan":
        return "road_network" if sector == "road" else "programme"
    return {"tourism": "tourism_agreement", "energy": "energy_agreement", "science": "science_partnership",
            "education": "education_agreement"}.get(sector, "programme")


def _programme(phrase: str, clause: Clause, text: str) -> Project:
    """A cooperation item named by the phrase that names its partners."""
    name = _TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", phrase)) or phrase
    kind = {"science": "science_partnership", "education": "education_agreement", "energy": "energy_agreement",
            "tourism": "tourism_agreement", "logistics": "logistics_programme", "aviation": "air_service",
            "industry": "investment_promotion", "road": "road_network"}.get(clause.sector, "programme")
    return Project(name_zh=name, sector=clause.sector, kind=kind, clause=clause, sentence=text, programme=True)


def _names_same(project: Project, phrase: str) -> bool:
    """Whether ``phrase`` speaks of ``project`` (its name, or its facility word, appears in it)."""
    if project.linear or project.name_zh.strip("《》“”") in phrase:
        return True
    return any(project.name_zh.endswith(w) and w in phrase for w in NAMED_WORDS)


def _canonical(name: str) -> str:
    return name.replace("工业园区", "工业园").strip("《》“”")
