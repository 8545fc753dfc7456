"""Geocode stage: projects → features (geometry, precision, length, crossed provinces).

Corridors become LineStrings through their ordered waypoints, densified along the geodesic
(pyproj); facilities become Points; items without a place of their own are placed on their
partner provinces (or the home region) at province precision. Curated hints
(``data/hints.toml``) refine names, waypoints and real-world ends; they are never required for a
corridor whose places are in the gazetteer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPoint, Point

from geo import settings
from geo.errors import PlaceNotFound
from geo.gazetteer import HOME_PROVINCE, Gazetteer, Place, read_provinces
from geo.partners import PartnerFinder, read_groups
from geo.projects import Project
from geo.taxonomy import KINDS, label

GEOD = Geod(ellps="WGS84")
# Words that stand for the home region itself in a plan (我区 = "our region").
_HOME_WORDS = ("我区", "区内", "全区")


@dataclass
class Unresolved:
    """A place name the gazetteer does not know, with the closest names it does."""

    name: str
    project: str
    suggestions: list[str]


@dataclass
class Hints:
    """Curated corridor and facility hints."""

    corridors: list[dict[str, Any]] = field(default_factory=list)
    facilities: list[dict[str, Any]] = field(default_factory=list)

    def for_project(self, project: Project) -> dict[str, Any]:
        """The first hint whose ``match`` is part of the project's Chinese name, or an empty dict."""
        table = self.corridors if project.linear else self.facilities
        return next((h for h in table if h.get("match") and h["match"] in project.name_zh), {})


@dataclass
class Resolved:
    """A waypoint resolved to a point."""

    name: str
    point: tuple[float, float]
    precision: int
    province: str
    name_en: str


def read_hints(path: Path | None = None) -> Hints:
    """``data/hints.toml``: ``[[corridor]]`` and ``[[facility]]`` tables keyed by ``match``."""
    return _read_hints(path or settings.DATA_DIR / "hints.toml")


def features_from_projects(
    projects: list[Project], gazetteer: Gazetteer, finder: PartnerFinder, provinces: gpd.GeoDataFrame,
    *, hints: Hints | None = None, strict: bool = False,
) -> tuple[gpd.GeoDataFrame, list[Unresolved]]:
    """Geocode every project; unknown names are collected (or raised when ``strict``)."""
    hints = hints if hints is not None else read_hints()
    unresolved: list[Unresolved] = []
    rows = []
    for project in projects:
        hint = hints.for_project(project)
        row = _locate(project, hint, gazetteer, finder, unresolved)
        row["name_en"] = hint.get("name_en") or _english_name(project, row, gazetteer)
        row["hint_source"] = hint.get("source", "")
        row["slug"] = hint.get("id") or slug_words(project, gazetteer)
        rows.append(row)
    if strict and unresolved:
        listed = "; ".join(f"{u.name!r} in {u.project!r} (did you mean {', '.join(u.suggestions) or '—'}?)" for u in unresolved)
        raise PlaceNotFound(f"{len(unresolved)} place names are not in the gazetteer: {listed}",
                            code="places_not_found", count=len(unresolved), names=[u.name for u in unresolved])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    frame["crossed_provinces"] = crossed_provinces(frame, provinces)
    return frame, unresolved


