"""Projects stage: clauses → the named items of the plan (corridors, facilities, programmes).

Every sentence of a clause is cut into groups of comma phrases that share their partner
provinces (``phrase_groups``), and every phrase is read for
- corridors (``geo.pipeline.corridors``: lines between places, segments of named routes, named lines);
- named things: 《documents》, “events”, and names ending in a facility word (工业园, 大学, 煤电基地,
  试点项目, 共享平台 …), each kind given by its own word;
- otherwise, when the group names partner provinces, a cooperation programme named by its phrase.
A clause that yields nothing still gives one item, so nothing the plan names is dropped.

The status of an item is read from its own words (``status_of``): a stage word of its own phrase,
else of the item-less phrases that follow it in its group (``…建设工作,力争早日建成并投入运行``),
else a verb of its own phrase, else of its group (``data/status_phrases.csv``).
Hand-written: no library parses Chinese policy enumerations into items.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.pipeline.corridors import (
    DASHES,
    LEAD_IN,
    TAIL,
    Corridor,
    corridors_in_phrase,
    expand_abbreviations,
    is_named_line,
    strip_item,
    unknown_corridors,
    unknown_kind_words,
)
from geo.pipeline.partners import PartnerFinder
from geo.pipeline.plan import Clause, Plan

# Facility, event and programme words → kind; names are the run of text before the word.
NAMED_WORDS: dict[str, str] = {
    "工业园区": "industrial_park", "工业园": "industrial_park", "产业园区": "industrial_park", "产业园": "industrial_park",
    "经济技术开发区": "industrial_park", "高新技术产业开发区": "industrial_park", "经济开发区": "industrial_park",
    "合作区": "industrial_park", "高新区": "industrial_park",
    "承接产业转移示范区": "transfer_zone",
    "煤电基地": "coal_power_base", "煤化工基地": "coal_chemical_base",
    "大学": "university", "学院": "university",
    "无水港": "dry_port", "港口物流园区": "logistics_park", "物流园区": "logistics_park", "综合保税区": "logistics_park",
    "保税物流中心": "logistics_park", "国际机场": "airport", "机场": "airport", "口岸": "port", "港区": "port",
    "销售专区": "sales_zone", "专业市场": "market", "产品市场": "market",
    "展洽会": "fair", "博览会": "fair", "商品大集": "fair", "交易会": "fair", "活动周": "event", "论坛": "event",
    "旅游圈": "tourism_circle", "旅游带": "tourism_circle", "跨境旅游线路": "tourism_circle",
    "开发开放试验区": "industrial_park",
    "运输联盟": "alliance", "试点项目": "pilot_project", "共享平台": "platform", "服务平台": "platform",
    "换流站": "substation", "变电站": "substation",
}
#: Kinds that belong to one sector whatever the heading they are listed under (口岸和航空).
KIND_SECTORS: dict[str, str] = {"port": "logistics", "airport": "aviation"}
# Words in a 《title》 → kind of the document.
DOCUMENT_KINDS: dict[str, str] = {
    "协议": "agreement", "宣言": "agreement", "备忘录": "agreement", "规划": "plan_document", "方案": "plan_document",
    "纲要": "plan_document", "意见": "plan_document",
}
# Head nouns of a programme's own phrase → kind (the last one in the phrase decides).
PROGRAMME_WORDS: dict[str, str] = {
    "协议": "agreement", "宣言": "agreement", "合作": "partnership", "航线": "air_service", "运力": "air_service",
    "航班": "air_service", "推介": "investment_promotion", "招商": "investment_promotion",
}
# What may follow a facility word for it to end a name (鄂尔多斯江苏工业园、 / …工业园等 / …工业园建设).
_AFTER_NAME = r"等|建设|建成|合作|活动|筹备|会员|或|的|、|,|。|;|改扩建|扩建|项目|基础设施|与|加强|开通"
# Verbs after which a name begins (…企业加入环渤海甩挂运输联盟, 在京津两地设立…销售专区).
_CUT = re.compile(r"加入|设立|举办|建立|融入|共建|签订|做好|或|的|把|启动|推进|建设|组建|支持|与|在")
# The lead-in of a programme's phrase without 与/我区, which read better kept (与东三省的科技合作).
_LEAD_IN_KEEP_WITH = re.compile(r"^(?:(?:继续|积极|协调|重点|共同|加快|进一步|跟踪|努力|着力|大力|全力|推动|推进|落实|"
                                r"依托|围绕|实施|开展|加强|深化|探索|打造|融入|推进落实|办好)+)")
_SENTENCES = re.compile(r"(?<=[。;])")
# Verbs and prepositions after which a named thing begins when a sentence runs into its name.
_SENTENCE_WORDS = re.compile(r"(?:参加|举办|建设|开展|推进|推动|组织|实施|启动|设立|配合|做好|加快|争取|"
                             r"促进|支持|筹建|新建|扩建|在(?=[\u4e00-\u9fff]{2}))")
# What a plan wants done with a named thing, after its name (…口岸正式开放, …前期研究, …试行…模式).
_OUTCOME = re.compile(r"(?:正式开放|常年开放|全面开放|对外开放|开放|前期研究|研究|试行.*)$")
# A line "named" after a body that the sentence names (由沈阳铁路局集团公司牵头, 中国铁路…集团有限公司).
_ORGANISATION = re.compile(r"(?:公司|集团|局|委员会|委|厅|办公室|政府|公署)$|牵头|负责|配合")
# What a named thing's name ends with (a cut that leaves anything else is not made).
_THING = re.compile(r"(?:口岸|桥|博览会|展会|合作区|开发区|试验区|园区|机场|港|铁路|公路|航线|大学|学院|基地)$")
# Name endings that decide the kind once the sentence is cut away.
_NAME_KINDS = (("大桥", "bridge"), ("公路桥", "bridge"), ("铁路桥", "bridge"), ("口岸", "port"),
               ("博览会", "fair"), ("机场", "airport"))
_COUNT = r"(?:两个|两大|三个|三大|四个|四大|[一二三四五六七八九十]+个)"


@dataclass
class Project:
    """One named item of the plan, before geocoding."""

    name_zh: str
    sector: str
    kind: str
    clause: Clause
    sentence: str
    wording: str = ""
    own_phrase: str = ""  # the wording when it names this item alone (not one of a list)
    places: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    context_partners: list[str] = field(default_factory=list)
    status: str = "proposed"
    status_source: str = ""
    target: str | None = None  # the status the plan sets as the year's target (力争早日建成 → operating)
    target_phrase: str = ""
    linear: bool = False
    route_name: str | None = None
    programme: bool = False

    @property
    def key(self) -> str:
        """What makes two mentions the same item (a corridor named twice in one plan)."""
        if self.linear and len(self.places) >= 2:
            return f"{self.kind}:{self.places[0]}:{self.places[-1]}"
        return f"{self.kind}:{canonical_name(self.name_zh)}"


@dataclass(frozen=True)
class StatusPhrase:
    """A phrase of ``data/status_phrases.csv``: ``stage`` words reach the items before them.

    A phrase written ``re:<pattern>`` is a regular expression (``re:加快.{0,40}建设``).
    """

    phrase: str
    status: str
    reach: str

    def search(self, text: str) -> str | None:
        """The words of ``text`` this phrase finds, or None."""
        if self.phrase.startswith("re:"):
            match = re.search(self.phrase[3:], text)
            return match.group() if match else None
        return self.phrase if self.phrase in text else None


def projects_from_plan(plan: Plan, finder: PartnerFinder, *, data_dir: Path | None = None) -> list[Project]:
    """Every item of every clause, deduplicated within the plan, in plan order."""
    phrases = read_status_phrases(data_dir or settings.DATA_DIR)
    seen: dict[str, Project] = {}
    for clause in plan.clauses:
        clause.partners = finder.partners(clause.body)
        for project in projects_from_clause(clause, finder, phrases, read_targets(data_dir or settings.DATA_DIR)):
            seen.setdefault(tidied(project).key, project)
    return list(seen.values())


def tidied(project: Project) -> Project:
    """A named item whose name still carries its sentence, cut to the thing it names.

    ``组织我区企业参加乌兰巴托国际贸易博览会`` → ``乌兰巴托国际贸易博览会``, ``建设额布都格口岸…公路桥`` →
    ``额布都格口岸…公路桥`` (a bridge), ``阿尔山口岸正式开放`` → ``阿尔山口岸`` (a port). Lines, 《documents》
    and short names are left as they are; the cut keeps at least four characters.
    """
    name = project.name_zh
    if (project.linear and len(project.places) >= 2) or name.startswith("《") or len(name) < 5:
        return project
    cuts = [m.end() for m in _SENTENCE_WORDS.finditer(name) if len(name) - m.end() >= 4]
    name = name[cuts[-1]:] if cuts else name
    name = TAIL.sub("", _OUTCOME.sub("", name)) or name
    if name != project.name_zh and _THING.search(name):
        project.name_zh = name
        project.kind = next((k for w, k in _NAME_KINDS if name.endswith(w)), project.kind)
    return project


def unknown_kinds_in_plan(plan: Plan) -> list[tuple[str, str]]:
    """(clause number, word) for every ``A至B<word>`` whose word names no known corridor kind."""
    return [(c.number, w) for c in plan.clauses for p in _phrases(c.body) for w in unknown_kind_words(p)]


def projects_from_clause(clause: Clause, finder: PartnerFinder, phrases: list[StatusPhrase],
                         targets: list[StatusPhrase] | None = None) -> list[Project]:
    """The items of one clause; one clause-level item when no sentence names anything."""
    targets = targets if targets is not None else read_targets(settings.DATA_DIR)
    out: list[Project] = []
    for sentence in filter(None, (s.strip() for s in _SENTENCES.split(expand_abbreviations(clause.body)))):
        for group in phrase_groups(sentence, finder):
            out += _projects_of_group(group, sentence, clause, finder, phrases, targets)
    if not out and clause.noted:  # a paragraph of an agreement that names nothing is no item
        first = next(s for s in _SENTENCES.split(clause.body) if s.strip())
        project = _programme(re.split(r"[,;。]", first)[0], clause, first)
        project.status, project.status_source = status_of(0, [first], [[project]], phrases)
        project.target, project.target_phrase = target_of(0, [first], [[project]], targets)
        out.append(project)
    return out


def phrase_groups(sentence: str, finder: PartnerFinder) -> list[str]:
    """A sentence cut at commas into groups that each begin with the phrase naming their partners.

    ``落实与天津、山东…的能源合作协议,继续与北京、湖北…对接…,力争达成合作协议`` → two groups, so that
    each cooperation gets its own partners and its own verbs. Phrases before the first partner
    phrase belong to the first group.
    """
    groups: list[list[str]] = []
    for phrase in _phrases(sentence):
        named = set(finder.partners(phrase))
        held = {p for g in groups[-1:] for q in g for p in finder.partners(q)}
        if not groups or (named and held and not named <= held):
            groups.append([phrase])
        else:
            groups[-1].append(phrase)
    return [",".join(g) for g in groups]


def items_in_phrase(phrase: str, clause: Clause, finder: PartnerFinder, sentence: str) -> list[Project]:
    """Corridors and named things of one comma phrase."""
    spans = lambda text: [(m.start, m.end) for m in finder.mentions(text)]  # noqa: E731
    found = corridors_in_phrase(phrase, sector=clause.sector, place_spans=spans)
    out = [_from_corridor(c, clause, sentence, phrase) for c in found]
    out += named_in(phrase, clause, finder)
    if not out:  # a line of a kind no table knows: kept on its ends, and listed in the build report
        out = [Project(name_zh=name, sector=clause.sector, kind="programme", clause=clause, sentence=sentence,
                       places=ends) for name, ends, _ in unknown_corridors(phrase)]
    kept = [p for p in out if (p.places or not p.linear or _keep_loose(p, phrase, finder))
            and not (p.linear and _ORGANISATION.search(p.name_zh))]
    for project in kept:
        project.wording = phrase
        project.own_phrase = phrase if len(kept) == 1 else ""
    return kept


def named_in(phrase: str, clause: Clause, finder: PartnerFinder) -> list[Project]:
    """Named facilities, documents and events in ``phrase`` (not corridors)."""
    out = []
    for doc in _documents(phrase):
        kind = next((k for w, k in DOCUMENT_KINDS.items() if re.search(rf"{w}(\(.*\))?$", doc)), "agreement")
        out.append(Project(name_zh=f"《{doc}》", sector=clause.sector, kind=kind, clause=clause, sentence=phrase))
    for event in re.findall(r"“([^“”]+)”", phrase):
        event_kind = next((k for w, k in NAMED_WORDS.items() if event.endswith(w)), None)
        if event_kind:
            out.append(Project(name_zh=event, sector=clause.sector, kind=event_kind, clause=clause, sentence=phrase))
    bare = re.sub(r"《[^《》]*》|“[^“”]*”", "、", phrase)
    words = sorted(NAMED_WORDS, key=len, reverse=True)
    pattern = re.compile(rf"({_COUNT}?[\u4e00-\u9fff·\d{DASHES}]{{0,24}}?)({'|'.join(words)})(?=$|{_AFTER_NAME})")
    pending: list[str] = []
    for item in _items(bare):
        matches = list(pattern.finditer(item))
        for match in matches:
            named = _named(match.group(1), match.group(2), clause, phrase, finder)
            out += _sharing_word(pending, named, match.group(2), clause, phrase)
            out += named
        pending = [] if matches else [*pending, item]
    return [p for p in out if not any(canonical_name(p.name_zh) == canonical_name(q.name_zh) for q in out[: out.index(p)])]


def _documents(phrase: str) -> list[str]:
    """The 《titles》 of ``phrase`` that are items, not references: 按照《…规划》 cites a plan already issued."""
    return [m.group(1) for m in re.finditer(r"《([^《》]+)》", phrase)
            if not re.search(r"(?:按照|根据|依据|依照|对照|贯彻)$", phrase[: m.start()])]


def status_of(index: int, phrases: list[str], items: list[list[Project]], table: list[StatusPhrase], *,
              programme: bool = False) -> tuple[str, str]:
    """The status of an item named in ``phrases[index]``, read from its own words; with the phrase used.

    ``items[i]`` are the items named in ``phrases[i]``. A stage word of the item's own phrase
    decides; else one of the following phrases that name no item of their own (for a programme,
    which its whole group describes, the item-less phrases before it too); else a verb of the own
    phrase, then of the nearest phrase before it, then after it; else ``proposed``.
    """
    stages = [p for p in table if p.reach == "stage"]
    verbs = [p for p in table if p.reach != "stage"]
    span = range(len(phrases)) if programme else range(index + 1, len(phrases))
    following = [phrases[i] for i in span if i != index and not items[i]]
    nearest = [phrases[index], *reversed(phrases[:index]), *phrases[index + 1:]]
    for texts, candidates in (([phrases[index]], stages), (following, stages), (nearest, verbs)):
        for text in texts:
            for candidate in candidates:
                found = candidate.search(text)
                if found:
                    return candidate.status, found
    return "proposed", ""


def programme_kind(index: int, phrases: list[str], items: list[list[Project]]) -> str | None:
    """The kind a programme's own words give (协议 → agreement …): its phrase, then the following
    phrases that name no item (…对接…需求市场,力争达成合作协议 → agreement)."""
    following = [phrases[i] for i in range(index + 1, len(phrases)) if not items[i]]
    for text in [phrases[index], *following]:
        name = TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", text))
        positions = [(name.rfind(w), w) for w in PROGRAMME_WORDS if w in name]
        if positions:
            return PROGRAMME_WORDS[max(positions)[1]]
    return None


def target_of(index: int, phrases: list[str], items: list[list[Project]],
              targets: list[StatusPhrase]) -> tuple[str | None, str]:
    """The target the plan sets an item (``data/targets.csv``): in its own phrase, else in the
    item-less phrases after it (…建设工作,力争早日建成并投入运行); (None, "") when it sets none."""
    following = [phrases[i] for i in range(index + 1, len(phrases)) if not items[i]]
    for text in [phrases[index], *following]:
        for target in targets:
            found = target.search(text)
            if found:
                return target.status, found
    return None, ""


@lru_cache(maxsize=4)
def read_targets(data_dir: Path) -> list[StatusPhrase]:
    """``data/targets.csv`` in priority order: the plan's words that set a target, and the target status."""
    with open(data_dir / "targets.csv", encoding="utf-8", newline="") as fh:
        return [StatusPhrase(row["phrase"], row["target"], "stage") for row in csv.DictReader(fh)]


