"""Names: an item's Chinese name → its English name and the whole words of its id.

English names come, in this order, from a cited hint (``data/hints.toml``), the curated names of
``data/gazetteer/english.csv`` (places and whole item names), or are built from translated parts:
places by their English names (gazetteer, ``data/provinces.csv``), words and phrases by
``data/terms.csv``, and a small grammar for the forms a plan writes (``A—B<kind>``, route segments,
``与<partners>的<thing>``). Words no table translates are segmented with ``rjieba``, romanised
with ``pypinyin`` and returned as ``untranslated`` so the build report can list them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geo import settings
from geo.pipeline.gazetteer import HOME_PROVINCE, Gazetteer, read_provinces
from geo.pipeline.partners import read_groups

if TYPE_CHECKING:
    from geo.pipeline.projects import Project

#: Words left out of ids.
_STOP = frozenset({"the", "of", "and", "with", "a", "an", "on", "in", "to", "for", "at", "from", "by"})
_HOME_WORDS = {"我区": HOME_PROVINCE, "区内": HOME_PROVINCE, "全区": HOME_PROVINCE, "区外": ""}
_SEPARATORS = re.compile(r"[、,和及与·]")
_ID_WORDS = 8


@dataclass(frozen=True, eq=False)
class Glossary:
    """Translations: ``terms`` (words and phrases) and ``names`` (whole names and places)."""

    terms: dict[str, str]
    names: dict[str, str]


@dataclass
class Translation:
    """English words of a Chinese text, and the Chinese words that no table translates."""

    words: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words joined, with the en dash of ranges and the middle dot kept tight."""
        out = " ".join(self.words)
        return re.sub(r"\s*([–·/])\s*", lambda m: " · " if m.group(1) == "·" else m.group(1), out).strip()


def read_glossary(data_dir: Path | None = None) -> Glossary:
    """``data/terms.csv`` and ``data/gazetteer/english.csv``."""
    return _read_glossary(data_dir or settings.DATA_DIR)


def translate(text: str, gazetteer: Gazetteer, glossary: Glossary) -> Translation:
    """English words for ``text``: longest known names and terms first, then segmented words."""
    out = Translation()
    vocabulary = _vocabulary(gazetteer, glossary)
    longest = max(map(len, vocabulary))
    index, pending = 0, ""
    while index < len(text):
        for size in range(min(longest, len(text) - index), 0, -1):
            piece = text[index: index + size]
            if piece in vocabulary and (size > 1 or not re.match(r"[\u4e00-\u9fff]", piece)):
                _flush(pending, out, glossary)
                pending = ""
                if vocabulary[piece]:
                    out.words.append(vocabulary[piece])
                index += size
                break
        else:
            pending += text[index]
            index += 1
    _flush(pending, out, glossary)
    return out


def english_name(project: Project, gazetteer: Gazetteer, glossary: Glossary) -> Translation:
    """The English name of an item, built from translated parts (no hint, no curated name)."""
    name = project.name_zh
    if name in glossary.names:
        return Translation([glossary.names[name]])
    if project.linear and project.route_name and len(project.places) >= 2:
        return _segment_name(project, gazetteer, glossary)
    if project.linear and len(project.places) >= 2:
        ends = "–".join(place_english(p, gazetteer, glossary) for p in project.places)
        kind = translate(_kind_words(project), gazetteer, glossary)
        return Translation([ends, kind.text], kind.untranslated)
    partners_text, thing_text = _with_partners(name, gazetteer, glossary)
    if project.programme and partners_text and thing_text:
        thing = translate(_without_verbs(thing_text), gazetteer, glossary)
        partners = _partners_english(partners_text, gazetteer, glossary)
        return Translation([sentence_case(thing.text), "with", partners], thing.untranslated)
    stem, word = _place_and_word(name, gazetteer, glossary)
    if stem:  # 甘其毛都口岸: a place no table knows and the facility word
        return Translation([romanised_place(stem), word], [stem])
    found = translate(name.strip("《》“”"), gazetteer, glossary)
    return Translation([sentence_case(found.text)], found.untranslated)


def place_english(name: str, gazetteer: Gazetteer, glossary: Glossary) -> str:
    """A place, province or group as English (锡林郭勒盟 → Xilingol League, 京津冀 → Beijing–Tianjin–Hebei)."""
    name = _HOME_WORDS.get(name, name) or name
    if name in glossary.names:
        return glossary.names[name]
    if name in glossary.terms:
        return glossary.terms[name]
    place = gazetteer.find(name)
    if place is not None:
        return place.name_en
    provinces = read_provinces()
    for full, row in provinces.items():
        if name in (full, row["short"]):
            return row["name_en"]
    groups = read_groups(settings.DATA_DIR)
    if name in groups:
        return english_list([provinces[m]["name_en"] for m in groups[name] if m in provinces])
    found = translate(name, gazetteer, glossary)
    return romanised_place(name) if found.untranslated == [name] or _unknown_run(name, found) else found.text


