"""Partner provinces: every way a plan names another province → full official names.

Recognises full names (河北省), short names (天津, 山东), groups (京津冀, 东三省, 环渤海, from
``data/province_groups.csv``), compounds of one-character abbreviations with the home region's
(京蒙, 粤蒙), places that imply a province (张家口 → 河北省, via the gazetteer) and the
neighbouring provinces ("8个毗邻省区"). Names are matched longest first over the whole text, so
``上海庙`` (a town in Inner Mongolia) never reads as ``上海``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.pipeline.gazetteer import HOME_PROVINCE, Gazetteer, read_provinces, short_name

# Words after a short province name that show it is not a province (吉林 is also a city, 江苏 the
# province; but 北京路 is a street): kept small on purpose, extended when a plan needs it.
_NOT_PROVINCE_AFTER = ("路", "街")
_CONJUNCTIONS = ("和", "及", "与", "、")


@dataclass(frozen=True)
class Mention:
    """A span of text that names one or more provinces."""

    start: int
    end: int
    text: str
    provinces: tuple[str, ...]


class PartnerFinder:
    """Finds the provinces a text names, longest match first."""

    def __init__(self, gazetteer: Gazetteer, data_dir: Path | None = None, *, home: str = HOME_PROVINCE) -> None:
        data_dir = data_dir or settings.DATA_DIR
        self.data_dir = data_dir
        self.home = home
        self._province_names = _province_names(data_dir, home)
        self.lexicon = _lexicon(gazetteer, data_dir, home)
        names = sorted(self.lexicon, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, names)))

    def mentions(self, text: str) -> list[Mention]:
        """Every non-overlapping mention of a province, group or place in ``text``, left to right.

        A group named before another that carries a shared last word takes that word too:
        ``华北和华东电网`` names the North China grid and the East China grid, not the region 华北.
        """
        found = []
        for match in self._pattern.finditer(text):
            if text[match.end(): match.end() + 1] in _NOT_PROVINCE_AFTER:
                continue
            found.append(Mention(match.start(), match.end(), match.group(), self.lexicon[match.group()]))
        return [self._shared_suffix(m, n, text) for m, n in zip(found, [*found[1:], None])]

    def _shared_suffix(self, mention: Mention, following: Mention | None, text: str) -> Mention:
        if following is None or text[mention.end: following.start] not in _CONJUNCTIONS:
            return mention
        for cut in range(1, len(following.text)):
            longer = mention.text + following.text[cut:]
            if longer in self.lexicon and following.text[:cut] not in self.lexicon.get(longer, ()):
                return Mention(mention.start, mention.end, longer, self.lexicon[longer])
        return mention

    def is_province_name(self, text: str) -> bool:
        """Whether ``text`` names a province itself (山东省, 山东, 京蒙), not a place or a group in it."""
        return text in self._province_names

    def partners(self, text: str) -> list[str]:
        """Full names of the provinces ``text`` names, other than the home region, in order of mention."""
        out: list[str] = []
        for mention in self.mentions(text):
            out += [p for p in mention.provinces if p != self.home and p not in out]
        return out


@lru_cache(maxsize=4)
def read_groups(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """``data/province_groups.csv``: group name → member provinces (full names)."""
    with open(data_dir / "province_groups.csv", encoding="utf-8", newline="") as fh:
        return {row["group"].strip(): tuple(m.strip() for m in row["members"].split("|") if m.strip())
                for row in csv.DictReader(fh)}


def _province_names(data_dir: Path, home: str) -> frozenset[str]:
    provinces = read_provinces(data_dir)
    home_abbr = provinces.get(home, {}).get("abbr", "")
    names = {n for full, row in provinces.items() for n in (full, row["short"])}
    names |= {row["abbr"] + home_abbr for row in provinces.values() if row["abbr"] and home_abbr}
    names |= {home_abbr + row["abbr"] for row in provinces.values() if row["abbr"] and home_abbr}
    return frozenset(names)


def _lexicon(gazetteer: Gazetteer, data_dir: Path, home: str) -> dict[str, tuple[str, ...]]:
    provinces = read_provinces(data_dir)
    lexicon: dict[str, tuple[str, ...]] = {}
    # Places first, so that province names and groups below override a county of the same name.
    for name, place in gazetteer.mentionable().items():
        if place.province and len(name) >= 2:
            lexicon[name] = (place.province,)
    for full, row in provinces.items():
        lexicon[full] = (full,)
        lexicon[row["short"]] = (full,)
    lexicon.update(read_groups(data_dir))
    home_abbr = provinces.get(home, {}).get("abbr", "")
    if home_abbr:
        # 京蒙, 粤蒙, 蒙晋: abbreviation compounds with the home region name the other partner.
        for full, row in provinces.items():
            if full != home and row["abbr"]:
                lexicon.setdefault(row["abbr"] + home_abbr, (full,))
                lexicon.setdefault(home_abbr + row["abbr"], (full,))
    lexicon.pop(short_name(home), None)
    return lexicon
