"""Gazetteer: place names → WGS84 points, offline, with national coverage down to county level.

Takes the county-level seats shipped by the ``cpca`` package (about 3,500 rows, GCJ-02 coordinates,
converted to WGS84 with ``coordTransform``), the curated rows of ``data/gazetteer/places.csv``
(towns, stations, substations, campuses the package lacks, each with its source), the land ports of
entry of ``data/gazetteer/ports.csv``, the places in Mongolia and Russia of ``data/gazetteer/abroad.csv``
(cross-border plans name them), the aliases of ``data/gazetteer/aliases.csv`` and the provinces of
``data/provinces.csv``; gives a ``Gazetteer`` that looks names up, tells the province and the country
of a place and suggests close names for unknown ones.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.errors import PlaceNotFound
from geo.taxonomy import HOME_COUNTRY

#: The home region of the plans this project reads.
HOME_PROVINCE = "内蒙古自治区"
#: ISO 3166 alpha-2 code of the country every province belongs to.
# Administrative suffixes dropped to get the name people write (张家口市 → 张家口, 丰宁满族自治县 → 丰宁).
_SUFFIXES = ("特别行政区", "自治区", "自治县", "自治旗", "自治州", "林区", "特区", "新区", "市", "县", "区", "旗", "盟")
#: Curated levels that are sites, not places a text mentions to name a province.
_SITE_LEVELS = frozenset({"park", "campus", "port"})
_LEVEL_RANK = {"province": 4, "prefecture": 3, "county": 2}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``precision`` is the AidData code a point at this place earns."""

    name: str
    lon: float
    lat: float
    level: str
    province: str
    name_en: str
    precision: int
    source: str
    border_with: str = ""
    #: ISO 3166 alpha-2 code of the country the place lies in.
    country: str = HOME_COUNTRY
    #: A place abroad: its aimag, oblast or krai in English (its ``province`` stays empty, so that
    #: it is never taken for a Chinese province).
    subdivision: str = ""


class Gazetteer:
    """Name lookup over curated places, aliases, provinces and the package's county seats."""

    def __init__(self, places: list[Place], aliases: dict[str, str]) -> None:
        self._exact: dict[str, list[Place]] = {}
        self._short: dict[str, list[Place]] = {}
        for place in places:
            self._exact.setdefault(place.name, []).append(place)
            short = short_name(place.name)
            if short != place.name and len(short) >= 2:
                self._short.setdefault(short, []).append(place)
        self.aliases = dict(aliases)

    def __contains__(self, name: str) -> bool:
        return self.find(name) is not None

    def names(self) -> list[str]:
        """Every name the gazetteer answers to (full, short and alias forms)."""
        return sorted(set(self._exact) | set(self._short) | set(self.aliases))

    def mentionable(self) -> dict[str, Place]:
        """Names safe to look for in running text, with their place.

        Curated places and aliases, provinces, and prefectures by full or short name; counties only by
        full name, since many short county names are ordinary words (合作市 → 合作, 东方市 → 东方).
        """
        out: dict[str, Place] = {}
        for table, short in ((self._short, True), (self._exact, False)):
            for name, places in table.items():
                best = min(places, key=_preference)
                if short and best.level == "county" and best.source.startswith("cpca "):
                    continue
                if best.level in _SITE_LEVELS:
                    continue  # a park or campus name holds its partner (鄂尔多斯江苏工业园 → 江苏)
                out[name] = best
        for alias, target in self.aliases.items():
            place = self.find(target)
            if place:
                out[alias] = place
        return out

    def find(self, name: str) -> Place | None:
        """The best place for ``name``, or None: curated rows first, then larger divisions, home region first."""
        name = name.strip()
        name = self.aliases.get(name, name)
        candidates = self._exact.get(name) or self._short.get(name) or self._short.get(short_name(name))
        if not candidates:
            return None
        return min(candidates, key=_preference)

    def get(self, name: str) -> Place:
        """Like ``find`` but raises ``PlaceNotFound`` naming the closest entries."""
        place = self.find(name)
        if place is None:
            close = self.suggest(name)
            hints = ", ".join(repr(s) for s in close) or "nothing close"
            raise PlaceNotFound(f"no gazetteer entry for {name!r}; did you mean {hints}?", code="place_not_found",
                                name=name, suggestions=close)
        return place

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """The ``limit`` gazetteer names closest to ``name`` (rapidfuzz ratio)."""
        from rapidfuzz import fuzz, process

        found = process.extract(name, self.names(), scorer=fuzz.ratio, limit=limit, score_cutoff=40)
        return [match for match, _score, _index in found]

    def province_of(self, name: str) -> str | None:
        """Full name of the province a place lies in, or None when the place is unknown."""
        place = self.find(name)
        return place.province if place else None

    def country_of(self, name: str) -> str | None:
        """ISO 3166 alpha-2 code of the country a place lies in (``CN``, ``MN``, ``RU``), or None when unknown."""
        place = self.find(name)
        return place.country if place else None


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """The gazetteer from the package table and the curated files under ``data_dir``."""
    return _load_gazetteer(data_dir or settings.DATA_DIR)


def short_name(name: str) -> str:
    """A division's name as people write it: ``张家口市`` → ``张家口``, ``丰宁满族自治县`` → ``丰宁``."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _ETHNIC.sub("", stem) or stem
            return stem
    return name


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Undo the GCJ-02 offset of Chinese map providers (the package's coordinates use it)."""
    import coordTransform

    wlon, wlat = coordTransform.gcj02_to_wgs84(lon, lat)
    return float(wlon), float(wlat)


