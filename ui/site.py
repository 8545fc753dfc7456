"""What a server process builds once and every visitor shares: the layers, the map data, the store.

``app.py`` builds it at start-up, before the first visitor; a page run (or a test's AppTest,
which has no server) finds it here, built on first use. No Streamlit cache is involved: these
are plain per-process values, the same for every session.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd

from geo import filters, layers, settings, webmap
from geo.errors import GeoError
from geo.store import Baseline, Store, open_store
from geo.taxonomy import HOME_COUNTRY, read_countries

LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_SITES: dict[str, Site] = {}
_LAYERS: dict[str, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]] = {}
_STORE: dict[str, Store] = {}
_SEEDED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Site:
    """One layer set as the app serves it."""

    layer_dir: Path
    projects: gpd.GeoDataFrame  # every sector of one plan, the plan's statuses
    provinces: gpd.GeoDataFrame | None
    data: webmap.MapData
    plan_year: int | None = None
    plan_years: tuple[int, ...] = ()
    all_plans: gpd.GeoDataFrame | None = None  # every plan's features (a project's years)

    @property
    def every_plan(self) -> gpd.GeoDataFrame:
        """Every plan's features (the projects themselves when the layers hold one plan)."""
        return self.all_plans if self.all_plans is not None else self.projects

    @cached_property
    def known_provinces(self) -> list[str]:
        """Every province a filter can name: partners and crossed provinces of every plan, and the map's."""
        return sorted(set(filters.province_names(self.every_plan)) | set(self.province_en))

    @cached_property
    def lead_agencies(self) -> list[str]:
        """Every lead agency of every plan, in the plans' order."""
        return filters.lead_agencies(self.every_plan)

    @cached_property
    def agency_names_en(self) -> dict[str, str]:
        """Lead agency → its English name, as the layers pair them."""
        return filters.agency_names_en(self.every_plan)

    @property
    def province_en(self) -> dict[str, str]:
        """Full Chinese province name → English name, and the same for partner countries abroad (蒙古国 → Mongolia)."""
        countries = {row["name"]: row["name_en"] for code, row in read_countries().items() if code != HOME_COUNTRY}
        if self.provinces is None or "name_en" not in self.provinces:
            return countries
        return {**countries,
                **dict(zip(self.provinces["name"].astype(str), self.provinces["name_en"].astype(str), strict=True))}


def layer_dir() -> Path:
    """``--layers DIR`` after ``--`` on the command line, else the committed layers."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--layers", type=Path, default=None)
    args, _ = parser.parse_known_args(sys.argv[1:])
    return Path(args.layers or settings.DEFAULT_LAYERS)


def site(folder: Path | None = None, *, plan: int | None = None) -> Site:
    """The plan of ``plan``'s year (default: the newest) in the layers of ``folder`` (default:
    ``layer_dir()``), loaded and turned into map data once per plan."""
    folder = Path(folder or layer_dir()).resolve()
    with _LOCK:
        if str(folder) not in _LAYERS:
            _LAYERS[str(folder)] = layers.load_checked_layers(folder)
        every, provinces = _LAYERS[str(folder)]
        years = tuple(sorted({int(y) for y in every["plan_year"]})) if "plan_year" in every else ()
        year = plan if plan in years else (years[-1] if years else None)
        key = f"{folder}|{year}"
        if key not in _SITES:
            projects = layers.plan_view(every, year)
            _SITES[key] = Site(folder, projects, provinces, webmap.map_data(projects, provinces), year, years,
                               every if len(years) > 1 else None)
        return _SITES[key]


def map_data_by_digest(digest: str) -> webmap.MapData | None:
    """The map data a frame asks for by its digest, if this process serves it."""
    with _LOCK:
        return next((s.data for s in _SITES.values() if s.data.digest == digest), None)


def store() -> Store:
    """The status store (``settings.database_url()``), opened once per process and URL.

    Raises
    ------
    GeoError
        The database cannot be reached (not remembered: the next call tries again).
    """
    url = settings.database_url()
    with _LOCK:
        if url not in _STORE:
            _STORE[url] = open_store(url)
        return _STORE[url]


def seeded_store(current: Site) -> Store:
    """The store with the plan's baseline of ``current`` seeded (once per process and layer set)."""
    db = store()
    key = (settings.database_url(), current.data.digest)
    if key not in _SEEDED:
        rows = current.projects.drop(columns="geometry").to_dict("records")
        db.seed((Baseline.from_mapping(row) for row in rows), aliases=layers.read_id_aliases())
        _SEEDED.add(key)
    return db


#: Modules of the page that its first run would otherwise import while a visitor waits.
PAGE_MODULES = ("ui.sidebar", "ui.layout", "ui.signin", "ui.status_form", "ui.history", "ui.table", "ui.data",
                "geo.reports.exports", "geo.store.auth", "geo.reports.progress")


def warm_up() -> None:
    """Everything the first visitor would otherwise wait for: layers, map data, files, the store,
    the page's modules."""
    import importlib

    for module in PAGE_MODULES:
        importlib.import_module(module)
    importlib.import_module("pypinyin").lazy_pinyin("预热")  # its dictionary loads on first use
    webmap.asset_set()
    current = site()
    try:
        seeded_store(current)
    except GeoError as err:  # the map works without the store; the form says so to editors
        LOG.warning("status store not available at start-up: %s", err)


def forget() -> None:
    """Drop every built value (tests that change the layers or the database URL)."""
    with _LOCK:
        _SITES.clear()
        _LAYERS.clear()
        for db in _STORE.values():
            db.close()
        _STORE.clear()
        _SEEDED.clear()
