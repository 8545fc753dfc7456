"""Corridor grammar: the phrases of a plan that name a line between places.

Takes one comma phrase of a clause and gives the corridors it names, each with its ends as the
plan writes them:
- ``A—B<kind>``, ``A—B—C<kind>``, ``A至B<kind>``, ``A至B至C<kind>``, ``A、B至C<kind>`` (two lines
  sharing an end), ``A至B及C<kind>`` (two lines sharing a start);
- segments of numbered or named routes: ``G7京新高速临河—白疙瘩段``, ``G55二广高速公路二连浩特至
  赛汉塔拉段``, ``国道G110线呼和浩特至包头段一级公路``, ``长深高速公路新民—鲁北联络线通辽—鲁北段``;
- named lines without written ends (``滨洲线电气化改造``, ``中俄东线天然气管道``): kept with no
  places, so they are listed and placed on their provinces unless a cited source gives the route.
Specifications between the ends and the kind word (``±800千伏特高压直流``, ``煤制天然气外输``) are
kept in the name and dropped from the ends. ``A至B`` followed by a word this grammar does not know
is returned by ``unknown_kind_words`` so the build report can list it.
Hand-written: no library parses Chinese infrastructure enumerations.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo import settings

#: A regex class body: the dashes copies carry between places (em, en, figure and horizontal bar,
#: full-width and ASCII hyphen, box-drawing line, tildes).
DASHES = r"—–‒―‐－─\-~～"
#: A place name as a plan writes it (two to twelve ideographs, the middle dot of 北京·内蒙古).
PLACE = r"[\u4e00-\u9fff·]{2,12}?"
#: Kind words that end a corridor → (kind, sector), from ``data/corridor_words.csv`` (a new word is a
#: row there). The word ending last (then the longest) decides.
CORRIDOR_WORDS: dict[str, tuple[str, str]] = {}
#: Words that may stand between a line's ends and its kind word; they describe, they are not places.
_SPEC = re.compile(r"(?:±?\d+(?:千伏|kV|KV)|特高压|超高压|直流|交流|双回|同塔|煤制天然气|煤制气|外输|外送|输电|"
                   r"天然气|原油|成品油|电力|铁路|高速公路|高速|高铁|跨境|国际|口岸|界河|黄河|长江|的)+$")
# 一 (the numeral) where a copy's OCR read a dash between two places: not in a word of its own
# (进一步, 统一, 一级, 一体化, 三市一省 …).
_OCR_DASH = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![进第统唯同之逐万每单专合划])"
                       r"(?<![一二三四五六七八九十两几][\u4e00-\u9fff])一"
                       r"(?![级期体批起流站年个致线路带是并道把次些律定般直系揽号])(?=[\u4e00-\u9fff]{2})")
# 呼(和浩特)鄂(尔多斯): places abbreviated to one character, their rest in brackets.
_ABBREVIATED = re.compile(r"(?:[\u4e00-\u9fff]\([\u4e00-\u9fff]{1,6}\)){2,}")
_ABBREVIATION = re.compile(r"([\u4e00-\u9fff])\(([\u4e00-\u9fff]{1,6})\)")
_CODE = re.compile(r"^[GS]\d{1,4}线?")
_LEAD_VERBS = ("继续|积极|协调|重点|共同|加快|进一步|跟踪|努力|着力|大力|全力|推动|推进|落实|依托|围绕|实施|"
               "开展|加强|深化|探索|打造|融入|办好|新开工|开工|建设|续建|启动|完成|力争|争取|谋划|规划|研究|改造|"
               "改扩建|扩建|新建|甲乙双方|双方|两省|两区|支持|开通|以下|做好|关于|还将|将|打通|抓紧|尽快|加紧|全面|并")
LEAD_IN = re.compile(rf"^(?:(?:{_LEAD_VERBS})+)")
# Words of a clause's sentence that can stand right before a line's first end when the sentence runs
# into the item (督促施工单位加快赤峰至喀左…, 配合蒙方做好西伯库伦至…, 同意共同向国家铁路集团争取将锦州至…).
_CLAUSE_WORDS = re.compile(f"(?:{_LEAD_VERBS}|督促|提升|加密|开行|配合|同意|同步|参加|组织|促进|在|向|与|由|把|对|为|是)")
TAIL = re.compile(r"(?:[。;]|等项目|等园区|等地区|等地|等|的|建设工作|前期工作|建设|工作|项目|工程)+$")
# What a plan wants done to a line, written after its last end (…至康平段改扩建): not part of the place.
_UPGRADE = re.compile(r"段?(?:改扩建|升级改造|扩能改造|扩容改造|电气化改造)$")
_ROUTE_CODE = r"[GS]\d{1,4}"
_SEGMENT = re.compile(
    rf"(?P<code>{_ROUTE_CODE})?(?P<route>国道|省道|[\u4e00-\u9fff]{{1,6}}?高速(?:公路)?)?(?P<code2>{_ROUTE_CODE})?线?"
    rf"(?:(?P<link>{PLACE}[{DASHES}至]{PLACE})联络线)?(?P<a>{PLACE})[{DASHES}至](?P<b>{PLACE})段"
    r"(?P<kind>一级公路|二级公路|高速公路)?")
#: A function giving the (start, end) spans of place names in a text.
PlaceSpans = Callable[[str], list[tuple[int, int]]]
_NAMED_LINE = re.compile(r"^[\u4e00-\u9fff]{1,4}线(?!路)")


@dataclass
class Corridor:
    """A line the plan names: its name as written, kind, sector and ends (empty for a named line)."""

    name_zh: str
    kind: str
    sector: str
    places: list[str] = field(default_factory=list)
    route_name: str | None = None


def corridors_in_phrase(phrase: str, *, sector: str, place_spans: PlaceSpans | None = None) -> list[Corridor]:
    """Corridors of one comma phrase (items separated by 、), with the clause's ``sector``.

    ``place_spans`` gives the (start, end) of place names in a text, so that a conjunction inside
    a name (the 和 of 呼和浩特) never splits it.
    """
    spans = place_spans or (lambda text: [])
    items = corridor_items(phrase, spans)
    out: list[Corridor] = []
    for index, item in enumerate(items):
        segment = segment_of(item)
        if segment:
            out.append(segment)
            continue
        bare = re.sub(r"(?<=[\u4e00-\u9fff])\([^()]*\)", "", item)  # …至黄骅港铁路(朔黄铁路): its short name
        item = bare if corridor_word(bare) else item
        word = corridor_word(item)
        shared = None if word else _shared_kind(item, items[index + 1:], pairs=sector not in {"rail", "road"})
        if shared:
            item, word = item + shared, corridor_word(item + shared)
        if word:
            out += _corridors(item, word, items[:index], sector, spans)
        elif sector in {"rail", "road"}:
            out += _bare_corridor(item, sector, spans)
    return out


def corridor_items(phrase: str, spans: PlaceSpans | None = None) -> list[str]:
    """The items of a phrase that may each name a corridor.

    Items are separated by 、 and by 和/及 after a kind word (…跨境公路和黑山头一…大桥); a heading
    before a colon (东部地区:…) is no item; an OCR 一 between places reads as a dash.
    """
    spans = spans or (lambda text: [])
    text = ocr_dash(re.split(r"[:]", phrase)[-1])
    items: list[str] = []
    for part in text.split("、"):
        items += _split_after_kind(part.strip(), spans)
    return [i for i in items if i]


def ocr_dash(text: str) -> str:
    """``二连浩特一扎门乌德`` → ``二连浩特—扎门乌德``: the numeral 一 standing for a dash between places."""
    return _OCR_DASH.sub("—", text) if corridor_word(text) or re.search(r"段|至|口岸", text) else text


def expand_abbreviations(text: str) -> str:
    """``呼(和浩特)鄂(尔多斯)城际铁路`` → ``呼和浩特—鄂尔多斯城际铁路``."""
    return _ABBREVIATED.sub(lambda m: "—".join(a + b for a, b in _ABBREVIATION.findall(m.group())), text)


def segment_of(item: str) -> Corridor | None:
    """``G7京新高速临河—白疙瘩段``: a segment of a numbered or named road, or None."""
    match = _SEGMENT.search(item)
    if not match or not (match.group("code") or match.group("route") or match.group("code2")):
        return None
    start = min(match.start(g) for g in ("code", "route", "code2") if match.group(g))
    name = item[start: match.end()]
    route = "".join(match.group(g) or "" for g in ("code", "route", "code2"))
    express = "高速" in (match.group("route") or "") or match.group("kind") == "高速公路"
    return Corridor(name_zh=name, kind="expressway" if express else "road", sector="road",
                    places=[_end(match.group("a")), _end(match.group("b"))], route_name=route)


def corridor_word(item: str) -> str | None:
    """The kind word that ends the corridor named in ``item``, or None."""
    words = [w for w in CORRIDOR_WORDS if w in item]
    if not words:
        return None
    return max(words, key=lambda w: (item.rindex(w) + len(w), len(w)))


def unknown_kind_words(phrase: str) -> list[str]:
    """``A至B<word>`` or ``A—B<word>`` whose word is no corridor kind: the words, for the build report."""
    return [word for _, _, word in unknown_corridors(phrase)]


def unknown_corridors(phrase: str) -> list[tuple[str, list[str], str]]:
    """(name, ends, word) of every ``A至B<word>`` in ``phrase`` whose word is no known corridor kind."""
    out = []
    for item in re.split(r"[、,。;]", phrase):
        item = ocr_dash(strip_item(re.split(r"[:]", item)[-1]))
        if corridor_word(item) or segment_of(item):
            continue
        match = re.fullmatch(rf"({PLACE})[{DASHES}至]({PLACE})([\u4e00-\u9fff]{{1,4}}?(?:线|道|网|通道|工程))", item)
        if match:
            out.append((item, [match.group(1), match.group(2)], match.group(3)))
    return out


def strip_item(text: str) -> str:
    """An enumeration item without its lead-in verbs and trailing fillers."""
    return TAIL.sub("", LEAD_IN.sub("", text.strip()))


def _corridors(item: str, word: str, before: list[str], sector: str, spans: PlaceSpans) -> list[Corridor]:
    kind, word_sector = CORRIDOR_WORDS[word]
    if word == "联络线" and sector == "road":
        kind, word_sector = "road", "road"
    if sector in {"rail", "road", "energy"} and kind not in {"pipeline", "power_line"}:
        word_sector = sector
    head = strip_item(item[: item.rindex(word)])
    code = _CODE.match(head)
    head = head[code.end():] if code else head
    spec_match = _SPEC.search(head)
    spec = spec_match.group() if spec_match else ""
    ends = _endpoints(_bare_ends(head[: len(head) - len(spec)]), before, spans)
    if not ends:
        name = strip_item(item) or item
        return [Corridor(name_zh=name, kind=kind, sector=word_sector, route_name=code.group() if code else None)]
    joiner = "至" if re.search("至|到", head) else "—"
    prefix = code.group() if code else ""
    if "经" in head and len(ends) == 1:  # 包头经鄂尔多斯至榆林段铁路: the via-places as written
        written = head[max(head.find(ends[0][0]), 0):]
        return [Corridor(name_zh=prefix + written + word, kind=kind, sector=word_sector, places=ends[0])]
    return [Corridor(name_zh=prefix + joiner.join(places) + spec.removesuffix("的") + word, kind=kind,
                     sector=word_sector, places=places) for places in ends]


def _bare_corridor(item: str, sector: str, spans: PlaceSpans) -> list[Corridor]:
    """A bare ``A至B`` in a rail or road clause is a corridor of that clause's kind (蒙西至华中)."""
    match = re.fullmatch(rf"(.{{2,}}?)至({PLACE})", _bare_ends(strip_item(item)))
    if match:
        match = re.fullmatch(rf"({PLACE})至({PLACE})", first_end(match.group(1), spans) + "至" + match.group(2))
    if not match or unknown_kind_words(item):
        return []
    kind, suffix = ("railway", "铁路") if sector == "rail" else ("road", "公路")
    if match.group(2).endswith(suffix):  # 准格尔至朔州铁路 in a rail clause: the word is written already
        return []
    return [Corridor(name_zh=f"{match.group(1)}至{match.group(2)}{suffix}", kind=kind, sector=sector,
                     places=[match.group(1), match.group(2)])]


