"""The map: matching projects (GeoDataFrame) → a lean, offline folium map with legend and popups.

Takes the layers after filtering (``geo.filters``), optionally the province polygons and the
status store's current statuses; gives a ``folium.Map`` whose every script and stylesheet is
served by the app (``geo.assets``). One GeoJSON layer per sector carries only the properties the
popup shows; the popup, tooltip, line style and marker are built in the browser by a small
script (``_MAP_JS``) from those properties, so the page grows by the data and not by one
folium object per feature. Text from the data reaches the page only through ``textContent``
or an escaping function, and JSON is embedded with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo import assets, filters, i18n, settings
from geo.errors import BasemapRefused

HOME_PROVINCE = "内蒙古自治区"

#: Sector colours: distinct hues, readable on the pale province fill and on OSM/Tianditu.
SECTOR_COLORS: dict[str, str] = {
    "rail": "#c0392b",
    "road": "#e67e22",
    "aviation": "#8e44ad",
    "energy": "#1f5fbf",
    "industry": "#27864a",
    "logistics": "#0e8a8a",
    "education": "#c2185b",
    "science": "#4b3fa8",
    "tourism": "#8a7a12",
}
STOPPED_COLOR = "#8c8c8c"
FALLBACK_COLOR = "#555555"

#: Line width by kind: the transport corridors wide, power lines thin, pipelines between.
KIND_WEIGHTS: dict[str, float] = {"expressway": 6, "railway": 4.5, "pipeline": 4, "power_line": 2.5}
DEFAULT_WEIGHT = 3.5

#: Font Awesome (solid) glyph by kind for point markers.
KIND_ICONS: dict[str, str] = {
    "industrial_park": "industry", "transfer_zone": "arrow-right-arrow-left",
    "investment_promotion": "bullhorn", "logistics_programme": "truck", "dry_port": "anchor",
    "fair": "store", "market": "shop", "sales_zone": "cart-shopping", "university": "graduation-cap",
    "education_agreement": "school", "science_partnership": "flask", "tourism_circle": "mountain-sun",
    "tourism_agreement": "handshake", "air_service": "plane", "road_network": "road",
    "energy_agreement": "bolt", "programme": "handshake", "railway": "train", "expressway": "road",
    "power_line": "bolt", "pipeline": "oil-well",
}

#: Status code → drawing class: solid when built, long dashes in construction, short dashes
#: while planned or negotiated, grey dots when stopped.
STATUS_CLASSES: dict[str, str] = {
    "operating": "built", "completed": "built", "construction": "construction",
    "proposed": "planned", "preparing": "planned", "approval": "planned",
    "construction_planned": "planned", "negotiating": "planned", "agreed": "planned",
    "ongoing": "planned", "shelved": "stopped", "cancelled": "stopped",
}
DASHES: dict[str, str | None] = {"built": None, "construction": "14 6", "planned": "7 7", "stopped": "2 7"}

#: Only these properties travel to the browser (``_popup_properties``).
_LINE_TYPES = ("LineString", "MultiLineString")
_POINT_TYPES = ("Point", "MultiPoint")

#: ``placed_on`` values (pipeline) of items drawn on provinces rather than at a place of their own.
REGIONAL_PLACEMENTS = frozenset({"partner_provinces", "home_region", "provinces"})

GCJ02_NAMES = frozenset({"amap", "gaode", "autonavi", "tencent", "qq", "soso"})
GCJ02_HOSTS = ("autonavi.com", "amap.com", "map.qq.com", "gtimg.com", "map.baidu.com", "bdimg.com")


@dataclass(frozen=True)
class Basemap:
    """A WGS84/CGCS2000 XYZ tile basemap; ``tiles`` are drawn bottom to top (base, labels)."""

    key: str
    tiles: tuple[str, ...]
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18


def basemap_from_choice(choice: str, *, lang: str = "zh", tianditu_token: str | None = None,
                        custom_url: str | None = None,
                        custom_attribution: str = "intranet tiles") -> Basemap | None:
    """The basemap for a sidebar choice (``none``, ``osm``, ``tianditu``, ``custom``).

    Raises
    ------
    BasemapRefused
        For GCJ-02 providers (AMap, Tencent: our WGS84 lines would be drawn hundreds of metres
        off) and BD-09 (Baidu); for Tianditu without a token; for a custom URL that is missing,
        not an XYZ template, or a GCJ-02 host.
    """
    choice = (choice or "none").strip().lower()
    if choice == "none":
        return None
    if choice in GCJ02_NAMES or choice == "baidu":
        raise BasemapRefused(f"basemap {choice!r} uses the GCJ-02/BD-09 datum; refusing it",
                             reason="gcj02")
    if choice == "osm":
        return Basemap("osm", ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
                       '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
                       subdomains="abc", max_zoom=19)
    if choice == "tianditu":
        return _tianditu(tianditu_token, lang)
    if choice == "custom":
        return _custom_basemap(custom_url, custom_attribution)
    raise BasemapRefused(f"unknown basemap {choice!r}; choose none, osm, tianditu or custom",
                         reason="bad_url")


def map_from_layers(gdf: gpd.GeoDataFrame, *, lang: str = "zh",
                    selected_partners: Sequence[str] = (),
                    basemap: Basemap | None = None,
                    provinces: gpd.GeoDataFrame | None = None,
                    statuses: Mapping[str, Mapping[str, Any]] | None = None,
                    asset_base_url: str = assets.DEFAULT_BASE_URL,
                    fit: bool = True) -> folium.Map:
    """Build the map of ``gdf`` (the projects to show, already filtered).

    Parameters
    ----------
    gdf
        Projects following the layer contract (``geo.layers``); WGS84.
    lang
        ``zh`` or ``en``: popups, tooltips, legend and layer names.
    selected_partners
        Full province names to highlight (the partner filter).
    basemap
        Tiles under the vectors; ``None`` draws only the provinces (works offline).
    provinces
        Province polygons (``name``, ``name_en``): drawn as context, and used to place items
        without a place of their own on their partner provinces.
    statuses
        The status store's changes, project id → ``{"status", "changed_at", "editor"}``;
        projects absent keep the plan's status. May be omitted when ``gdf`` already went
        through ``geo.filters.with_current_status``.
    asset_base_url
        Where the browser finds the vendor files (``geo.assets.install_assets``).
    fit
        Fit the view to the projects (else to Inner Mongolia).
    """
    lang = i18n.lang_or_default(lang)
    projects = filters.with_current_status(gdf, statuses)
    context = _province_context(provinces, lang)
    anchors = context.anchors if context else {}
    m = folium.Map(location=(42.0, 112.0), zoom_start=5, tiles=None, control_scale=True,
                   maxZoom=18, minZoom=3,  # folium passes its max_zoom to tiles only; we may have none
                   zoom_snap=0.25, prefer_canvas=False)
    if basemap is not None:
        _add_basemap(m, basemap)
    names: dict[str, int] = {}
    lines = _encoded_lines(projects.geometry)
    collections = _sector_collections(projects, lines.geometries, anchors, lang, names)
    MapScript(_map_config(projects, lang, provinces, list(names))).add_to(m)
    if context is not None:
        ProvinceLayer(context.compact, selected=selected_partners,
                      filled=basemap is None, name=i18n.t("layers_provinces", lang)).add_to(m)
    for sector, collection in collections.items():
        SectorLayer(collection, sector=sector, name=_layer_label(sector, len(collection["features"]), lang)).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Legend().add_to(m)
    bounds = _bounds(collections.values(), lines.box) if fit else None
    # keep the projects clear of the legend (bottom left) and the layer control (top right)
    m.fit_bounds(bounds or _home_bounds(provinces), padding_top_left=(24, 24), padding_bottom_right=(60, 120))
    return assets.localize_map(m, base_url=asset_base_url)


def drawable_lines(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The projects drawn as corridors (one SVG path each): line geometries that are not empty."""
    geoms = gdf.geometry
    mask = geoms.notna() & ~geoms.is_empty & geoms.geom_type.isin(_LINE_TYPES)
    return gdf[mask.fillna(False)]