@lru_cache(maxsize=4)
def read_status_phrases(data_dir: Path) -> list[StatusPhrase]:
    """``data/status_phrases.csv`` in priority order."""
    with open(data_dir / "status_phrases.csv", encoding="utf-8", newline="") as fh:
        return [StatusPhrase(row["phrase"], row["status"], row.get("reach") or "verb") for row in csv.DictReader(fh)]


def canonical_name(name: str) -> str:
    """A name without the variations that do not change the item (工业园区 = 工业园, quotes)."""
    return name.replace("工业园区", "工业园").strip("《》“”")


# --- helpers -----------------------------------------------------------------------------


def _projects_of_group(group: str, sentence: str, clause: Clause, finder: PartnerFinder,
                       table: list[StatusPhrase], targets: list[StatusPhrase]) -> list[Project]:
    phrases = _phrases(group)
    items = [items_in_phrase(p, clause, finder, sentence) for p in phrases]
    found = [p for row in items for p in row]
    partner_phrase = _partner_phrase(phrases, finder)
    if clause.noted and partner_phrase is not None and (not found or (
            "合作" in phrases[partner_phrase] and not any(_names_same(p, phrases[partner_phrase]) for p in found))):
        programme = _programme(phrases[partner_phrase], clause, group)
        programme.wording = programme.own_phrase = phrases[partner_phrase]
        programme.kind = programme_kind(partner_phrase, phrases, items) or programme.kind
        items[partner_phrase].append(programme)
    out = []
    for index, row in enumerate(items):
        for project in row:
            project.status, project.status_source = status_of(index, phrases, items, table,
                                                              programme=project.programme)
            project.target, project.target_phrase = target_of(index, phrases, items, targets)
            project.partners = finder.partners(project.name_zh)
            project.context_partners = finder.partners(group)
            project.sentence = sentence
            out.append(project)
    return out