def line_from_waypoints(points: list[tuple[float, float]], *, spacing_km: float = settings.DENSIFY_KM) -> LineString:
    """A LineString through ``points`` (lon, lat), densified along the geodesic every ``spacing_km``."""
    coords: list[tuple[float, float]] = [points[0]]
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:]):
        _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        n = int(dist / 1000 // spacing_km)
        coords += GEOD.npts(lon1, lat1, lon2, lat2, n) if n > 0 else []
        coords.append((lon2, lat2))
    return LineString(coords)


def length_km(line: LineString) -> float:
    """Geodesic length of a WGS84 line in km."""
    return abs(GEOD.geometry_length(line)) / 1000


def crossed_provinces(frame: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> list[list[str]]:
    """For each line, the provinces it passes through in order along the line; [] for other shapes."""
    out: list[list[str]] = [[] for _ in range(len(frame))]
    lines = frame[frame.geometry.geom_type == "LineString"]
    if lines.empty:
        return out
    joined = gpd.sjoin(lines[["geometry"]], provinces[["name", "geometry"]], predicate="intersects")
    for index, group in joined.groupby(level=0):
        line = frame.geometry.loc[index]
        polys = provinces.set_index("name").geometry
        order = sorted(group["name"], key=lambda n: line.project(shapely.intersection(line, polys[n]).representative_point()))
        out[frame.index.get_loc(index)] = order
    return out


@lru_cache(maxsize=4)
def _read_hints(path: Path) -> Hints:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return Hints(corridors=data.get("corridor", []), facilities=data.get("facility", []))


def _locate(project: Project, hint: dict[str, Any], gazetteer: Gazetteer, finder: PartnerFinder,
            unresolved: list[Unresolved]) -> dict[str, Any]:
    if project.linear:
        return _locate_line(project, hint, gazetteer, finder, unresolved)
    place_name = hint.get("place") or _place_in_name(project, gazetteer, finder)
    place = gazetteer.find(place_name) if place_name else None
    if place_name and place is None:
        unresolved.append(Unresolved(place_name, project.name_zh, gazetteer.suggest(place_name)))
    if place is not None:
        partners = _with(project.partners, place)
        if not partners and place.province == HOME_PROVINCE:
            partners = list(project.context_partners)
        return _row(project, Point(place.lon, place.lat), place.precision, [place.name], None, partners)
    if not project.partners:
        project.partners = list(project.context_partners)
    return _on_provinces(project, gazetteer)


def _locate_line(project: Project, hint: dict[str, Any], gazetteer: Gazetteer, finder: PartnerFinder,
                 unresolved: list[Unresolved]) -> dict[str, Any]:
    names = list(hint.get("waypoints") or project.places)
    resolved = [r for r in (_resolve(n, project, gazetteer, finder, unresolved) for n in names) if r]
    if len(resolved) < 2 and project.partners and not resolved:
        resolved = _through_partners(project, gazetteer)
    if len(resolved) < 2:
        return _on_provinces(project, gazetteer, ends=resolved)
    line = line_from_waypoints([r.point for r in resolved])
    route = hint.get("route", "schematic") if hint.get("waypoints") else "schematic"
    partners = list(project.partners)
    for r in resolved:
        if r.province and r.province != HOME_PROVINCE and r.province not in partners:
            partners.append(r.province)
    row = _row(project, line, max(r.precision for r in resolved), [r.name for r in resolved], route, partners)
    row["length_km"] = round(float(hint.get("length_km") or length_km(line)), 1)
    row["length_source"] = "published" if hint.get("length_km") else "geodesic"
    return row


def _through_partners(project: Project, gazetteer: Gazetteer) -> list[Resolved]:
    """A corridor the plan names only by its partners (与甘肃、宁夏…既有铁路): a schematic line from
    the home capital through the partners' capitals, nearest first, at province precision."""
    home = gazetteer.find(HOME_PROVINCE)
    stops = [c for c in (gazetteer.find(p) for p in project.partners) if c is not None]
    if home is None or not stops:
        return []
    path = [home]
    while stops:
        nearest = min(stops, key=lambda c: GEOD.inv(path[-1].lon, path[-1].lat, c.lon, c.lat)[2])
        path.append(nearest)
        stops.remove(nearest)
    return [Resolved(p.name, (p.lon, p.lat), 4, p.province, p.name_en) for p in path]


def _resolve(name: str, project: Project, gazetteer: Gazetteer, finder: PartnerFinder,
             unresolved: list[Unresolved]) -> Resolved | None:
    """A waypoint: a gazetteer place; a province or group → its capital at province precision."""
    if name in _HOME_WORDS:
        name = HOME_PROVINCE
    place = gazetteer.find(name)
    if place is not None:
        return Resolved(place.name, (place.lon, place.lat), place.precision, place.province, place.name_en)
    provinces = [m for m in finder.mentions(name) if m.start == 0 and m.end == len(name)]
    if provinces and len(provinces[0].provinces) >= 1:
        capital = gazetteer.find(provinces[0].provinces[0])
        if capital is not None:
            return Resolved(name, (capital.lon, capital.lat), 4, capital.province, capital.name_en)
    unresolved.append(Unresolved(name, project.name_zh, gazetteer.suggest(name)))
    return None


def _place_in_name(project: Project, gazetteer: Gazetteer, finder: PartnerFinder) -> str | None:
    """A facility's own place: its whole name when the gazetteer has it, else a place opening its name."""
    name = project.name_zh.strip("《》“”")
    if gazetteer.find(name):
        return name
    opening = next((m for m in finder.mentions(name) if m.start == 0), None)
    place = gazetteer.find(opening.text) if opening else None
    if opening and place is not None and place.level != "province":
        return opening.text
    return None


def _on_provinces(project: Project, gazetteer: Gazetteer, ends: list[Resolved] | None = None) -> dict[str, Any]:
    """An item with no place of its own: placed at the capitals of its partner provinces (or home)."""
    provinces = project.partners or [HOME_PROVINCE]
    capitals = [gazetteer.find(p) for p in provinces]
    points = [Point(c.lon, c.lat) for c in capitals if c is not None] + [Point(*r.point) for r in ends or []]
    geometry = points[0] if len(points) == 1 else MultiPoint(points)
    row = _row(project, geometry, 4 if project.partners else 6, [], None, project.partners)
    row["placed_on"] = "partner_provinces" if project.partners else "home_region"
    return row


def _row(project: Project, geometry: Any, precision: int, waypoints: list[str], route: str | None,
         partners: list[str]) -> dict[str, Any]:
    clause = project.clause
    return {
        "name_zh": project.name_zh, "sector": project.sector, "kind": project.kind,
        "clause": clause.number, "clause_text": clause.text,
        "lead_agencies": [a.name for a in clause.lead], "lead_agencies_en": [a.name_en for a in clause.lead],
        "cooperating_agencies": [a.name for a in clause.cooperating],
        "cooperating_agencies_en": [a.name_en for a in clause.cooperating],
        "partner_provinces": list(partners), "status": project.status, "status_source": project.status_source,
        "precision": int(precision), "route": route, "length_km": None, "length_source": None,
        "waypoints": waypoints, "placed_on": "waypoints" if route else "place", "geometry": geometry,
        "route_name": project.route_name,
    }


def slug_words(project: Project, gazetteer: Gazetteer) -> str:
    """Words for a stable id, from the plan's own text (never from hints, which may change).

    Corridors: the English names of their ends as the plan writes them; other items: the pinyin of
    their Chinese name, two syllables a word.
    """
    from pypinyin import lazy_pinyin

    if project.linear and len(project.places) >= 2:
        return "-".join(_slug_place(p, gazetteer) for p in (project.places[0], project.places[-1]))
    if project.programme and project.partners:
        words = [project.kind.split("_")[-1], *(_place_en(p, gazetteer) for p in project.partners[:4])]
        return "-".join(words)
    name = project.name_zh.strip("《》“”").removeprefix(HOME_PROVINCE).removeprefix("内蒙古")
    syllables = [s for s in lazy_pinyin(name) if s.isascii() and s.isalnum()]
    return "-".join("".join(syllables[i:i + 2]) for i in range(0, min(len(syllables), 10), 2))


def _slug_place(name: str, gazetteer: Gazetteer) -> str:
    """A place's English name for an id; pinyin of the written name where it stands for a site."""
    from pypinyin import lazy_pinyin

    place = gazetteer.find(name)
    if place is not None and place.level in {"prefecture", "county", "town", "province"}:
        return place.name_en.split(" (")[0]
    return "".join(lazy_pinyin(name))


def _with(partners: list[str], place: Place) -> list[str]:
    if place.province and place.province != HOME_PROVINCE and place.province not in partners:
        return [*partners, place.province]
    return list(partners)


def _english_name(project: Project, row: dict[str, Any], gazetteer: Gazetteer) -> str:
    """An English name made from the places' English names and the kind, when no hint gives one."""
    from pypinyin import lazy_pinyin

    kind = label(KINDS, project.kind, "en")
    if row["route"] and len(project.places) >= 2:
        return f"{_place_en(project.places[0], gazetteer)}–{_place_en(project.places[-1], gazetteer)} {kind.lower()}"
    partners = [_place_en(p, gazetteer) for p in row["partner_provinces"]]
    if partners:
        return f"{kind} with {', '.join(partners)}"
    words = " ".join(lazy_pinyin(project.name_zh.strip("《》“”"))).capitalize()
    return f"{kind}, Inner Mongolia ({words})"


def _place_en(name: str, gazetteer: Gazetteer) -> str:
    place = gazetteer.find(HOME_PROVINCE if name in _HOME_WORDS else name)
    if place is not None:
        return place.name_en
    provinces = read_provinces()
    for full, row in provinces.items():
        if name in (full, row["short"]):
            return row["name_en"]
    groups = read_groups(settings.DATA_DIR)
    if name in groups:
        return " / ".join(provinces[m]["name_en"] for m in groups[name] if m in provinces)
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()