def _endpoints(head: str, before: list[str], spans: PlaceSpans) -> list[list[str]]:
    """Place lists of the corridors a head names: ``A—B—C`` → [[A,B,C]]; ``B至C`` after ``A`` → [[A,C],[B,C]]."""
    head = strip_item(head)
    parts = [_end(p) for p in re.split(rf"[{DASHES}]", head) if p]
    if len(parts) >= 2:
        return [_trimmed([v for p in parts for v in _via(p, spans)], spans)]
    if not re.search("至|到", head):
        return []
    stops = _trimmed([v for s in re.split("至|到", head) for v in _via(_end(s), spans)], spans)
    *path, last = stops
    if len(path) >= 2:
        return [[*path, last]]
    ends = _split_outside(_UPGRADE.sub("", TAIL.sub("", last)), spans)
    origins = [*_bare_places(before), path[0]]
    return [[o, e] for o in origins for e in ends if o]


def _trimmed(stops: list[str], spans: PlaceSpans) -> list[str]:
    return [first_end(stops[0], spans), *stops[1:]] if stops else stops


def first_end(stop: str, spans: PlaceSpans) -> str:
    """The first end of a line whose sentence runs into it: the known place the text ends with
    (内蒙古自治区加快通辽 → 通辽), else what follows the sentence's last verb or preposition
    (配合蒙方做好西伯库伦 → 西伯库伦); a name four characters or shorter stays as written."""
    ending = [a for a, b in spans(stop) if b == len(stop)]
    if ending:
        return stop[min(ending):]
    if len(stop) <= 4:
        return stop
    cuts = [m.end() for m in _CLAUSE_WORDS.finditer(stop) if len(stop) - m.end() >= 2]
    return stop[cuts[-1]:] if cuts else stop


