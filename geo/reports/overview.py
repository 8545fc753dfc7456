"""Overview for leaders: a plan's projects counted and measured by sector, status, lead agency and
partner province, and the items whose target the plan set is overdue.

Takes the features of one plan (with their current status, ``geo.filters.with_current_status``)
and, for overdue items, the status history of the store; gives plain tables (pandas) that the
overview page charts and the briefing prints. Pure: no database, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.filters import as_list

#: How far along a status is, for comparing it with a target (stopped items reach nothing).
PROGRESS: dict[str, int] = {
    "proposed": 0, "preparing": 1, "negotiating": 1, "approval": 2, "construction_planned": 3, "agreed": 3,
    "ongoing": 3, "construction": 4, "operating": 5, "completed": 5, "shelved": -1, "cancelled": -1,
}
_LINES = ("LineString", "MultiLineString")


@dataclass(frozen=True)
class Change:
    """One recorded status change of a project: the status and the day it took effect."""

    status: str
    effective: date


def counts_by(features: gpd.GeoDataFrame, by: str) -> pd.DataFrame:
    """Projects and line kilometres by ``by`` (``sector``, ``lead_agency`` or ``partner``) and status.

    Returns a long table with columns ``key``, ``status``, ``projects``, ``km``; an item with
    several lead agencies or partners counts once under each.
    """
    rows = []
    for row in features.itertuples(index=False):
        keys = _keys(row, by)
        is_line = row.geometry is not None and row.geometry.geom_type in _LINES
        km = float(row.length_km) if is_line and row.length_km == row.length_km and row.length_km else 0.0
        rows += [{"key": key, "status": row.status, "projects": 1, "km": km} for key in keys]
    table = pd.DataFrame(rows, columns=["key", "status", "projects", "km"])
    return table.groupby(["key", "status"], as_index=False).sum().sort_values(["key", "status"], ignore_index=True)


def status_on(baseline: str, changes: Iterable[Change], day: date) -> str:
    """The status a project had on ``day``: its last change in effect by then, else the plan's."""
    done = [c for c in changes if c.effective <= day]
    return max(done, key=lambda c: c.effective).status if done else baseline


def overdue(features: gpd.GeoDataFrame, history: Mapping[str, Iterable[Change]], today: date) -> pd.DataFrame:
    """The items whose plan set a target (``target_status``) not reached by the report deadline.

    An item is overdue once its deadline has passed and the status in effect on that day (its
    recorded changes, else the plan's own status) is short of the target.
    """
    out = []
    for row in features.itertuples(index=False):
        target, deadline = getattr(row, "target_status", None), _date(getattr(row, "report_deadline", None))
        if not isinstance(target, str) or deadline is None or today <= deadline:
            continue
        baseline = str(row.status)  # the plan's own status: pass the layer features, not the store's view
        reached = status_on(baseline, history.get(str(row.id), ()), deadline)
        if PROGRESS.get(reached, 0) < PROGRESS.get(target, 0):
            out.append({"id": row.id, "name_zh": row.name_zh, "name_en": row.name_en, "sector": row.sector,
                        "target_status": target, "target_phrase": row.target_phrase, "deadline": deadline,
                        "status_on_deadline": reached, "lead_agencies": as_list(row.lead_agencies)})
    return pd.DataFrame(out, columns=["id", "name_zh", "name_en", "sector", "target_status", "target_phrase",
                                      "deadline", "status_on_deadline", "lead_agencies"])


def _keys(row: Any, by: str) -> list[str]:
    if by == "sector":
        return [str(row.sector)]
    if by == "lead_agency":
        return [str(a) for a in as_list(row.lead_agencies)] or ["—"]
    if by == "partner":
        return [str(p) for p in as_list(row.partner_provinces)] or ["—"]
    raise ValueError(f"cannot count by {by!r}: use sector, lead_agency or partner")


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None