def _phrases(text: str) -> list[str]:
    """Comma phrases of ``text``, with the commas inside 《titles》, “names” and (brackets) kept."""
    # A tab separates the cells of a table row (a Word file's or PDF's table); a cell that is only a
    # row number is no phrase.
    phrases = [_unprotect(p).strip() for p in re.split(r"[,\t]", _protect(text))]
    return [p for p in phrases if p and not re.fullmatch(r"\d{1,3}[.、]?", p)]


def _from_corridor(corridor: Corridor, clause: Clause, sentence: str, phrase: str) -> Project:
    return Project(name_zh=corridor.name_zh, sector=corridor.sector, kind=corridor.kind, clause=clause,
                   sentence=sentence, wording=phrase, places=list(corridor.places), linear=True,
                   route_name=corridor.route_name)


def _keep_loose(project: Project, phrase: str, finder: PartnerFinder) -> bool:
    """A corridor with no second place is kept when it is a named line (滨洲线), starts at a place
    (上海庙…电力外送通道), or when its phrase names partner provinces (我区至山东…)."""
    head = project.name_zh
    place = next((m for m in finder.mentions(head) if not set(m.provinces) <= set(finder.partners(m.text) or ["-"])), None)
    if place:  # a line from one place of the home region (上海庙…电力外送通道, 锡盟外送电通道)
        project.places = [place.text]
        return True
    if is_named_line(head):
        return True
    if finder.partners(phrase):
        project.name_zh = TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", phrase))
        return True
    return False


