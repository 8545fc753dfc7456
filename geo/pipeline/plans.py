"""Plans: the features of several plans → one set in which a project keeps one id from year to year.

The region's plans are annual; the same project is named again with new verbs (前期工作 one year,
开工建设 the next). Each feature carries its plan (``plan_id``, ``plan_year``, ``report_deadline``),
the years of every plan that names the same project (``plan_years``) and a ``project_key``: the
kind with the project's ends (written or cited) or its canonical name. Two features of different
plans are the same project when they share the kind and any of these keys, so a line renamed from
"锡林郭勒盟—山东特高压外送电通道" to "锡盟—山东…输变电工程" keeps its id, and with it its status history.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.pipeline.gazetteer import HOME_PROVINCE, Gazetteer

_HOME_WORDS = ("我区", "区内", "全区")


@dataclass(frozen=True)
class PlanInfo:
    """One plan as the features carry it."""

    plan_id: str
    year: int
    title: str
    report_deadline: date | None
    title_en: str = ""


def plan_id_of(path: Path) -> str:
    """A plan's id: its file name without the extension (``nmg-2014-regional-cooperation``)."""
    return Path(path).name.split(".")[0]


def project_keys(row: dict[str, Any], places: list[str], hint_match: str | None, gazetteer: Gazetteer) -> list[str]:
    """Every key by which this feature's project may be named in another plan, the steadiest first."""
    kind = row["kind"]
    keys = []
    if len(places) >= 2:
        keys.append(f"{kind}:" + "|".join(sorted({_canonical(places[0], gazetteer), _canonical(places[-1], gazetteer)})))
    waypoints = list(row.get("waypoints") or [])
    if row.get("route") and len(waypoints) >= 2:
        keys.append(f"{kind}:" + "|".join(sorted({_canonical(waypoints[0], gazetteer),
                                                   _canonical(waypoints[-1], gazetteer)})))
    if hint_match:
        keys.append(f"{kind}:source:{hint_match}")
    keys.append(f"{kind}:{_name_key(row['name_zh'])}")
    return list(dict.fromkeys(keys))


def link_plans(frames: Iterable[tuple[PlanInfo, gpd.GeoDataFrame]], assign: Any) -> gpd.GeoDataFrame:
    """One frame of all plans' features, the same project under one id in every plan.

    ``frames`` come in plan order, each with the columns ``sector``, ``slug`` and ``keys`` (from
    ``project_keys``); ``assign`` makes ids from (sector, slug) pairs (``geo.pipeline.build.make_id``).
    """
    by_key: dict[str, tuple[str, str]] = {}   # key → (id, project_key)
    taken: Counter[str] = Counter()
    parts = []
    for info, frame in frames:
        frame = frame.copy()
        ids, project_key, used = [], [], set()
        for sector, slug, keys in zip(frame["sector"], frame["slug"], frame["keys"]):
            found = next((by_key[k] for k in keys if k in by_key and by_key[k][0] not in used), None)
            if found is None:
                found = (assign(sector, slug, taken), keys[0])
            used.add(found[0])
            for key in keys:
                by_key.setdefault(key, found)
            ids.append(found[0])
            project_key.append(found[1])
        frame.insert(0, "id", ids)
        frame["project_key"] = project_key
        frame["plan_id"] = info.plan_id
        frame["plan_year"] = info.year
        frame["plan_title"] = info.title
        frame["plan_title_en"] = info.title_en
        frame["report_deadline"] = info.report_deadline.isoformat() if info.report_deadline else None
        parts.append(frame.drop(columns=["slug", "keys"]))
    combined = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    years = combined.groupby("id")["plan_year"].apply(lambda s: sorted({int(y) for y in s}))
    combined["plan_years"] = [years[i] for i in combined["id"]]
    return combined


def _canonical(name: str, gazetteer: Gazetteer) -> str:
    name = HOME_PROVINCE if name in _HOME_WORDS else name
    place = gazetteer.find(name)
    return place.name if place is not None else name


def _name_key(name: str) -> str:
    """A name without its brackets, quotes and fillers: 《…》, 工业园区 = 工业园, spaces."""
    name = name.strip("《》“”").replace("工业园区", "工业园")
    return re.sub(r"\s+", "", name)