def _bare_ends(head: str) -> str:
    """The ends of a head without a closing 段 (…至榆林段) or 等… (偏关至准格尔旗等省际出口: "and others")."""
    return re.sub(r"(?<=[\u4e00-\u9fff]{2})(?:段|等[\u4e00-\u9fff]*)$", "", _UPGRADE.sub("", head))


def _via(stop: str, spans: PlaceSpans) -> list[str]:
    """``包头经鄂尔多斯`` → [包头, 鄂尔多斯]: a stop and the places a line runs through (经 outside a place name)."""
    inside = spans(stop)
    cuts = [m.start() for m in re.finditer("经", stop) if not any(a <= m.start() < b for a, b in inside)
            and m.start() >= 2 and len(stop) - m.start() > 2]
    bounds = [0, *cuts, len(stop)]
    return [_end(stop[a + (1 if a in cuts else 0): b]) for a, b in zip(bounds, bounds[1:])]


def _shared_kind(item: str, after: list[str], *, pairs: bool = False) -> str | None:
    """The kind words a bare ``A—B`` takes from the next item of its list (策克一西伯库伦、甘其毛都一…跨境铁路).

    A dashed pair, or outside rail and road clauses an ``A至B`` pair: there a bare ``A至B`` is a line of the clause's own kind
    (蒙西至华中、…、白音华至锦州复线: the second track is the last item's alone).
    """
    joined = rf"[{DASHES}至]" if pairs else rf"[{DASHES}]"  # 呼和浩特至乔巴山、海拉尔至乔巴山国际航线
    if not re.fullmatch(rf"{PLACE}(?:{joined}{PLACE})+", strip_item(item)):
        return None
    later = next((i for i in after if corridor_word(i)), None)
    if later is None:
        return None
    word = corridor_word(later) or ""
    spec = _SPEC.search(strip_item(later[: later.rindex(word)]))
    return (spec.group() if spec else "") + word


