"""Geocode stage: projects → features (geometry, precision, length, crossed provinces, partners).

A corridor becomes a LineString only when its ends are places: two or more places the plan
writes (not provinces or regions), or the waypoints of a cited route (``data/hints.toml``).
Its path runs through the ordered waypoints, densified along the geodesic (pyproj); an end that a
source puts on a provincial border (``border_with`` in ``data/gazetteer/places.csv``) is moved onto
that border. Everything else is drawn where it is: facilities at their place (Point), items of
several places at those places (MultiPoint), items without a place of their own at the capitals
of their partner provinces, or of the home region; ``placed_on`` says which.

A place abroad (``data/gazetteer/abroad.csv``) is never snapped onto a border: a line to it crosses
the border, and its country is listed in ``partner_countries`` (Chinese names, ``data/countries.csv``)
and ``partner_countries_en``.

Every partner province carries its reason (``partner_reason``, same order): ``named`` (the item's
name names it), ``group`` (member of a group the name names), ``place`` (the item lies there),
``end`` (the line ends there), ``border`` (the line ends on its border), ``source`` (a cited
source names it, e.g. the signatories of a declaration), ``context`` (its sentence names it),
``party`` (it signs the agreement or memo the item is read from). The home region is the plan's
(``PartnerFinder.home``): it is never a partner, and items of no place are drawn on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, MultiPoint, Point

from geo.errors import PlaceNotFound
from geo.layers.schema import GEOD, LENGTH_TOLERANCE, length_km
from geo.pipeline.corridors import segment_of
from geo.pipeline.gazetteer import Gazetteer
from geo.pipeline.hints import Hints, read_hints, waypoints_of
from geo.pipeline.names import Glossary, english_name, english_words, id_words, read_glossary
from geo.pipeline.partners import PartnerFinder, read_groups
from geo.pipeline.plans import project_keys
from geo.pipeline.projects import NAMED_WORDS, Project
from geo.pipeline.routes import crossed_provinces, line_from_waypoints, snap_to_border
from geo.taxonomy import HOME_COUNTRY, countries_named, read_countries

_CROSS_BORDER = re.compile("跨境|口岸|界河|国际|边境|过境")
# Words that stand for the home region itself in a plan (我区 = "our region").
_HOME_WORDS = ("我区", "区内", "全区", "我省", "省内", "全省")
#: Least precise place an item may be drawn at: a county or prefecture seat. Items whose only
#: places are provinces or regions are drawn on their provinces instead.
_DRAWABLE_PRECISION = 3
#: Kinds named by their place and a word (二连浩特口岸, 巴彦浩特机场).
_NAMED_BY_PLACE = frozenset({"port", "airport"})


@dataclass
class Unresolved:
    """A place name the gazetteer does not know, with the closest names it does."""

    name: str
    project: str
    suggestions: list[str]


@dataclass
class Resolved:
    """A waypoint resolved to a point."""

    name: str
    point: tuple[float, float]
    precision: int
    province: str
    border_with: str = ""
    region: bool = False  # a province or a group of them stands in, at its capital
    country: str = HOME_COUNTRY


def features_from_projects(
    projects: list[Project], gazetteer: Gazetteer, finder: PartnerFinder, provinces: gpd.GeoDataFrame,
    *, hints: Hints | None = None, strict: bool = False, glossary: Glossary | None = None,
) -> tuple[gpd.GeoDataFrame, list[Unresolved], list[str]]:
    """Geocode every project; unknown names are collected (or raised when ``strict``).

    Returns the features, the unknown place names and the Chinese words no table translates.
    """
    hints = hints if hints is not None else read_hints()
    glossary = glossary or read_glossary()
    unresolved: list[Unresolved] = []
    untranslated: list[str] = []
    rows = []
    for project in projects:
        hint = hints.for_project(project)
        row = _locate(project, hint, gazetteer, finder, provinces, unresolved)
        built = english_name(project, gazetteer, glossary)
        row["name_en"] = hint.get("name_en") or built.text
        if not hint.get("name_en"):
            untranslated += [w for w in built.untranslated if w not in untranslated]
        row["route_source"] = hint.get("source", "") if row["route"] == "traced" or hint.get("waypoints") else ""
        row["hint_source"] = hint.get("source", "")
        row["slug"] = slug_words(project, row["name_en"], gazetteer, glossary)
        row["keys"] = project_keys(row, project.places, hint.get("match"), gazetteer)
        rows.append(row)
    unresolved = list({(u.name, u.project): u for u in unresolved}.values())
    if strict and unresolved:
        listed = "; ".join(f"{u.name!r} in {u.project!r} (did you mean {', '.join(u.suggestions) or '—'}?)" for u in unresolved)
        raise PlaceNotFound(f"{len(unresolved)} place names are not in the gazetteer: {listed}",
                            code="places_not_found", count=len(unresolved), names=[u.name for u in unresolved])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    if not frame.empty and not frame["unknown_places"].map(len).any():
        # Only a plan naming places the gazetteer lacks adds the property, so layers built from
        # fully known plans keep the schema they were committed with.
        frame = frame.drop(columns="unknown_places")
    frame["crossed_provinces"] = crossed_provinces(frame, provinces)
    return frame, unresolved, untranslated


def slug_words(project: Project, name_en: str, gazetteer: Gazetteer, glossary: Glossary) -> str:
    """Whole words for a stable id.

    Corridors: the English names of their ends as the plan writes them (``hohhot-zhangjiakou``);
    other items: the words of their English name (``ordos-jiangsu-industrial-park``).
    """
    if project.linear and len(project.places) >= 2:
        words = [w for p in (project.places[0], project.places[-1]) for w in id_words(p, gazetteer, glossary)]
    else:
        words = english_words(name_en)
    return "-".join(words)


# --- placing one project -------------------------------------------------------------------


def _locate(project: Project, hint: dict[str, Any], gazetteer: Gazetteer, finder: PartnerFinder,
            provinces: gpd.GeoDataFrame, unresolved: list[Unresolved]) -> dict[str, Any]:
    partners = _Partners(finder.home)
    before = len(unresolved)
    row = None
    if project.linear:
        row = _locate_line(project, hint, gazetteer, finder, provinces, unresolved, partners)
    partners.add_named(project.name_zh, finder, route=project.route_name)
    partners.add_all(finder.partners(project.own_phrase), "named")  # 在京津两地设立…销售专区
    for province in hint.get("partners", []):
        partners.add(province, "source")
    partners.add_all(project.clause.parties, "party")  # the other signatories of an agreement
    for code in countries_named(_country_context(project), finder.data_dir):
        partners.add_country(code)
    if row is None:
        row = _locate_point(project, hint, gazetteer, finder, unresolved, partners)
    row["partner_provinces"], row["partner_reason"] = list(partners.provinces), list(partners.reasons)
    countries = read_countries(finder.data_dir)
    row["partner_countries"] = [countries[c]["name"] if c in countries else c for c in partners.countries]
    row["partner_countries_en"] = [countries[c]["name_en"] if c in countries else c for c in partners.countries]
    row["unknown_places"] = list(dict.fromkeys(u.name for u in unresolved[before:]))
    if row["unknown_places"] and project.linear and row["placed_on"] in {"place", "places"}:
        row["placed_on"] = "known_end" if row["placed_on"] == "place" else "known_places"
    return row


def _country_context(project: Project) -> str:
    """The text whose country names make an item's partner countries: its name and own phrase, and
    for a cross-border item (跨境, 口岸, 界河, 国际, 边境) its whole clause (与蒙方合作推进…)."""
    own = project.name_zh + project.own_phrase
    return own + project.clause.text if _CROSS_BORDER.search(project.name_zh) else own


def _locate_point(project: Project, hint: dict[str, Any], gazetteer: Gazetteer, finder: PartnerFinder,
                  unresolved: list[Unresolved], partners: _Partners) -> dict[str, Any]:
    """An item drawn where it is: its place or places, else its partner provinces, else home."""
    names = list(hint.get("places") or ([hint["place"]] if hint.get("place") else []))
    if not names:
        own = _place_in_name(project, gazetteer, finder) or _site_place(project)
        names = [own] if own else [p for p in project.places if p not in _HOME_WORDS]
    found = [_resolve(n, project, gazetteer, finder, unresolved) for n in names]
    places = [r for r in found if r is not None and r.precision <= _DRAWABLE_PRECISION]
    if places:
        for place in places:
            partners.add(place.province, "place")
            partners.add_country(place.country)
        if not partners.provinces and all(p.province == finder.home for p in places):
            partners.add_all(project.context_partners, "context")
        points = [Point(*p.point) for p in places]
        geometry = points[0] if len(points) == 1 else MultiPoint(points)
        row = _row(project, geometry, max(p.precision for p in places), [p.name for p in places], None)
        row["placed_on"] = "place" if len(points) == 1 else "places"
        return row
    if not partners.provinces:
        partners.add_all(project.context_partners, "context")
    return _on_provinces(project, gazetteer, partners)


def _locate_line(project: Project, hint: dict[str, Any], gazetteer: Gazetteer, finder: PartnerFinder,
                 provinces: gpd.GeoDataFrame, unresolved: list[Unresolved],
                 partners: _Partners) -> dict[str, Any] | None:
    """The row of a drawable corridor, or None when it has no ends of its own.

    Ends the plan writes are drawn when both are places (a county seat or better); a cited route
    (``waypoints`` in the hints) is drawn through its waypoints, crossings placed by reasoning
    keeping their own (lower) precision.
    """
    cited = waypoints_of(hint)
    names = [w.name for w in cited] if cited else list(project.places)
    resolved = [_resolve(n, project, gazetteer, finder, unresolved) for n in names]
    points = [r for r in resolved if r is not None]
    if len(points) < 2 or len(points) < len(names):
        return None
    if not cited and any(r.region for r in points):
        return None  # ends are provinces or regions: no route of its own to draw
    for point, waypoint in zip(points, cited):
        if waypoint.precision:
            point.precision = max(point.precision, int(waypoint.precision))
    line = line_from_waypoints([r.point for r in points])
    for index in (0, -1):
        neighbour = points[index].border_with
        if neighbour:
            line = snap_to_border(line, provinces, neighbour, at_start=index == 0)
            partners.add(neighbour, "border")
    for r in (points[0], points[-1]):
        partners.add(r.province, "end")
    for r in points:
        partners.add_country(r.country)
    route = hint.get("route", "schematic") if cited else "schematic"
    if route == "traced" and any(w.precision for w in cited):
        route = "estimated"  # the cited places, with crossings placed by reasoning between them
    row = _row(project, line, max(r.precision for r in points), [r.name for r in points], route)
    row.update(line_length(line, hint.get("length_km")))
    return row


def line_length(line: LineString, published: float | None) -> dict[str, Any]:
    """``length_km`` and ``length_source`` of a drawn line, and the published length beside them.

    A published length is the line's ``length_km`` when the drawing agrees with it (within
    ``LENGTH_TOLERANCE``); otherwise the drawn length is, and the published one stays in
    ``published_length_km`` so the disagreement shows instead of hiding in a label.
    """
    drawn = round(length_km(line), 1)
    if published and abs(drawn - float(published)) <= LENGTH_TOLERANCE * float(published):
        return {"length_km": round(float(published), 1), "length_source": "published",
                "published_length_km": round(float(published), 1)}
    return {"length_km": drawn, "length_source": "drawn",
            "published_length_km": round(float(published), 1) if published else None}


def _resolve(name: str, project: Project, gazetteer: Gazetteer, finder: PartnerFinder,
             unresolved: list[Unresolved]) -> Resolved | None:
    """A waypoint: a gazetteer place; a province or group → its capital at province precision."""
    if name in _HOME_WORDS:
        name = finder.home
    place = gazetteer.find(name)
    if place is not None:
        return Resolved(place.name, (place.lon, place.lat), place.precision, place.province, place.border_with,
                        region=place.level in {"province", "region"}, country=place.country)
    provinces = [m for m in finder.mentions(name) if m.start == 0 and m.end == len(name)]
    if provinces and provinces[0].provinces:
        capital = gazetteer.find(provinces[0].provinces[0])
        if capital is not None:
            return Resolved(name, (capital.lon, capital.lat), 4, capital.province, region=True)
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


def _site_place(project: Project) -> str | None:
    """The place a port or airport is named after when the gazetteer lacks it (策克口岸 → 策克), so
    that it is listed as unknown instead of the item silently moving to its provinces."""
    if project.kind not in _NAMED_BY_PLACE:
        return None
    words = [w for w in NAMED_WORDS if NAMED_WORDS[w] == project.kind and project.name_zh.endswith(w)]
    stem = project.name_zh[: -max(map(len, words))] if words else ""
    return stem if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", stem) else None


def _on_provinces(project: Project, gazetteer: Gazetteer, partners: _Partners) -> dict[str, Any]:
    """An item with no place of its own: placed at the capitals of its partner provinces (or home)."""
    names = partners.provinces or [partners.home]
    capitals = [c for c in (gazetteer.find(p) for p in names) if c is not None]
    points = [Point(c.lon, c.lat) for c in capitals]
    geometry = points[0] if len(points) == 1 else MultiPoint(points)
    row = _row(project, geometry, 4 if partners.provinces else 6, [], None)
    row["placed_on"] = "partner_provinces" if partners.provinces else "home_region"
    return row


def _row(project: Project, geometry: Any, precision: int, waypoints: list[str], route: str | None) -> dict[str, Any]:
    clause = project.clause
    return {
        "name_zh": project.name_zh, "sector": project.sector, "kind": project.kind,
        "clause": clause.number, "clause_text": clause.text, "wording": project.wording,
        "lead_agencies": [a.name for a in clause.lead], "lead_agencies_en": [a.name_en for a in clause.lead],
        "cooperating_agencies": [a.name for a in clause.cooperating],
        "cooperating_agencies_en": [a.name_en for a in clause.cooperating],
        "partner_provinces": [], "partner_reason": [], "partner_countries": [], "partner_countries_en": [],
        "status": project.status, "status_source": project.status_source,
        "target_status": project.target, "target_phrase": project.target_phrase,
        "precision": int(precision), "route": route, "length_km": None, "length_source": None,
        "published_length_km": None,
        "waypoints": waypoints, "placed_on": "waypoints" if route else "place", "geometry": geometry,
        "route_name": project.route_name,
    }


class _Partners:
    """Partner provinces in order of first reason, each with that reason; partner countries abroad."""

    def __init__(self, home: str) -> None:
        self.home = home
        self.provinces: list[str] = []
        self.reasons: list[str] = []
        self.countries: list[str] = []  # ISO codes of the countries abroad the item reaches

    def add_country(self, code: str) -> None:
        if code and code != HOME_COUNTRY and code not in self.countries:
            self.countries.append(code)

    def add(self, province: str, reason: str) -> None:
        if province and province != self.home and province not in self.provinces:
            self.provinces.append(province)
            self.reasons.append(reason)

    def add_all(self, provinces: list[str], reason: str) -> None:
        for province in provinces:
            self.add(province, reason)

    def add_named(self, text: str, finder: PartnerFinder, *, route: str | None = None) -> None:
        """The provinces ``text`` names: by name (山东, 京蒙), by a group (京津冀), by a place (张家口);
        a place in the name of the route a segment belongs to (新民 of 新民—鲁北联络线) by ``route``."""
        groups = read_groups(finder.data_dir)
        own_ends = _segment_start(text) if route else 0
        for mention in finder.mentions(text):
            if mention.end <= own_ends:
                reason = "route"
            elif len(groups.get(mention.text, ())) > 1:
                reason = "group"
            elif finder.is_province_name(mention.text) or mention.text in groups:
                reason = "named"  # 山东, 京蒙, and one-province words such as 浙商
            else:
                reason = "place"
            self.add_all(list(mention.provinces), reason)


def _segment_start(name: str) -> int:
    """Where the segment's own ends begin in a route segment's name (…联络线通辽—鲁北段 → 通辽)."""
    found = segment_of(name)
    return name.rfind(found.places[0]) if found and found.places else 0


__all__ = ["GEOD", "Hints", "Unresolved", "features_from_projects", "read_hints", "slug_words"]