def romanised_place(name: str) -> str:
    """A place no table knows, in Hanyu Pinyin as one word (甘其毛都 → Ganqimaodu), as such places are
    written in English; never applied to more than the place name itself."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


def english_list(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    names = [n for n in names if n]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def id_words(text: str, gazetteer: Gazetteer, glossary: Glossary) -> list[str]:
    """Whole lower-case ASCII words for an id of a Chinese ``text`` (translated first; a place no
    table knows as its one-word romanisation, as in its English name)."""
    found = translate(text, gazetteer, glossary)
    return english_words(romanised_place(text) if _unknown_run(text, found) else found.text)


def english_words(text: str) -> list[str]:
    """Whole lower-case ASCII words of an English text for an id: the name before any parenthesis or
    colon, stop words left out, at most eight."""
    import unicodedata

    spaced = re.sub(r"[–—·/]", " ", re.split(r"\s*[(:]", text)[0])
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    return [w for w in re.findall(r"[a-z0-9]+", folded) if w not in _STOP][:_ID_WORDS]


def sentence_case(text: str) -> str:
    """The first letter upper case, the rest as given."""
    return text[:1].upper() + text[1:]


# --- helpers -----------------------------------------------------------------------------


def _segment_name(project: Project, gazetteer: Gazetteer, glossary: Glossary) -> Translation:
    """``G7京新高速临河—白疙瘩段`` → ``G7 Beijing–Ürümqi Expressway, Linhe–Baigeda section``."""
    route = project.route_name or ""
    code = re.match(r"[GS]\d+", route) or re.search(r"[GS]\d+", route)
    words = route.replace(code.group(), "") if code else route
    road = translate(words, gazetteer, glossary) if words else Translation()
    if not road.words:
        road.words = ["Expressway" if project.kind == "expressway" else "Highway"]
    head = " ".join(filter(None, [code.group() if code else "", road.text]))
    ends = "–".join(place_english(p, gazetteer, glossary) for p in project.places)
    return Translation([f"{head},", ends, "section"], road.untranslated)


def _place_and_word(name: str, gazetteer: Gazetteer, glossary: Glossary) -> tuple[str, str]:
    """(place, English of its word) for a facility named by an unknown place and a word of the terms
    table (甘其毛都口岸 → 甘其毛都, Port of Entry); ("", "") for any other name."""
    for size in range(min(6, len(name) - 2), 0, -1):
        stem, word = name[:-size], name[-size:]
        if glossary.terms.get(word) and re.fullmatch(r"[\u4e00-\u9fff]{2,6}", stem):
            found = translate(stem, gazetteer, glossary)
            return (stem, glossary.terms[word]) if _unknown_run(stem, found) else ("", "")
    return "", ""


def _with_partners(name: str, gazetteer: Gazetteer, glossary: Glossary) -> tuple[str, str]:
    """``与东三省的科技合作`` → (``东三省``, ``科技合作``): the partners after 与 and the thing after them."""
    if not name.startswith("与"):
        return "", name
    places = _place_names(gazetteer, glossary)
    index = 1
    while index < len(name):
        step = next((len(p) for p in places if name.startswith(p, index)), 0)
        if not step and name[index] in "、,和及":
            step = 1
        if not step:
            break
        index += step
    rest = re.sub(r"^(?:等省市|等省区|等地区|等地|等)?的?", "", name[index:])
    return name[1:index], rest


@lru_cache(maxsize=4)
def _place_names(gazetteer: Gazetteer, glossary: Glossary) -> list[str]:
    """Names of places, provinces and groups in the vocabulary, longest first."""
    provinces = {n for full, row in read_provinces().items() for n in (full, row["short"])}
    groups = set(read_groups(settings.DATA_DIR))
    names = [n for n in _vocabulary(gazetteer, glossary)
             if n in provinces or n in groups or gazetteer.find(n) is not None]
    return sorted(names, key=len, reverse=True)


def _kind_words(project: Project) -> str:
    """The words after a corridor's ends (``±800千伏特高压直流输电工程``; the 段 of …至榆林段铁路 left out)."""
    name, last = project.name_zh, project.places[-1]
    return name[name.rindex(last) + len(last):].removeprefix("段") if last in name else name


def _unknown_run(name: str, found: Translation) -> bool:
    """Whether no table knows any word of a place name (扎门乌德 cut by rjieba into 扎门, 乌德)."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,12}", name)) and "".join(found.untranslated) == name


def _without_verbs(text: str) -> str:
    from geo.pipeline.corridors import LEAD_IN

    return LEAD_IN.sub("", text)


def _partners_english(text: str, gazetteer: Gazetteer, glossary: Glossary) -> str:
    parts = [p for p in re.split(r"[、,和及]", text) if p]
    return english_list([place_english(p, gazetteer, glossary) for p in parts])


def _flush(pending: str, out: Translation, glossary: Glossary) -> None:
    """Segment a run no table knows; translate its words where possible, else romanise them."""
    if not pending.strip():
        return
    import rjieba
    from pypinyin import lazy_pinyin

    for word in rjieba.cut(pending):
        word = word.strip()
        if not word or _SEPARATORS.fullmatch(word):
            continue
        if word in glossary.terms:
            if glossary.terms[word]:
                out.words.append(glossary.terms[word])
        elif re.fullmatch(r"[\x21-\x7e]+", word):
            out.words.append(word)
        else:
            out.words.append("".join(lazy_pinyin(word)).capitalize())
            out.untranslated.append(word)


@lru_cache(maxsize=4)
def _vocabulary(gazetteer: Gazetteer, glossary: Glossary) -> dict[str, str]:
    vocabulary = {name: place.name_en for name, place in gazetteer.mentionable().items()}
    for full, row in read_provinces().items():
        vocabulary[full] = vocabulary[row["short"]] = row["name_en"]
    vocabulary.update({k: v for k, v in glossary.names.items() if len(k) <= 8})
    vocabulary.update(glossary.terms)
    for word, province in _HOME_WORDS.items():
        vocabulary.setdefault(word, read_provinces()[province]["name_en"] if province else "")
    return vocabulary


@lru_cache(maxsize=4)
def _read_glossary(data_dir: Path) -> Glossary:
    def table(path: Path) -> dict[str, str]:
        with open(path, encoding="utf-8", newline="") as fh:
            return {row["name"].strip(): row["name_en"].strip() for row in csv.DictReader(fh)}

    return Glossary(terms=table(data_dir / "terms.csv"), names=table(data_dir / "gazetteer" / "english.csv"))