def project_id_from_popup(text: str | None, known_ids: Iterable[str]) -> str | None:
    """The project id printed at the foot of a popup (streamlit-folium returns the popup's text)."""
    if not text:
        return None
    ids = set(known_ids)
    last_line = text.strip().splitlines()[-1] if text.strip() else ""
    for candidate in (last_line, text):
        for token in reversed(candidate.replace(":", " ").replace(":", " ").split()):
            if token in ids:
                return token
    return None


# -- elements ---------------------------------------------------------------------------------

class _Text(Element):
    """Already rendered text in the figure: branca would compile it as a Jinja template, which
    costs more than building the map once the data reach megabytes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _DataElement(MacroElement):
    """A macro element whose rendered parts go into the figure as ``_Text`` (see there)."""

    def _render_parts(self, **kwargs: Any) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not a layer on its own"
        module = self._template.module
        for part, section in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.__dict__.get(part)
            if macro is not None:
                section.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def _add_to_parent(self) -> None:
        """What folium's ``Layer.render`` adds: ``<layer>.addTo(<parent>)``."""
        assert self._parent is not None, "add the layer to a map first"
        self.add_child(ElementAddToElement(element_name=self.get_name(),
                                           element_parent_name=self._parent.get_name()),
                       name=self.get_name() + "_add")


class MapScript(MacroElement):
    """Styles and the browser-side builders (popup, tooltip, line style, marker) of this map."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}var NMG = (function (cfg) { {{ this.js }} })({{ this.config }});{% endmacro %}
    """)

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "MapScript"
        self.config = _js_json(config)
        self.js = _compact(_MAP_JS)
        self.css = _compact(_MAP_CSS)


class SectorLayer(JSCSSMixin, Layer, _DataElement):
    """One sector: corridors as lines, facilities and regional items as clustered markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = NMG.sectorLayer({{ this.sector }}, {{ this.data }});
        {% endmacro %}
    """)
    def __init__(self, collection: Mapping[str, Any], *, sector: str, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "SectorLayer"
        # Names as in folium's MarkerCluster; ``geo.assets.localize_map`` gives them local URLs.
        # Clusters are drawn in the sector's colour (_MAP_CSS), so MarkerCluster.Default.css is not needed.
        self.default_js = [("markerclusterjs", "")]
        self.default_css = [("markerclustercss", "")]
        self.sector = _js_json(sector)
        self.data = _js_json(collection)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as branca's MacroElement
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not a layer on its own"
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        self._add_to_parent()
        self._render_parts(**kwargs)


class ProvinceLayer(Layer, _DataElement):
    """Province outlines and labels; Inner Mongolia outlined, selected partners highlighted."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = NMG.provinceLayer({{ this.data }}, {{ this.selected }}, {{ this.filled }});
        {% endmacro %}
    """)

    def __init__(self, collection: list[dict[str, Any]], *, selected: Sequence[str], filled: bool,
                 name: str) -> None:
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "ProvinceLayer"
        self.data = _js_json(collection)
        self.selected = _js_json(list(selected))
        self.filled = "true" if filled else "false"

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as branca's MacroElement
        self._add_to_parent()
        self._render_parts(**kwargs)


