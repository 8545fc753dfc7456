"""Fidelity: what a layer folder must hold for a planner to trust it, beyond its schema.

Takes the features of a layer folder and the province polygons it ships with; gives every problem
found, as text:
- nothing invented: a line is drawn only through two or more waypoints (its ``placed_on`` is
  ``waypoints`` and its ``route`` says how it was traced); everything else is drawn at its place,
  places or provinces and says which;
- drawn geometry agrees with the facts: a published ``length_km`` is within 15 % of the drawn
  line's geodesic length, any other ``length_km`` is the drawn length; ``crossed_provinces`` is
  what the drawn line crosses;
- every partner province has its reason, and English names hold no Chinese.
"""

from __future__ import annotations

import math
import re
from typing import Any

import geopandas as gpd

from geo.layers.schema import LENGTH_TOLERANCE, length_km, provinces_crossed

#: How far a drawn ``length_km`` may be from the geometry's own length (rounding of coordinates), km.
DRAWN_ROUNDING_KM = 0.6
PLACEMENTS = frozenset({"waypoints", "place", "places", "partner_provinces", "home_region"})
PARTNER_REASONS = frozenset({"named", "group", "place", "end", "border", "route", "source", "context", "party"})
ROUTES = frozenset({"traced", "estimated", "schematic"})
_CJK = re.compile(r"[\u3400-\u9fff]")


def check_fidelity(features: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None) -> list[str]:
    """Every fidelity problem of ``features``, one line each (empty when all is well)."""
    problems: list[str] = []
    for row in features.itertuples(index=False):
        where = f"{getattr(row, 'id', '?')}"
        props = row._asdict()
        geom = props.get("geometry")
        if geom is None or geom.is_empty:
            continue  # the schema check reports it
        if geom.geom_type in {"LineString", "MultiLineString"}:
            problems += [f"{where}: {p}" for p in _line_problems(props, geom, provinces)]
        else:
            problems += [f"{where}: {p}" for p in _place_problems(props)]
        problems += [f"{where}: {p}" for p in _partner_problems(props)]
        if _CJK.search(str(props.get("name_en") or "")) or not props.get("name_en"):
            problems.append(f"{where}: name_en {props.get('name_en')!r} is not an English name")
    return problems


def drawn_km(geom: Any) -> float:
    """Geodesic length of a drawn line, km."""
    return float(length_km(geom))


def _line_problems(props: dict[str, Any], geom: Any, provinces: gpd.GeoDataFrame | None) -> list[str]:
    out = []
    if props.get("placed_on") != "waypoints":
        out.append(f"a line placed on {props.get('placed_on')!r}: lines are drawn only through waypoints")
    if props.get("route") not in ROUTES:
        out.append(f"route {props.get('route')!r} is not one of {sorted(ROUTES)}")
    if len(_as_list(props.get("waypoints"))) < 2:
        out.append("a line with fewer than two waypoints: nothing the plan or a source names to draw it through")
    out += _length_problems(props, drawn_km(geom))
    if provinces is not None:
        crossed = provinces_crossed(geom, provinces)
        stated = _as_list(props.get("crossed_provinces"))
        if stated != crossed:
            out.append(f"crossed_provinces {stated} but the drawn line crosses {crossed}")
    return out


def _length_problems(props: dict[str, Any], drawn: float) -> list[str]:
    length, source = props.get("length_km"), props.get("length_source")
    if not isinstance(length, (int, float)) or isinstance(length, bool) or not math.isfinite(length) or length <= 0:
        return [f"length_km {length!r} is not a positive number"]
    if source == "published":
        if abs(drawn - length) > LENGTH_TOLERANCE * length:
            return [f"drawn {drawn:.0f} km differs from the published {length:g} km by "
                    f"{(drawn - length) / length:+.0%} (more than {LENGTH_TOLERANCE:.0%})"]
        return []
    if source == "drawn":
        if abs(drawn - length) > DRAWN_ROUNDING_KM:
            return [f"length_km {length:g} is said to be drawn but the line is {drawn:.1f} km"]
        return []
    return [f"length_source {source!r} is neither published nor drawn"]


def _place_problems(props: dict[str, Any]) -> list[str]:
    out = []
    if props.get("placed_on") not in PLACEMENTS - {"waypoints"}:
        out.append(f"placed_on {props.get('placed_on')!r} for a {props.get('kind')} drawn as points")
    if props.get("route") not in (None, "") and not _is_nan(props.get("route")):
        out.append(f"route {props.get('route')!r} on an item that is not drawn as a line")
    if _as_list(props.get("crossed_provinces")):
        out.append("crossed_provinces on an item that is not drawn as a line")
    return out


def _partner_problems(props: dict[str, Any]) -> list[str]:
    partners, reasons = _as_list(props.get("partner_provinces")), _as_list(props.get("partner_reason"))
    if len(partners) != len(reasons):
        return [f"{len(partners)} partner provinces but {len(reasons)} partner reasons"]
    unknown = sorted({r for r in reasons if r not in PARTNER_REASONS})
    return [f"partner reasons {unknown} are not among {sorted(PARTNER_REASONS)}"] if unknown else []


def _as_list(value: Any) -> list[Any]:
    if value is None or _is_nan(value):
        return []
    return list(value) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else [value]


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
