"""Pipeline and map figures: plan → layers, and our map against ``GeoDataFrame.explore()``.

Both maps are built from the same GeoDataFrame and rendered to the HTML the browser receives
(``m.get_root().render()``); ours as the app builds it (with the province context layer the app
always passes), ``explore()`` with popups and its default tooltips. Ours and explore() alternate
run by run so that each ratio compares two runs made under the same conditions.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from bench.measure import Figure, figure, ratios, timed
from geo import filters
from geo.layers import load_layers, load_provinces_layer
from geo.webmap import assets
from geo.webmap import data as mapdata
from geo.webmap import view as mapview

#: The partner province of the one-province filter (many corridors of the plan go there).
FILTER_PROVINCE = "河北省"


@dataclass(frozen=True)
class MapRuns:
    """Per-run build seconds (wall and this process's CPU) and HTML bytes, ours and explore()'s."""

    ours_s: list[float]
    ours_cpu_s: list[float]
    ours_bytes: list[int]
    explore_s: list[float]
    explore_cpu_s: list[float]
    explore_bytes: list[int]


def pipeline_figures(*, runs: int, plan_path: Path | None = None) -> list[Figure]:
    """Plan file → layers on disk, ``runs`` times in this process (the first also loads the gazetteer)."""
    from geo.pipeline import build_layers

    seconds = []
    with tempfile.TemporaryDirectory(prefix="bench-layers-") as out:
        for _ in range(runs):
            elapsed, _report = timed(lambda: build_layers(plan_path, Path(out)))
            seconds.append(elapsed)
    return [figure("pipeline_s", seconds, "s"), figure("pipeline_first_s", seconds[:1], "s")]


def briefing_figures(*, runs: int, layer_dir: Path | None = None, partner: str = "山东省") -> list[Figure]:
    """What leaders print and read: ``briefing_s``, one partner's A4 briefing rendered to PDF
    (matplotlib on the province polygons, as ``python -m geo briefing`` makes it; the first run,
    which loads the fonts, is left out), and ``overview_s``, the overview page's numbers (counts
    and km by sector, lead agency and partner province, and the overdue items)."""
    from datetime import date

    from geo import filters
    from geo.reports import overview
    from geo.reports.briefing import briefing_pdf

    gdf, provinces = load_layers(layer_dir), load_provinces_layer(layer_dir)
    selection = filters.filter_projects(gdf, filters.Filters(partners=(partner,)))
    title = str(gdf["plan_title"].iloc[0]) if "plan_title" in gdf else ""
    pages = [timed(lambda: briefing_pdf(selection, provinces, title=title, selection=partner,
                                        highlight=(partner,)))[0] for _ in range(runs + 1)]

    def numbers() -> None:
        for by in ("sector", "lead_agency", "partner"):
            overview.counts_by(gdf, by)
        overview.overdue(gdf, {}, date.today())

    counts = [timed(numbers)[0] for _ in range(runs)]
    return [figure("briefing_s", pages[1:], "s"), figure("overview_s", counts, "s")]


def plan_map_figures(*, runs: int, layer_dir: Path | None = None) -> list[Figure]:
    """Our map against explore() on the plan's layers, with and without the province context."""
    gdf, provinces = load_layers(layer_dir), load_provinces_layer(layer_dir)
    _compare(gdf, provinces, runs=1)  # warm-up: imports, matplotlib's colormaps, Jinja templates
    app = _compare(gdf, provinces, runs=runs)
    bare = _compare(gdf, None, runs=runs)
    return [*_map_figures("map", app), *_map_figures("map_no_provinces", bare)]


def scale_figures(label: str, gdf: gpd.GeoDataFrame, *, runs: int,
                  layer_dir: Path | None = None) -> list[Figure]:
    """Map build, HTML bytes and the one-province filter on ``gdf`` (synthetic corridors)."""
    provinces = load_provinces_layer(layer_dir)
    figures = [Figure(f"{label}_features", len(gdf), "features", len(gdf), len(gdf), 1)]
    figures += _map_figures(label, _compare(gdf, provinces, runs=runs))
    figures += _filter_figures(label, gdf, provinces, runs=runs)
    return figures