class Legend(MacroElement):
    """The legend as a Leaflet control (HTML/CSS in the page, no colormap library)."""

    _template = Template("""
        {% macro script(this, kwargs) %}NMG.legend({{ this._parent.get_name() }});{% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "Legend"


# -- data for the browser -----------------------------------------------------------------------

def _map_config(projects: gpd.GeoDataFrame, lang: str, provinces: gpd.GeoDataFrame | None,
                names: list[str]) -> dict[str, Any]:
    """Labels (once, for the codes in use), styles and clause texts shared by every feature."""
    t = {key.removeprefix("pp_"): i18n.t(key, lang) for key in i18n.STRINGS[lang] if key.startswith("pp_")}
    t.update(schematic=i18n.t("route_schematic", lang), traced=i18n.t("route_traced", lang))
    clauses: dict[str, str] = {}
    for clause, text in zip(projects.get("clause", []), projects.get("clause_text", []), strict=False):
        if _pick_text(clause) and _pick_text(text):
            clauses.setdefault(str(clause), str(text))
    used = {column: sorted({_pick_text(v) for v in projects[column]} - {""}) if column in projects else []
            for column in ("sector", "kind", "status")}
    english: dict[str, str] = {}
    if lang == "en" and provinces is not None and "name_en" in provinces:
        wanted = set(names)
        english = {str(n): str(e) for n, e in zip(provinces["name"], provinces["name_en"], strict=True)
                   if n in wanted}
    return {
        "lang": lang,
        "home": HOME_PROVINCE,
        "t": t,
        "sectors": {code: i18n.sector_label(code, lang) for code in used["sector"]},
        "kinds": {code: i18n.kind_label(code, lang) for code in used["kind"]},
        "statuses": {code: i18n.status_label(code, lang) for code in used["status"]},
        "precision": {str(code): i18n.precision_label(code, lang) for code in range(1, 9)},
        "names": names,
        "provinces": english,
        "classes": STATUS_CLASSES,
        "colors": SECTOR_COLORS,
        "grey": STOPPED_COLOR,
        "fallback": FALLBACK_COLOR,
        "weights": KIND_WEIGHTS,
        "weight": DEFAULT_WEIGHT,
        "icons": KIND_ICONS,
        "dashes": DASHES,
        "scale": LINE_SCALE,
        "clauses": clauses,
        "legend": _legend_html(lang),
    }


def _sector_collections(projects: gpd.GeoDataFrame, lines: Sequence[dict[str, Any] | None],
                        anchors: Mapping[str, tuple[float, float]],
                        lang: str, names: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Per sector, a FeatureCollection of what is drawn; ``lines`` are the rows' encoded line
    geometries (``_encoded_lines``); ``names`` collects the agency and province names the
    features refer to by index."""
    by_sector: dict[str, list[dict[str, Any]]] = {}
    for row, line in zip(_rows(projects), lines, strict=True):
        drawn = (line, False) if line is not None else _drawn_geometry(row, anchors)
        if drawn is None:
            continue  # no place and no province to stand on: listed in the table only
        geometry, regional = drawn
        properties = _popup_properties(row, lang, names)
        if regional:
            properties["region"] = 1
        by_sector.setdefault(str(row["sector"]), []).append(
            {"type": "Feature", "geometry": geometry, "properties": properties})
    order = {sector: i for i, sector in enumerate(settings.SECTORS)}
    return {sector: {"type": "FeatureCollection", "features": features}
            for sector, features in sorted(by_sector.items(), key=lambda kv: order.get(kv[0], 99))}


def _drawn_geometry(row: Any, anchors: Mapping[str, tuple[float, float]]
                    ) -> tuple[dict[str, Any], bool] | None:
    """(GeoJSON geometry, is regional) of one project that is not a line (``_encoded_lines``):
    its point(s), or for an item without a place of its own a MultiPoint on its partner
    provinces; None when unplaceable."""
    geom = row.geometry
    if geom is not None and not geom.is_empty and geom.geom_type in _POINT_TYPES:
        return _rounded_geojson(geom), _is_regional(row)
    points = [anchors[name] for name in filters.as_list(row.get("partner_provinces")) if name in anchors]
    if not points and geom is not None and not geom.is_empty:
        rp = geom.representative_point()
        points = [(rp.x, rp.y)]
    if not points:
        return None
    return {"type": "MultiPoint", "coordinates": [[round(x, 5), round(y, 5)] for x, y in points]}, True


class _Row(dict[str, Any]):
    """A project as a dict with its geometry as an attribute (like a GeoDataFrame row, faster)."""

    geometry: Any = None


def _rows(projects: gpd.GeoDataFrame) -> list[_Row]:
    records = pd.DataFrame(projects.drop(columns=projects.geometry.name)).to_dict("records")
    rows = []
    for record, geom in zip(records, projects.geometry, strict=True):
        row = _Row(record)
        row.geometry = geom
        rows.append(row)
    return rows


def _is_regional(row: Any) -> bool:
    """Placed on its provinces (or the home region) rather than on a place of its own."""
    placed_on = _pick_text(row.get("placed_on"))
    if placed_on:
        return placed_on in REGIONAL_PLACEMENTS
    precision = _int_or_none(row.get("precision"))
    return precision is not None and precision >= 4


def _popup_properties(row: Any, lang: str, names: dict[str, int]) -> dict[str, Any]:
    """The properties the popup shows: codes whose labels, and indices into ``names`` (agencies
    and provinces) whose texts, live once in the map config."""
    en = lang == "en"

    def indices(values: list[str]) -> list[int]:
        return [names.setdefault(value, len(names)) for value in values]

    status = _pick_text(row.get("status"))
    from_store = row.get("status_origin") == "store"
    properties = {
        "id": str(row["id"]),
        "name_zh": _pick_text(row.get("name_zh")),
        "name_en": _pick_text(row.get("name_en")),
        "kind": _pick_text(row.get("kind")),
        "status": status,
        "source": _pick_text(row.get("status_note") if from_store else row.get("status_source")),
        "changed": " · ".join(part for part in (_pick_text(row.get("status_changed_at")),
                                                _pick_text(row.get("status_editor"))) if part)
        if from_store else "",
        "lead": indices(_names(row, "lead_agencies", en)),
        "coop": indices(_names(row, "cooperating_agencies", en)),
        "partners": indices([str(n) for n in filters.as_list(row.get("partner_provinces"))]),
        "route": _pick_text(row.get("route")),
        "length": _round_or_none(row.get("length_km")),
        "precision": _int_or_none(row.get("precision")),
        "clause": _pick_text(row.get("clause")),
    }
    return {key: value for key, value in properties.items() if value not in ("", [], None)}


def _names(row: Any, column: str, en: bool) -> list[str]:
    zh = [str(n) for n in filters.as_list(row.get(column))]
    if not en:
        return zh
    english = [str(n) for n in filters.as_list(row.get(f"{column}_en"))]
    return english if len(english) == len(zh) else zh


def _province_collection(provinces: gpd.GeoDataFrame, lang: str) -> list[dict[str, Any]]:
    """Provinces for context, compact: shared borders simplified together (so no slivers), small
    islands dropped, rings as encoded polylines at 0.01° (decoded by ``NMG.provinceLayer``).
    Enough for the national and regional view the map opens at; not a boundary of record."""
    rows = [(row, _polygon_parts(row.geometry)) for _, row in provinces.iterrows()
            if row.geometry is not None and not row.geometry.is_empty]
    rows = [(row, parts) for row, parts in rows if parts]
    cleaned = np.array([shapely.MultiPolygon(parts) for _, parts in rows], dtype=object)
    try:
        simple = shapely.coverage_simplify(cleaned, PROVINCE_TOLERANCE)
    except shapely.errors.GEOSException:  # not a clean coverage: simplify each on its own
        simple = shapely.simplify(cleaned, PROVINCE_TOLERANCE / 2, preserve_topology=True)
    compact = []
    for (row, _), geom in zip(rows, simple, strict=True):
        name = str(row.get("name") or "")
        label_point = row.geometry.representative_point()
        compact.append({"n": name, "l": _pick_text(row.get("name_en"), name) if lang == "en" else _short_province(name),
                        "x": round(label_point.x, 2), "y": round(label_point.y, 2), "g": _delta_rings(geom)})
    return compact


#: Coverage simplification tolerance for the province context (degrees); chosen so that the
#: page with provinces stays under half the bytes of explore() (bench/maps.py).
PROVINCE_TOLERANCE = 0.1
#: Smallest island kept in the province context (square degrees, ≈ 300 km²).
PROVINCE_MIN_AREA = 0.03


def _polygon_parts(geom: shapely.Geometry) -> list[shapely.Polygon]:
    """Valid polygon parts of ``geom``, small islands dropped (the largest part always kept)."""
    parts: list[shapely.Polygon] = []
    stack = list(shapely.get_parts(shapely.make_valid(geom)))
    while stack:
        part = stack.pop()
        if part.geom_type == "Polygon":
            parts.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(shapely.get_parts(part))
    big = [p for p in parts if p.area >= PROVINCE_MIN_AREA]
    return big or ([max(parts, key=lambda p: p.area)] if parts else [])


def _delta_rings(geom: shapely.Geometry) -> list[list[str]]:
    """Polygons → rings, each in Google's encoded-polyline form at 0.01° (x, y order)."""
    polygons = []
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type != "Polygon":
            continue
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            grid = np.round(np.asarray(ring.coords)[:, :2] * 100).astype(np.int64)
            grid = grid[np.r_[True, np.any(np.diff(grid, axis=0) != 0, axis=1)]]
            if len(grid) >= 4:
                rings.append(_polyline(np.vstack([grid[:1], np.diff(grid, axis=0)]).ravel().tolist()))
        if rings:
            polygons.append(rings)
    return polygons


def _polyline(deltas: list[int]) -> str:
    """Google's encoded-polyline characters for ``deltas`` (5-bit chunks, zig-zag sign)."""
    out = []
    for value in deltas:
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


@dataclass(frozen=True)
class _ProvinceContext:
    compact: list[dict[str, Any]]
    anchors: dict[str, tuple[float, float]]


_CONTEXT_CACHE: dict[tuple[str, str], _ProvinceContext] = {}


def _province_context(provinces: gpd.GeoDataFrame | None, lang: str) -> _ProvinceContext | None:
    """Compact provinces and anchor points, computed once per boundary set and language: the
    simplification costs more than the rest of the map, and the boundaries never change."""
    if provinces is None or provinces.empty:
        return None
    digest = hashlib.sha1(b"".join(shapely.to_wkb(provinces.geometry.values, output_dimension=2)))
    digest.update("|".join(map(str, provinces["name"])).encode())
    key = (digest.hexdigest(), lang)
    if key not in _CONTEXT_CACHE:
        if len(_CONTEXT_CACHE) >= 8:
            _CONTEXT_CACHE.clear()
        _CONTEXT_CACHE[key] = _ProvinceContext(_province_collection(provinces, lang), _province_anchors(provinces))
    return _CONTEXT_CACHE[key]


def _province_anchors(provinces: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    anchors = {}
    for name, geom in zip(provinces["name"], provinces.geometry, strict=True):
        if geom is not None and not geom.is_empty:
            point = geom.representative_point()
            anchors[str(name)] = (point.x, point.y)
    return anchors


def _short_province(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _layer_label(sector: str, count: int, lang: str) -> str:
    color = SECTOR_COLORS.get(sector, FALLBACK_COLOR)
    label = html.escape(i18n.sector_label(sector, lang))
    return f'<span class="nmg-swatch" style="background:{color}"></span>{label} <small>({count})</small>'


def _legend_html(lang: str) -> str:
    """The legend's inner HTML; every label is escaped, every style comes from this module."""
    def t(key: str) -> str:
        return html.escape(i18n.t(key, lang))

    def line(color: str, weight: float, dash: str | None, label: str, opacity: float = 0.95) -> str:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<div class="nmg-lg-row"><svg width="34" height="12"><line x1="2" y1="6" x2="32" y2="6" '
                f'stroke="{color}" stroke-width="{weight}" stroke-opacity="{opacity}"{dash_attr} '
                f'stroke-linecap="round"/></svg>{label}</div>')

    kinds = "".join(line("#444", KIND_WEIGHTS[k], None, html.escape(i18n.kind_label(k, lang)))
                    for k in ("expressway", "railway", "pipeline", "power_line"))
    status = (line("#444", 3, None, t("lg_status_built"))
              + line("#444", 3, DASHES["construction"], t("lg_status_construction"))
              + line("#444", 3, DASHES["planned"], t("lg_status_planned"))
              + line(STOPPED_COLOR, 3, DASHES["stopped"], t("lg_status_stopped")))
    route = (line("#444", 3, None, t("route_traced"))
             + line("#444", 3, None, t("route_schematic"), opacity=0.5))
    points = (f'<div class="nmg-lg-row"><span class="nmg-pin nmg-built nmg-lg-pin" style="--c:#444">'
              f'<i class="fa-solid fa-industry"></i></span>{t("lg_facility")}</div>'
              f'<div class="nmg-lg-row"><span class="nmg-pin nmg-built nmg-region nmg-lg-pin" style="--c:#444">'
              f'<i class="fa-solid fa-handshake"></i></span>{t("lg_region")}</div>'
              f'<div class="nmg-lg-row"><span class="nmg-swatch nmg-home"></span>{t("lg_home")}</div>'
              f'<div class="nmg-lg-row"><span class="nmg-swatch nmg-partner"></span>{t("lg_partner")}</div>')
    # Sector colours are in the layer control (top right), with the count of each layer.
    return (f'<details open><summary>{t("lg_title")}</summary><div class="nmg-lg-cols">'
            f'<div><h5>{t("lg_kinds")}</h5>{kinds}</div>'
            f'<div><h5>{t("lg_status")}</h5>{status}</div>'
            f'<div><h5>{t("lg_route")}</h5>{route}<h5>{t("lg_points")}</h5>{points}</div></div></details>')


# -- geometry and encoding helpers --------------------------------------------------------------

#: Corridors travel as encoded polylines on this grid (1e-5°, about 1 m: the layers' precision).
LINE_SCALE = 10 ** settings.COORD_DECIMALS


@dataclass(frozen=True)
class _EncodedLines:
    geometries: list[dict[str, Any] | None]  # per row: {"type", "e"} for a line, else None
    box: tuple[float, float, float, float] | None  # (minx, miny, maxx, maxy) of every vertex


def _encoded_lines(geoms: gpd.GeoSeries) -> _EncodedLines:
    """Every line geometry of ``geoms`` as Google's encoded polyline at 1e-5° (x, y order; one
    string per part), decoded by ``NMG.sectorLayer`` in the browser.

    About a third of the bytes of GeoJSON numbers, and vectorised over all lines at once:
    coordinates are the bulk of a large map, so no Python loop runs per vertex.
    """
    values = np.asarray(geoms.values, dtype=object)
    is_line = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    is_line &= np.isin(shapely.get_type_id(values), (1, 5))  # LineString, MultiLineString
    rows = np.flatnonzero(is_line)
    out: list[dict[str, Any] | None] = [None] * len(values)
    if not len(rows):
        return _EncodedLines(out, None)
    parts, owner = shapely.get_parts(values[rows], return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    grid = np.round(coords * LINE_SCALE).astype(np.int64)
    deltas = grid.copy()
    deltas[1:] -= grid[:-1]
    starts = np.r_[True, part_of[1:] != part_of[:-1]] if len(part_of) else np.zeros(0, bool)
    deltas[starts] = grid[starts]  # each part starts from zero
    chars, lengths = _polyline_chars(deltas.ravel())
    per_part = np.bincount(part_of, weights=lengths[0::2] + lengths[1::2], minlength=len(parts))
    ends = np.cumsum(per_part.astype(np.int64)).tolist()
    text = chars.tobytes().decode("ascii")
    encoded = [text[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]
    kinds = shapely.get_type_id(values[rows])
    by_row: dict[int, list[str]] = {}
    for part, i in zip(encoded, owner.tolist(), strict=True):
        by_row.setdefault(i, []).append(part)
    for i, (row, kind) in enumerate(zip(rows.tolist(), kinds.tolist(), strict=True)):
        texts = by_row.get(i, [])
        out[row] = ({"type": "LineString", "e": texts[0] if texts else ""} if kind == 1
                    else {"type": "MultiLineString", "e": texts})
    box = None
    if len(grid):
        (minx, miny), (maxx, maxy) = grid.min(axis=0) / LINE_SCALE, grid.max(axis=0) / LINE_SCALE
        box = (float(minx), float(miny), float(maxx), float(maxy))
    return _EncodedLines(out, box)


def _polyline_chars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Encoded-polyline characters of integer ``values`` (as ``_polyline``, vectorised): the
    characters as one uint8 array, and how many belong to each value."""
    zigzag = np.where(values < 0, ~(values << 1), values << 1)
    count = np.ones(len(zigzag), dtype=np.int64)
    for shift in range(5, 35, 5):  # 5 bits a character; 7 characters cover ±180° at 1e-5°
        count += zigzag >= (1 << shift)
    place = np.arange(7)
    chunks = (zigzag[:, None] >> (5 * place)) & 0x1F
    chunks |= np.where(place < count[:, None] - 1, 0x20, 0)  # more characters follow
    chars = (chunks + 63)[place < count[:, None]].astype(np.uint8)
    return chars, count


def _rounded_geojson(geom: shapely.Geometry, decimals: int = settings.COORD_DECIMALS) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded (direct for the common types: this runs per feature)."""
    kind = geom.geom_type
    if kind == "Point":
        return {"type": kind, "coordinates": np.round(shapely.get_coordinates(geom)[0], decimals).tolist()}
    if kind in ("LineString", "MultiPoint"):
        return {"type": kind, "coordinates": np.round(shapely.get_coordinates(geom), decimals).tolist()}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [np.round(shapely.get_coordinates(part), decimals).tolist()
                                              for part in geom.geoms]}
    rounded = shapely.transform(geom, lambda coords: np.round(coords, decimals))
    geometry: dict[str, Any] = json.loads(shapely.to_geojson(rounded))
    return geometry


def _bounds(collections: Iterable[Mapping[str, Any]],
            line_box: tuple[float, float, float, float] | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of everything drawn, padded when it is a single spot;
    the encoded lines are in ``line_box`` (``_encoded_lines``), the rest in ``collections``."""
    boxes = [shapely.geometry.shape(f["geometry"]).bounds for collection in collections
             for f in collection["features"] if "e" not in f["geometry"]]
    if line_box is not None:
        boxes.append(line_box)
    if not boxes:
        return None
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = 0.3 if (maxx - minx) < 0.5 and (maxy - miny) < 0.5 else 0.0
    return [[miny - pad, minx - pad], [maxy + pad, maxx + pad]]


def _home_bounds(provinces: gpd.GeoDataFrame | None) -> list[list[float]]:
    if provinces is not None and not provinces.empty:
        home = provinces[provinces["name"] == HOME_PROVINCE]
        if not home.empty:
            minx, miny, maxx, maxy = home.total_bounds
            return [[miny, minx], [maxy, maxx]]
    return [[37.4, 97.2], [53.3, 126.1]]  # Inner Mongolia's extent


def _compact(code: str) -> str:
    """``code`` without indentation, blank lines and whole-line ``//`` comments (lines kept)."""
    lines = (line.strip() for line in code.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _js_json(value: Any) -> str:
    """JSON safe to embed in a ``<script>`` (no ``</script>``, no HTML-significant characters)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _pick_text(*values: Any) -> str:
    """The first of ``values`` that is a non-blank value (None and NaN from missing columns skipped)."""
    for value in values:
        if value is not None and not (isinstance(value, float) and math.isnan(value)) and str(value).strip():
            return str(value)
    return ""


def _round_or_none(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 1)


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)
    except (TypeError, ValueError):
        return None


def _add_basemap(m: folium.Map, basemap: Basemap) -> None:
    for url in basemap.tiles:
        folium.TileLayer(tiles=url, attr=basemap.attribution, subdomains=basemap.subdomains,
                         max_zoom=basemap.max_zoom, name=basemap.key, overlay=False, control=False).add_to(m)


def _tianditu(token: str | None, lang: str) -> Basemap:
    if not token:
        raise BasemapRefused("Tianditu needs a token (tianditu_token in Streamlit secrets)", reason="no_token")
    labels = "cva" if lang == "zh" else "eva"
    template = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}"
                "&TILEROW={{y}}&TILECOL={{x}}&tk={token}")
    return Basemap("tianditu", (template.format(layer="vec", token=token),
                                template.format(layer=labels, token=token)),
                   '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a> GS(2024)0568号',
                   subdomains="01234567", max_zoom=18)


def _custom_basemap(url: str | None, attribution: str) -> Basemap:
    if not url:
        raise BasemapRefused("no intranet tile URL configured (basemap_url in secrets)", reason="no_url")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise BasemapRefused(f"tile URL {url!r} is not an XYZ template with {{z}}, {{x}} and {{y}}",
                             reason="bad_url")
    host = urlparse(url.replace("{s}", "a")).hostname or ""
    if any(host == h or host.endswith("." + h) for h in GCJ02_HOSTS):
        raise BasemapRefused(f"tile host {host!r} serves GCJ-02/BD-09 tiles; refusing it", reason="gcj02")
    return Basemap("custom", (url,), html.escape(attribution))


_MAP_CSS = """
.leaflet-container{background:#dce6ef;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
.nmg-swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.nmg-swatch.nmg-home{background:#f7e9cf;border:2px solid #a3261b;box-sizing:border-box}
.nmg-swatch.nmg-partner{background:#ffd766;border:1.5px solid #d49b00;box-sizing:border-box}
.nmg-marker{background:none;border:none}
.nmg-pin{display:flex;align-items:center;justify-content:center;width:24px;height:24px;border-radius:50%;
 box-sizing:border-box;border:2px solid var(--c);background:var(--c);color:#fff;font-size:12px;
 box-shadow:0 1px 3px rgba(0,0,0,.35)}
.nmg-pin.nmg-planned,.nmg-pin.nmg-construction{background:#fff;color:var(--c)}
.nmg-pin.nmg-stopped{background:#eee;color:#8c8c8c;border-color:#8c8c8c}
.nmg-pin.nmg-region{border-radius:5px;border-style:dashed}
.nmg-cluster{display:flex;align-items:center;justify-content:center;width:30px;height:30px;border-radius:50%;
 box-sizing:border-box;background:#fff;border:3px solid var(--c);color:var(--c);font-weight:700;font-size:13px;
 box-shadow:0 0 0 3px rgba(255,255,255,.6),0 1px 4px rgba(0,0,0,.35)}
.nmg-lg-pin{display:inline-flex;width:18px;height:18px;font-size:9px;margin-right:6px;vertical-align:middle}
.nmg-prov-label{background:none;border:none;color:#6b6257;font-size:12px;white-space:nowrap;
 text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;text-align:center}
.nmg-prov-label.nmg-home-label{color:#a3261b;font-weight:600;font-size:14px}
.nmg-legend{background:rgba(255,255,255,.92);padding:4px 9px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.3);
 font-size:11px;line-height:1.3;width:max-content;max-width:calc(100vw - 90px);overflow:hidden}
.nmg-legend summary{font-weight:600;cursor:pointer}
.nmg-legend h5{margin:4px 0 1px;font-size:11px;color:#555}
.nmg-lg-cols{display:flex;gap:12px}
.nmg-lg-grid{display:grid;grid-template-columns:auto auto;column-gap:8px}
.nmg-lg-row{display:flex;align-items:center;white-space:nowrap}
.nmg-lg-row svg{margin-right:6px;flex:none}
.nmg-popup h4{margin:0 0 2px;font-size:15px}
.nmg-popup .nmg-en{color:#555;margin-bottom:6px}
.nmg-popup table{border-collapse:collapse;font-size:12px}
.nmg-popup th{text-align:left;vertical-align:top;color:#666;font-weight:normal;padding:1px 8px 1px 0;white-space:nowrap}
.nmg-popup td{padding:1px 0;vertical-align:top}
.nmg-popup .nmg-clause{max-height:7.5em;overflow:auto;font-size:12px;line-height:1.45;color:#444;background:#f6f6f2;padding:4px 6px;margin-top:3px;border-radius:3px}
.nmg-popup .nmg-id{color:#888;font-size:11px;margin-top:6px}
.nmg-popup .nmg-region-note{color:#8a5a00;font-size:11px;margin-bottom:4px}
.leaflet-control-layers-overlays label{margin:1px 0}
.leaflet-interactive:focus{outline:none}
"""

_MAP_JS = r"""
function esc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
  });
}
function color(p) { return p.st === "stopped" ? cfg.grey : (cfg.colors[p.sector] || cfg.fallback); }
function prepare(sector, data) {  // restore what the page leaves out: sector, drawing class, names
  data.features.forEach(function (f) {
    var p = f.properties, g = f.geometry;
    if (g && g.e != null) {  // corridors travel as encoded polylines
      g.coordinates = typeof g.e === "string" ? lineFrom(g.e) : g.e.map(lineFrom); delete g.e;
    }
    p.sector = sector; p.st = cfg.classes[p.status] || "planned";
    ["lead", "coop", "partners"].forEach(function (k) {
      p[k] = (p[k] || []).map(function (i) { return cfg.names[i]; });
    });
  });
  return data;
}
function lineStyle(f) {
  var p = f.properties;
  return {color: color(p), weight: cfg.weights[p.kind] || cfg.weight,
          opacity: p.route === "schematic" ? 0.6 : 0.95, dashArray: cfg.dashes[p.st] || null,
          lineCap: "round", lineJoin: "round",
          className: "nmg-line nmg-" + String(p.id).replace(/[^A-Za-z0-9_-]/g, "_")};
}
function marker(f, latlng) {
  var p = f.properties, icon = cfg.icons[p.kind] || "location-dot";
  var cls = "nmg-pin nmg-" + (cfg.dashes.hasOwnProperty(p.st) ? p.st : "planned") + (p.region ? " nmg-region" : "");
  var html = '<div class="' + cls + '" style="--c:' + color(p) + '"><i class="fa-solid fa-' + esc(icon) + '"></i></div>';
  return L.marker(latlng, {icon: L.divIcon({html: html, className: "nmg-marker", iconSize: [24, 24],
                                            iconAnchor: [12, 12], popupAnchor: [0, -10]}),
                           riseOnHover: true});
}
function row(table, label, value) {
  if (value == null || value === "" || (Array.isArray(value) && !value.length)) return;
  var tr = table.insertRow(), th = document.createElement("th");
  th.textContent = label; tr.appendChild(th);
  tr.insertCell().textContent = Array.isArray(value) ? value.join(cfg.lang === "en" ? "; " : "、") : value;
}
function add(parent, tag, cls, text) {
  var el = document.createElement(tag); if (cls) el.className = cls;
  el.textContent = text; parent.appendChild(el); return el;
}
function name(p) { return cfg.lang === "en" ? (p.name_en || p.name_zh) : p.name_zh; }
function province(n) { return cfg.provinces[n] || n; }
function popup(p) {
  var el = document.createElement("div"), t = cfg.t;
  el.className = "nmg-popup";
  add(el, "h4", "", p.name_zh);
  if (p.name_en) add(el, "div", "nmg-en", p.name_en);
  if (p.region) add(el, "div", "nmg-region-note", t.region);
  var table = document.createElement("table"); el.appendChild(table);
  row(table, t.sector, (cfg.sectors[p.sector] || p.sector) + " · " + (cfg.kinds[p.kind] || p.kind));
  row(table, t.lead, p.lead);
  row(table, t.coop, p.coop);
  row(table, t.partners, (p.partners || []).map(province));
  var status = cfg.statuses[p.status] || p.status;
  row(table, t.status, p.source && p.source !== status ? status + " — " + p.source : status);
  row(table, t.changed, p.changed || t.changed_plan);
  if (p.length != null) {
    row(table, t.length, Math.round(p.length).toLocaleString("en") + " km" +
        (p.route ? " (" + (p.route === "schematic" ? t.schematic : t.traced) + ")" : ""));
  }
  if (p.precision != null) row(table, t.precision, cfg.precision[p.precision] || String(p.precision));
  row(table, t.clause, p.clause);
  var text = cfg.clauses[p.clause];
  if (text) add(el, "div", "nmg-clause", text);
  add(el, "div", "nmg-id", t.id + ": " + p.id);
  return el;
}
function bind(f, layer) {
  var p = f.properties;
  layer.bindTooltip(esc(name(p)), {sticky: !layer.getLatLng, direction: "top", opacity: 0.95});
  // keep the popup clear of the layer control (top right) and the legend (bottom left)
  layer.bindPopup(popup(p), {maxWidth: 360, minWidth: 260, autoPanPaddingTopLeft: [20, 20],
                             autoPanPaddingBottomRight: [250, 20]});
}
function isPoint(f) { return f.geometry && f.geometry.type === "Point"; }
function points(data) {  // one marker per point of a MultiPoint, sharing the feature's properties
  var out = [];
  data.features.forEach(function (f) {
    if (f.geometry && f.geometry.type === "MultiPoint") {
      f.geometry.coordinates.forEach(function (c) {
        out.push({type: "Feature", geometry: {type: "Point", coordinates: c}, properties: f.properties});
      });
    } else if (isPoint(f)) out.push(f);
  });
  return {type: "FeatureCollection", features: out};
}
function sectorLayer(sector, data) {
  var group = L.featureGroup();
  prepare(sector, data);
  L.geoJSON(data, {filter: function (f) { return f.geometry && f.geometry.type.indexOf("Point") < 0; },
                   style: lineStyle, onEachFeature: bind}).addTo(group);
  var markers = L.geoJSON(points(data), {pointToLayer: marker, onEachFeature: bind}).getLayers();
  if (markers.length) {
    var c = cfg.colors[sector] || cfg.fallback;
    var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 36,
      spiderfyDistanceMultiplier: 1.4, iconCreateFunction: function (cl) {
        return L.divIcon({html: '<div class="nmg-cluster" style="--c:' + c + '">' + cl.getChildCount() + "</div>",
                          className: "nmg-marker", iconSize: [30, 30]});
      }});
    cluster.addLayers(markers); cluster.addTo(group);
  }
  return group;
}
function lineFrom(text) {  // encoded polyline (x y deltas on a grid of 1 / cfg.scale degrees) → [[x, y], …]
  var d = deltas(text), x = 0, y = 0, line = [];
  for (var i = 0; i < d.length; i += 2) { x += d[i]; y += d[i + 1]; line.push([x / cfg.scale, y / cfg.scale]); }
  return line;
}
function deltas(text) {  // Google's encoded polyline → integers
  var out = [], value = 0, shift = 0;
  for (var i = 0; i < text.length; i++) {
    var b = text.charCodeAt(i) - 63;
    value |= (b & 0x1f) << shift; shift += 5;
    if (b < 0x20) { out.push(value & 1 ? ~(value >> 1) : value >> 1); value = 0; shift = 0; }
  }
  return out;
}
function decode(polygons) {  // [[encoded ring (0.01°, x y deltas)]] → GeoJSON MultiPolygon
  return {type: "MultiPolygon", coordinates: polygons.map(function (rings) {
    return rings.map(function (text) {
      var d = deltas(text), x = 0, y = 0, ring = [];
      for (var i = 0; i < d.length; i += 2) { x += d[i]; y += d[i + 1]; ring.push([x / 100, y / 100]); }
      return ring;
    });
  })};
}
function provinceLayer(compact, selected, filled) {
  var group = L.featureGroup();
  var data = {type: "FeatureCollection", features: compact.map(function (p) {
    return {type: "Feature", geometry: decode(p.g), properties: {name: p.n, label: p.l, lx: p.x, ly: p.y}};
  })};
  L.geoJSON(data, {interactive: false, style: function (f) {
    var n = f.properties.name;
    if (n === cfg.home) return {color: "#a3261b", weight: 2.6, fillColor: "#f7e9cf", fillOpacity: filled ? 0.95 : 0.25};
    if (selected.indexOf(n) >= 0) return {color: "#d49b00", weight: 1.6, fillColor: "#ffd766", fillOpacity: filled ? 0.85 : 0.35};
    return {color: "#a7a196", weight: 0.8, fillColor: "#f3f1ec", fillOpacity: filled ? 1 : 0};
  }}).addTo(group);
  data.features.forEach(function (f) {
    var p = f.properties, home = p.name === cfg.home;
    L.marker([p.ly, p.lx], {interactive: false, keyboard: false,
      icon: L.divIcon({className: "nmg-prov-label" + (home ? " nmg-home-label" : ""), html: esc(p.label),
                       iconSize: [120, 16], iconAnchor: [60, 8]})}).addTo(group);
  });
  return group;
}
function legend(map) {
  var control = L.control({position: "bottomleft"});
  control.onAdd = function () {
    var div = L.DomUtil.create("div", "nmg-legend");
    div.innerHTML = cfg.legend;
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  control.addTo(map);
  return control;
}
return {sectorLayer: sectorLayer, provinceLayer: provinceLayer, legend: legend, esc: esc};
"""
