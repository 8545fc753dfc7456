"""Plan years: the views of a multi-plan layer set that the page and the reports need.

Takes the features of a layer folder (each with ``plan_year`` and ``plan_years``); gives one
plan's features with how each compares to the plans before and after, a project's status in
every plan that names it, and the newest plan's year.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd


def plan_changes(features: gpd.GeoDataFrame, earlier: int, later: int) -> dict[str, str]:
    """Project id → ``again`` (in both plans), ``new`` (only the later) or ``dropped`` (only the earlier)."""
    before = set(features.loc[features["plan_year"] == earlier, "id"])
    after = set(features.loc[features["plan_year"] == later, "id"])
    return {**{i: "dropped" for i in before - after}, **{i: "new" for i in after - before},
            **{i: "again" for i in before & after}}


def plan_view(features: gpd.GeoDataFrame, year: int | None = None) -> gpd.GeoDataFrame:
    """The features of the plan of ``year`` (default: the newest), each with ``plan_change``: the
    list of ``again`` (the plan before names it too), ``new`` (it does not) and ``dropped`` (the plan
    after does not name it again) that apply; empty for the only plan."""
    if "plan_year" not in features or features.empty:
        return features
    years = sorted({int(y) for y in features["plan_year"]})
    year = year if year in years else years[-1]
    view = features[features["plan_year"] == year].copy()
    before = max((y for y in years if y < year), default=None)
    after = min((y for y in years if y > year), default=None)

    def changes(plan_years: Any) -> list[str]:
        named = {int(y) for y in plan_years}
        out = []
        if before is not None:
            out.append("again" if before in named else "new")
        if after is not None and after not in named:
            out.append("dropped")
        return out

    view["plan_change"] = view["plan_years"].map(changes)
    return view


def plan_statuses(features: gpd.GeoDataFrame, project_id: str) -> list[tuple[int, str, str]]:
    """(year, status, the plan's words) for every plan that names the project, oldest first."""
    rows = features[features["id"] == project_id].sort_values("plan_year")
    return [(int(r.plan_year), str(r.status), str(r.status_source)) for r in rows.itertuples()]


def latest_year(features: gpd.GeoDataFrame) -> int | None:
    """The year of the newest plan in ``features``."""
    return int(features["plan_year"].max()) if "plan_year" in features and len(features) else None