def _named(stem: str, word: str, clause: Clause, phrase: str, finder: PartnerFinder) -> list[Project]:
    count = re.match(_COUNT, stem)
    stem = stem[count.end():] if count else stem
    stem = strip_item(LEAD_IN.sub("", stem)).removeprefix("与")  # 与天津市的无水港 → 天津市无水港
    parts = _CUT.split(stem)
    if parts[-1]:
        stem = parts[-1]
    elif stem.endswith("的"):
        stem = _CUT.split(stem[:-1])[-1]  # 与天津市的无水港 → 天津市无水港
    elif not count:
        return []  # 或专业市场: the word alone, a kind of the item before it
    prefix = count.group() if count else ""
    names = [prefix + stem + word] if prefix else _distribute(stem, word, finder)
    if len(names) == 1 and not prefix:
        names = [_after_joint(stem, finder) + word]
    return [Project(name_zh=n, sector=KIND_SECTORS.get(NAMED_WORDS[word], clause.sector),
                    kind=NAMED_WORDS[word], clause=clause, sentence=phrase)
            for n in names if len(n) > len(word)]


# Words between a place and a named word that several places share (策克、甘其毛都边境经济合作区).
_QUALIFIER = re.compile("国家|边境|跨境|综合|国际")


def _sharing_word(pending: list[str], named: list[Project], word: str, clause: Clause, phrase: str) -> list[Project]:
    """``二连浩特、满洲里、策克口岸``: bare place names before a named place take its word (one port each)."""
    short = re.compile(r"[\u4e00-\u9fff]{2,6}")
    if len(named) != 1:
        return []
    stem = named[0].name_zh.removesuffix(word)
    qualifier = _QUALIFIER.search(stem, 2)  # 甘其毛都|边境经济合作区: the words the places share
    place, shared = (stem[: qualifier.start()], stem[qualifier.start():] + word) if qualifier else (stem, word)
    if not short.fullmatch(place):
        return []
    stems = [strip_item(LEAD_IN.sub("", i)) for i in pending]
    if not stems or not all(short.fullmatch(s) for s in stems):
        return []
    return [Project(name_zh=s + shared, sector=KIND_SECTORS.get(NAMED_WORDS[word], clause.sector),
                    kind=NAMED_WORDS[word], clause=clause, sentence=phrase)
            for s in stems]