def _split_after_kind(text: str, spans: PlaceSpans) -> list[str]:
    """``A—B跨境公路和C—D界河大桥``, ``阜新至通辽及彰武至库伦旗`` → two items each: a 和/及 joins two
    items when a kind word closes the first and the second has one, or when both are ``A至B``."""
    inside = spans(text)
    cuts = [m for m in re.finditer("以及|和|及", text) if not any(a <= m.start() < b for a, b in inside)
            and _joins_two(text[: m.start()], text[m.end():])]
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start: cut.start()])
        start = cut.end()
    return [*parts, text[start:]]


def _joins_two(before: str, after: str) -> bool:
    if any(before.endswith(w) for w in CORRIDOR_WORDS) and corridor_word(after):
        return True
    return bool(re.search(rf"{PLACE}[至到]{PLACE}$", before) and re.match(rf"{PLACE}[至到]{PLACE}", after))


def _split_outside(text: str, spans: PlaceSpans) -> list[str]:
    """``京津冀及山东`` → [京津冀, 山东]; a 和 inside a place name (呼和浩特) does not split."""
    inside = spans(text)
    cuts = [m for m in re.finditer(r"及|和|与|、", text) if not any(a <= m.start() < b for a, b in inside)
            and m.start() >= 2 and len(text) - m.end() >= 2]  # 和顺 is a county, not 和 + 顺
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start: cut.start()])
        start = cut.end()
    parts.append(text[start:])
    return [p for p in parts if p]