# -- helpers ----------------------------------------------------------------------------------

def _compare(gdf: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None, *, runs: int) -> MapRuns:
    out = MapRuns([], [], [], [], [], [])
    for _ in range(runs):
        cpu = time.process_time()
        seconds, html = timed(lambda: _ours(gdf, provinces))
        out.ours_cpu_s.append(time.process_time() - cpu)
        out.ours_s.append(seconds)
        out.ours_bytes.append(len(html.encode("utf-8")))
        cpu = time.process_time()
        seconds, html = timed(lambda: _explore(gdf))
        out.explore_cpu_s.append(time.process_time() - cpu)
        out.explore_s.append(seconds)
        out.explore_bytes.append(len(html.encode("utf-8")))
    return out


def _ours(gdf: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None) -> str:
    """What a first visitor's browser receives for the map: the frame's page and the map data
    (the frame's scripts and styles are the same for every layer set, like explore()'s CDN files)."""
    data = mapdata.map_data(gdf, provinces)
    page = assets.frame_html(assets_url="/nmg/v/x", data_url=f"/nmg/data/{data.digest}.json")
    return page + data.body.decode("utf-8")


def _explore(gdf: gpd.GeoDataFrame) -> str:
    return str(gdf.explore(popup=True).get_root().render())


def _map_figures(label: str, r: MapRuns) -> list[Figure]:
    return [
        figure(f"{label}_build_s", r.ours_s, "s"),
        figure(f"{label}_bytes", r.ours_bytes, "bytes", digits=0),
        figure(f"{label}_explore_build_s", r.explore_s, "s"),
        figure(f"{label}_explore_bytes", r.explore_bytes, "bytes", digits=0),
        figure(f"{label}_build_ratio", ratios(r.ours_s, r.explore_s), "ratio"),
        figure(f"{label}_bytes_ratio", ratios(r.ours_bytes, r.explore_bytes), "ratio"),
        # CPU seconds of this process: what the build costs with a core to itself (the machine is shared).
        figure(f"{label}_build_cpu_s", r.ours_cpu_s, "s"),
        figure(f"{label}_build_cpu_ratio", ratios(r.ours_cpu_s, r.explore_cpu_s), "ratio"),
    ]


def _filter_figures(label: str, gdf: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame,
                    *, runs: int) -> list[Figure]:
    """The filter alone (``geo.filters``), and filter plus the new map, ours and explore()'s."""
    wanted = filters.Filters(partners=(FILTER_PROVINCE,))
    ours = _repeat(lambda: filters.filter_projects(gdf, wanted), runs * 5)
    theirs = _repeat(lambda: _pandas_filter(gdf), runs * 5)
    data = mapdata.map_data(gdf, provinces)  # built once per server; a filter change sends the view
    ours_map = _repeat(lambda: mapview.view_args(data, data_url="/nmg/data/x.json", lang="zh", changes={},
                                                 visible_ids=filters.filter_projects(gdf, wanted)["id"]), runs)
    theirs_map = _repeat(lambda: _explore(_pandas_filter(gdf)), runs)
    return [
        figure(f"{label}_filter_s", ours, "s", digits=5),
        figure(f"{label}_explore_filter_s", theirs, "s", digits=5),
        figure(f"{label}_filter_map_s", ours_map, "s"),
        figure(f"{label}_explore_filter_map_s", theirs_map, "s"),
    ]


def _pandas_filter(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """What an analyst writes before calling explore(): a boolean mask on the list column."""
    return gdf[gdf["partner_provinces"].map(lambda names: FILTER_PROVINCE in list(names))]


def _repeat(fn: Callable[[], object], runs: int) -> list[float]:
    return [timed(fn)[0] for _ in range(runs)]