@lru_cache(maxsize=4)
def _load_gazetteer(data_dir: Path) -> Gazetteer:
    provinces = read_provinces(data_dir)
    places = _curated_places(data_dir / "gazetteer" / "places.csv")
    for extra in ("ports.csv", "abroad.csv"):
        if (data_dir / "gazetteer" / extra).exists():  # a data folder of an older layout lacks them
            places += _curated_places(data_dir / "gazetteer" / extra)
    english = _english_names(data_dir / "gazetteer" / "english.csv")
    places += [Place(**{**p.__dict__, "name_en": english.get(p.name, p.name_en)}) for p in _package_places(provinces)]
    aliases = _aliases(data_dir / "gazetteer" / "aliases.csv")
    for row in provinces.values():
        aliases.setdefault(row["short"], row["name"])
    return Gazetteer(places, aliases)


@lru_cache(maxsize=4)
def read_provinces(data_dir: Path | None = None) -> dict[str, dict[str, str]]:
    """``data/provinces.csv`` keyed by full name: short name, one-character abbreviation, English."""
    path = (data_dir or settings.DATA_DIR) / "provinces.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["name"]: row for row in csv.DictReader(fh)}


@lru_cache(maxsize=4)
def _curated_places(path: Path) -> list[Place]:
    places = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            country = (row.get("country") or "").strip() or HOME_COUNTRY
            province = row["province"].strip()
            place = Place(
                name=row["name"].strip(), lon=float(row["lon"]), lat=float(row["lat"]),
                level=row["level"].strip(), province=province if country == HOME_COUNTRY else "",
                name_en=row["name_en"].strip(), precision=int(row["precision"]), source=row["source"].strip(),
                border_with=(row.get("border_with") or "").strip(), country=country,
                subdivision="" if country == HOME_COUNTRY else province,
            )
            places.append(place)
            for alias in filter(None, (a.strip() for a in (row.get("aliases") or "").split("|"))):
                places.append(Place(**{**place.__dict__, "name": alias}))
    return places


def _english_names(path: Path) -> dict[str, str]:
    """Established English names that differ from Hanyu Pinyin (呼和浩特市 → Hohhot)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["name"].strip(): row["name_en"].strip() for row in csv.DictReader(fh)}


def _aliases(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["alias"].strip(): row["name"].strip() for row in csv.DictReader(fh)}


def _package_places(provinces: dict[str, dict[str, str]]) -> list[Place]:
    import importlib.resources

    table = importlib.resources.files("cpca") / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["longitude"] and r["name"] != "市辖区"]
    by_prefix = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:] == "0" * 10}
    places = []
    for r in rows:
        level = "province" if r["adcode"][2:] == "0" * 10 else "prefecture" if r["adcode"][4:] == "0" * 8 else "county"
        province = by_prefix.get(r["adcode"][:2], "")
        lon, lat = gcj02_to_wgs84(float(r["longitude"]), float(r["latitude"]))
        places.append(Place(
            name=r["name"], lon=round(lon, 6), lat=round(lat, 6), level=level, province=province,
            name_en=_english(r["name"], provinces), precision={"province": 4, "prefecture": 3}.get(level, 3),
            source=f"cpca {r['adcode']} (AMap GCJ-02 seat, converted to WGS84)",
        ))
    return places


def _english(name: str, provinces: dict[str, dict[str, str]]) -> str:
    """English name: the province table's for provinces, else Hanyu Pinyin of the short name, with
    the English of a banner's or county's own words (苏尼特右旗 → Sunite Right Banner)."""
    if name in provinces:
        return provinces[name]["name_en"]
    from pypinyin import lazy_pinyin

    stem = short_name(name)
    if not name.endswith("旗"):
        return "".join(lazy_pinyin(stem)).capitalize()
    sides: list[str] = []
    for _ in range(2):  # 科尔沁左翼后旗: a wing, then a side
        side = next(((zh, en) for zh, en in _BANNER_SIDES.items() if stem.endswith(zh) and len(stem) > len(zh) + 1), None)
        if side is None:
            break
        stem, sides = stem[: -len(side[0])], [side[1], *sides]
    return " ".join(["".join(lazy_pinyin(stem)).capitalize(), *sides, "Banner"])


_BANNER_SIDES = {"左翼": "Left", "右翼": "Right", "左": "Left", "右": "Right", "前": "Front", "后": "Rear", "中": "Middle"}


def _preference(place: Place) -> tuple[int, int, int]:
    curated = 0 if not place.source.startswith("cpca ") else 1
    home = 0 if place.province == HOME_PROVINCE else 1
    return (curated, -_LEVEL_RANK.get(place.level, 1), home)


def _nations() -> list[str]:
    import importlib.resources

    text = (importlib.resources.files("cpca") / "resources" / "56_nations.csv").read_text(encoding="utf-8")
    names = [n.strip() for n in text.split() if n.strip()]
    # 满族 and also 满 (as in 满族蒙古族自治县 → the nation names appear with and without 族)
    return sorted({n for name in names for n in (name, name.removesuffix("族"))} - {""}, key=len, reverse=True)


_ETHNIC = re.compile("(" + "|".join(map(re.escape, _nations())) + ")+$")