def _bare_places(items: list[str]) -> list[str]:
    """Items just before an ``X至Y`` item that are bare place names (通辽、赤峰至…): they share its end."""
    out: list[str] = []
    for item in reversed(items):
        if re.fullmatch(PLACE, item) and not corridor_word(item) and "至" not in item:
            out.insert(0, strip_item(item))
        else:
            break
    return out


def _end(text: str) -> str:
    """An end as written, without the lead-in of its phrase (推进包头 → 包头)."""
    return _UPGRADE.sub("", TAIL.sub("", LEAD_IN.sub("", text.strip()))) or text.strip()


def read_corridor_words(data_dir: Path) -> dict[str, tuple[str, str]]:
    """``data/corridor_words.csv``: kind words that end a corridor → (kind, sector)."""
    with open(data_dir / "corridor_words.csv", encoding="utf-8", newline="") as fh:
        return {row["word"].strip(): (row["kind"].strip(), row["sector"].strip()) for row in csv.DictReader(fh)}


def is_named_line(name: str) -> bool:
    """A line named by its own short name, whose ends a source can give: ``滨洲线…``,
    ``中俄东线天然气管道``, ``京包铁路电气化改造`` (two-character abbreviation), ``G59呼北高速公路``."""
    word = corridor_word(name)
    head = name[: name.rindex(word)] if word else name
    if "干线" in head:  # 国省干线公路: a class of roads, not a line of its own
        return False
    return bool(_NAMED_LINE.match(name) or head.endswith("线") or _CODE.match(head)
                or re.fullmatch(r"[\u4e00-\u9fff]{2}铁路(?:复线|电气化改造|扩能改造)?", name))


CORRIDOR_WORDS.update(read_corridor_words(settings.DATA_DIR))