def _items(text: str) -> list[str]:
    """Enumerated items of a phrase, split on 、, with document titles kept whole."""
    return [_unprotect(i).strip() for i in re.split(r"[、,]", _protect(text)) if i.strip()]


def _protect(text: str) -> str:
    """Hide the separators inside 《titles》, “names” and (brackets) from splitting."""
    return re.sub(r"《[^《》]*》|“[^“”]*”|\([^()]*\)", lambda m: m.group().replace("、", "\0").replace(",", "\1"), text)


def _unprotect(text: str) -> str:
    return text.replace("\0", "、").replace("\1", ",")


def _partner_phrase(phrases: list[str], finder: PartnerFinder) -> int | None:
    """Index of the first phrase that names a partner province, or None."""
    return next((i for i, p in enumerate(phrases) if finder.partners(p)), None)


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


def _after_joint(name: str, finder: PartnerFinder) -> str:
    """The part of ``name`` after its last 和/及 outside place names: 组建联合体和检验检测…平台 names two
    things, and the facility word belongs to the second."""
    spans = [(m.start, m.end) for m in finder.mentions(name)]
    joints = [j.end() for j in re.finditer(r"和|及", name) if not any(a <= j.start() < b for a, b in spans)]
    return name[joints[-1]:] if joints and joints[-1] < len(name) else name


def _programme(phrase: str, clause: Clause, text: str) -> Project:
    """A cooperation item named by the phrase that names its partners; its kind from its own words."""
    name = TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", phrase)) or phrase
    kind = "programme"
    positions = [(name.rfind(w), w) for w in PROGRAMME_WORDS if w in name]
    if positions:
        kind = PROGRAMME_WORDS[max(positions)[1]]
    return Project(name_zh=name, sector=clause.sector, kind=kind, clause=clause, sentence=text, wording=phrase,
                   programme=True)


def _names_same(project: Project, phrase: str) -> bool:
    """Whether ``phrase`` speaks of ``project`` (its name, its facility word, or the phrase's
    cooperation is the subject of the project's document: 京蒙科技合作 ↔ 《京蒙科技合作框架协议》)."""
    name = project.name_zh.strip("《》“”")
    if project.linear or name in phrase:
        return True
    subject = TAIL.sub("", _LEAD_IN_KEEP_WITH.sub("", phrase))
    if subject and subject in name:
        return True
    return any(project.name_zh.endswith(w) and w in phrase for w in NAMED_WORDS)
