"""The view a user asks for: URL query parameters ⇄ ``Filters`` → the matching projects.

Takes the layers (one GeoDataFrame, every sector) and the current statuses from the status
store; gives the subset the map, the table and the downloads show, and the query string that
restores the same view. Pure functions: no Streamlit, no disk.

Query parameters (all optional, all repeatable or comma-separated):
``partner`` full province names or, for items that reach abroad, country names (蒙古国, 俄罗斯);
short names such as 山东 are accepted and completed; ``,``, ``,`` and ``、`` all separate,
``mode`` ``partner`` (named in the plan, default) or ``crossed`` (crossed by the route),
``sector``, ``status`` (taxonomy codes), ``agency`` (full Chinese lead-agency names),
``q`` free text over project names, ``lang`` ``zh`` (default) or ``en``, ``plan`` the plan's year
(default: the newest), ``change`` ``again`` (also in the plan before), ``new`` (not in the plan
before) or ``dropped`` (not named again in the plan after).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import i18n, settings, taxonomy

MODES: tuple[str, ...] = ("partner", "crossed")
#: How a plan's project stands to the plans before and after it.
CHANGES: tuple[str, ...] = ("again", "new", "dropped")
PARAM_KEYS: tuple[str, ...] = ("partner", "mode", "sector", "status", "agency", "q", "lang", "plan", "change")
#: Where a status comes from when the store has no change for a project.
PLAN_SOURCE = "plan"


@dataclass(frozen=True)
class Filters:
    """What the user selected. Empty tuples mean "no restriction"."""

    partners: tuple[str, ...] = ()
    mode: str = "partner"
    sectors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    q: str = ""
    lang: str = i18n.DEFAULT_LANG
    #: The plan's year (None: the newest plan of the layers).
    plan: int | None = None
    #: ``again``, ``new`` or ``dropped`` (see ``plan_changes``); "" for every project.
    change: str = ""
    #: Parameter values that were not understood (``"sector=trains"``), for a warning.
    ignored: tuple[str, ...] = field(default=(), compare=False)


def filters_from_params(params: Mapping[str, str | Sequence[str]], *,
                        provinces: Iterable[str] = (), agencies: Iterable[str] = (),
                        plans: Iterable[int] = ()) -> Filters:
    """Parse URL query parameters (``st.query_params.to_dict()`` or lists per key).

    Parameters
    ----------
    params
        Parameter name → value or list of values (repeated keys).
    provinces
        Full province names known to the layers; when given, short names are completed
        (山东 → 山东省) and unknown names are ignored. When empty, names are kept as given.
    agencies
        Lead agencies known to the layers, with the same role as ``provinces``.
    plans
        The plan years of the layers; a ``plan`` outside them is ignored.
    """
    ignored: list[str] = []
    known_provinces, known_agencies = tuple(provinces), tuple(agencies)
    partners = _pick(_values(params, "partner"), known_provinces, "partner", ignored, _complete_province)
    sectors = _pick(_values(params, "sector"), settings.SECTORS, "sector", ignored)
    statuses = _pick(_values(params, "status"), taxonomy.STATUS_CODES, "status", ignored)
    agency_values = _pick(_values(params, "agency"), known_agencies, "agency", ignored)
    mode = _single(params, "mode", MODES, ignored) or "partner"
    lang = _single(params, "lang", i18n.LANGS, ignored) or i18n.DEFAULT_LANG
    q = " ".join(_raw(params, "q")).strip()
    years = tuple(str(y) for y in plans)
    plan = _single(params, "plan", years, ignored) if years else None
    change = _single(params, "change", CHANGES, ignored) or ""
    return Filters(partners=partners, mode=mode, sectors=sectors, statuses=statuses,
                   agencies=agency_values, q=q, lang=lang, plan=int(plan) if plan else None, change=change,
                   ignored=tuple(ignored))


def params_from_filters(filters: Filters) -> dict[str, list[str]]:
    """The query parameters that restore ``filters``; defaults are left out to keep URLs short."""
    params: dict[str, list[str]] = {
        "partner": list(filters.partners),
        "mode": [filters.mode] if filters.mode != "partner" else [],
        "sector": list(filters.sectors),
        "status": list(filters.statuses),
        "agency": list(filters.agencies),
        "q": [filters.q] if filters.q else [],
        "lang": [filters.lang] if filters.lang != i18n.DEFAULT_LANG else [],
        "plan": [str(filters.plan)] if filters.plan else [],
        "change": [filters.change] if filters.change else [],
    }
    return {key: values for key, values in params.items() if values}


def filter_projects(gdf: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """The rows of ``gdf`` that match every restriction of ``filters`` (order kept)."""
    keep = pd.Series(True, index=gdf.index)
    if filters.partners:
        column = "crossed_provinces" if filters.mode == "crossed" else "partner_provinces"
        wanted = set(filters.partners)
        named = gdf[column].map(lambda names: bool(wanted.intersection(as_list(names))))
        if filters.mode != "crossed" and "partner_countries" in gdf:
            # a country is a partner like a province: 蒙古国 selects the items that reach Mongolia
            named |= gdf["partner_countries"].map(lambda names: bool(wanted.intersection(as_list(names))))
        keep &= named
    if filters.sectors:
        keep &= gdf["sector"].isin(filters.sectors)
    if filters.statuses:
        keep &= gdf["status"].isin(filters.statuses)
    if filters.agencies:
        wanted_agencies = set(filters.agencies)
        keep &= gdf["lead_agencies"].map(lambda names: bool(wanted_agencies.intersection(as_list(names))))
    if filters.q:
        keep &= _matches_text(gdf, filters.q)
    if filters.change and "plan_change" in gdf:
        keep &= gdf["plan_change"].map(lambda changes: filters.change in as_list(changes))
    return gdf[keep]


def with_current_status(gdf: gpd.GeoDataFrame,
                        current: Mapping[str, Mapping[str, Any]] | None = None) -> gpd.GeoDataFrame:
    """``gdf`` with the status store's view merged in (a copy; idempotent).

    Adds ``status_effective`` (when the change took effect), ``status_changed_at`` (when it was
    recorded), ``status_editor``, ``status_note`` and ``status_origin`` (``"plan"`` for the layer's
    own status, ``"store"`` for a recorded change) and overrides ``status``.

    Parameters
    ----------
    current
        Project id → ``{"status", "changed_at", "editor"}`` (optionally ``"note"``, ``"effective"``) for the
        projects whose status has been changed; other projects keep the plan's status.
    """
    out = gdf.copy()
    current = current or {}
    for column, default in (("status_changed_at", ""), ("status_editor", ""), ("status_origin", PLAN_SOURCE),
                            ("status_note", ""), ("status_effective", "")):
        if column not in out:
            out[column] = default
    for index, project_id in out["id"].items():
        change = current.get(project_id)
        if not change:
            continue
        out.at[index, "status"] = str(change.get("status") or out.at[index, "status"])
        out.at[index, "status_changed_at"] = _date_text(change.get("changed_at"))
        out.at[index, "status_editor"] = str(change.get("editor") or "")
        out.at[index, "status_note"] = str(change.get("note") or "")
        out.at[index, "status_effective"] = _date_text(change.get("effective"))
        out.at[index, "status_origin"] = "store"
    return out


def agency_names_en(gdf: gpd.GeoDataFrame) -> dict[str, str]:
    """Lead agency (full Chinese name) → its English name, as the layers pair them."""
    names: dict[str, str] = {}
    if "lead_agencies_en" not in gdf:
        return names
    for zh, en in zip(gdf["lead_agencies"], gdf["lead_agencies_en"], strict=False):
        zh_list, en_list = as_list(zh), as_list(en)
        if len(zh_list) == len(en_list):
            names.update(zip(map(str, zh_list), map(str, en_list), strict=True))
    return names


def province_names(gdf: gpd.GeoDataFrame) -> list[str]:
    """Every province named as partner or crossed in ``gdf``, and every partner country abroad, sorted
    (Chinese collation is by code point)."""
    names: set[str] = set()
    for column in ("partner_provinces", "crossed_provinces", "partner_countries"):
        if column in gdf:
            for value in gdf[column]:
                names.update(as_list(value))
    return sorted(names)


def lead_agencies(gdf: gpd.GeoDataFrame) -> list[str]:
    """Every lead agency in ``gdf``, in order of first appearance (the plan's order)."""
    seen: dict[str, None] = {}
    for value in gdf["lead_agencies"]:
        for name in as_list(value):
            seen.setdefault(name, None)
    return list(seen)


# -- helpers ----------------------------------------------------------------------------------

def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    """Every value of ``key``, repeated keys and comma-separated lists alike, stripped."""
    out: list[str] = []
    for raw in _raw(params, key):
        # Chinese text separates with the full-width comma and the enumeration comma as well
        normalised = raw.replace("\uff0c", ",").replace("\u3001", ",")
        out.extend(part.strip() for part in normalised.split(",") if part.strip())
    return list(dict.fromkeys(out))


def _raw(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _pick(values: list[str], known: Sequence[str], key: str, ignored: list[str],
          complete: Callable[[str, Sequence[str]], str | None] | None = None) -> tuple[str, ...]:
    if not known:
        return tuple(values)
    kept: list[str] = []
    for value in values:
        match = value if value in known else (complete(value, known) if complete else None)
        if match is None:
            ignored.append(f"{key}={value}")
        elif match not in kept:
            kept.append(match)
    return tuple(kept)


def _single(params: Mapping[str, str | Sequence[str]], key: str, known: Sequence[str],
            ignored: list[str]) -> str | None:
    values = _values(params, key)
    chosen = None
    for value in values:
        if value in known and chosen is None:
            chosen = value
        elif value not in known:
            ignored.append(f"{key}={value}")
    return chosen


def _complete_province(value: str, known: Sequence[str]) -> str | None:
    """山东 → 山东省, 内蒙古 → 内蒙古自治区: the only known name starting with ``value``."""
    candidates = [name for name in known if name.startswith(value)] if len(value) >= 2 else []
    return candidates[0] if len(candidates) == 1 else None


def _matches_text(gdf: gpd.GeoDataFrame, q: str) -> pd.Series:
    terms = [term.casefold() for term in q.split() if term]
    haystack = (gdf["name_zh"].fillna("").astype(str) + "\n" + gdf["name_en"].fillna("").astype(str)
                + "\n" + gdf["id"].astype(str)).str.casefold()
    keep = pd.Series(True, index=gdf.index)
    for term in terms:
        keep &= haystack.str.contains(term, regex=False)
    return keep


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, float) and pd.isna(value):
        return []
    try:
        return list(value)
    except TypeError:
        return [value]


def _date_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        text: str = value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else value.isoformat()
        return text
    return str(value)
