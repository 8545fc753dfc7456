"""The map's data: every drawable project of a layer set, once, for every visitor and both languages.

Takes the layers (``geo.layers.load_layers``) and the province polygons; gives ``MapData``: one
JSON document (the features with the properties their popups show, agency and province names
once, clause texts once, province outlines, the labels of both languages and the styles) with
its digest, gzipped copy and the feature order. It is built once per server and layer set and
served as a file the browser may cache for good (its URL holds the digest); a page run sends
only which features are visible (``visible_mask``) and the status store's changes.

Text from the data reaches the page only through ``textContent`` (``geo/webmap/static/map.js``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import filters, i18n, settings, taxonomy
from geo.webmap import polyline
from geo.webmap import style as mapstyle

#: Coverage simplification tolerance for the province context (degrees).
PROVINCE_TOLERANCE = 0.1
#: Smallest island kept in the province context (square degrees, ≈ 300 km²).
PROVINCE_MIN_AREA = 0.03
#: Interface strings the browser needs (popups, legend, controls), by key prefix.
BROWSER_PREFIXES = ("pp_", "lg_", "map_", "route_", "reason_", "len_")

_LINE_TYPES = ("LineString", "MultiLineString")
_POINT_TYPES = ("Point", "MultiPoint")


@dataclass(frozen=True)
class MapData:
    """The map's data document, ready to serve."""

    body: bytes  # UTF-8 JSON
    digest: str  # first 16 hex digits of the body's SHA-256: part of its URL
    ids: tuple[str, ...]  # drawn projects, in the document's order
    line_count: int  # how many of them are corridors
    gzipped: bytes = field(repr=False, default=b"")

    @property
    def index(self) -> dict[str, int]:
        """Project id → its position in the document."""
        return {pid: i for i, pid in enumerate(self.ids)}


def map_data(projects: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None) -> MapData:
    """The data document of ``projects`` (every sector, the plan's statuses) and ``provinces``."""
    context = _province_context(provinces)
    anchors = _province_anchors(provinces) if provinces is not None else {}
    names: dict[str, int] = {}
    lines = polyline.encode_lines(np.asarray(projects.geometry.values, dtype=object))
    features, ids, line_count = [], [], 0
    for row, line in zip(_rows(projects), lines.geometries, strict=True):
        geometry = line if line is not None else _point_geometry(row, anchors)
        if geometry is None:
            continue  # no place and no province to stand on: listed in the table only
        feature = _properties(row, names)
        feature["g"] = geometry
        if line is None and (geometry.get("r") or _is_regional(row)):
            feature["r"] = 1
        geometry.pop("r", None)
        features.append(feature)
        ids.append(str(row["id"]))
        line_count += line is not None
    document = {
        "v": 1, "scale": polyline.LINE_SCALE, "ringScale": polyline.RING_SCALE,
        "features": features, "names": list(names), "clauses": _clauses(projects),
        "provinces": context, "labels": {lang: browser_labels(lang) for lang in i18n.LANGS},
        "style": mapstyle.style_config(),
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return MapData(body, hashlib.sha256(body).hexdigest()[:16], tuple(ids), line_count,
                   gzip.compress(body, compresslevel=6, mtime=0))


def visible_mask(data: MapData, visible_ids: Iterable[str]) -> str | None:
    """Which features of ``data`` to show, as base64 of a bit per feature (least significant bit
    first), or None when every one is shown: 1.7 kB for 10,000 features, whatever the filter."""
    index = data.index
    bits = np.zeros(len(data.ids), dtype=bool)
    for pid in visible_ids:
        i = index.get(pid)
        if i is not None:
            bits[i] = True
    if bits.all():
        return None
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def browser_labels(lang: str) -> dict[str, Any]:
    """The labels the browser shows in ``lang``: interface strings, codes' names, precision."""
    strings = i18n.STRINGS[i18n.lang_or_default(lang)]
    return {
        "t": {key: text for key, text in strings.items() if key.startswith(BROWSER_PREFIXES)},
        "sectors": {code: i18n.sector_label(code, lang) for code in settings.SECTORS},
        "kinds": {term.code: i18n.kind_label(term.code, lang) for term in taxonomy.KINDS},
        "statuses": {code: i18n.status_label(code, lang) for code in taxonomy.STATUS_CODES},
        "precision": {str(code): i18n.precision_label(code, lang) for code in range(1, 9)},
    }


def drawable_lines(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The projects drawn as corridors: line geometries that are not empty."""
    geoms = gdf.geometry
    mask = geoms.notna() & ~geoms.is_empty & geoms.geom_type.isin(_LINE_TYPES)
    return gdf[mask.fillna(False)]


# -- features -------------------------------------------------------------------------------------

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


def _properties(row: _Row, names: dict[str, int]) -> dict[str, Any]:
    """What the popup shows; agencies and provinces as indices into ``names``."""
    def indices(values: list[str]) -> list[int]:
        return [names.setdefault(value, len(names)) for value in values]

    def listed(column: str) -> list[str]:
        return [str(v) for v in filters.as_list(row.get(column))]

    lead, coop = listed("lead_agencies"), listed("cooperating_agencies")
    lead_en, coop_en = listed("lead_agencies_en"), listed("cooperating_agencies_en")
    countries, countries_en = listed("partner_countries"), listed("partner_countries_en")
    properties = {
        "id": str(row["id"]), "s": text(row.get("sector")), "k": text(row.get("kind")),
        "st": text(row.get("status")), "w": text(row.get("status_source")),
        "nz": text(row.get("name_zh")), "ne": text(row.get("name_en")),
        "la": indices(lead), "lae": indices(lead_en) if len(lead_en) == len(lead) else [],
        "ca": indices(coop), "cae": indices(coop_en) if len(coop_en) == len(coop) else [],
        "pp": indices(listed("partner_provinces")), "pw": listed("partner_reason"), "ro": text(row.get("route")),
        "pc": indices(countries), "pce": indices(countries_en) if len(countries_en) == len(countries) else [],
        "len": _round_or_none(row.get("length_km")), "ls": text(row.get("length_source")),
        "pub": _round_or_none(row.get("published_length_km")) if text(row.get("length_source")) == "drawn" else None,
        "pr": _int_or_none(row.get("precision")),
        "cl": text(row.get("clause")),
        "py": [int(y) for y in filters.as_list(row.get("plan_years"))] if len(filters.as_list(row.get("plan_years"))) > 1
        else [],
    }
    return {key: value for key, value in properties.items() if value not in ("", [], None)}


def _point_geometry(row: _Row, anchors: Mapping[str, tuple[float, float]]) -> dict[str, Any] | None:
    """A project that is not a line: its point(s), or for an item without a place of its own a
    MultiPoint on its partner provinces (``"r": 1``); None when unplaceable."""
    geom = row.geometry
    if geom is not None and not geom.is_empty and geom.geom_type in _POINT_TYPES:
        coords = np.round(shapely.get_coordinates(geom), settings.COORD_DECIMALS).tolist()
        return {"t": "P", "c": coords[0]} if geom.geom_type == "Point" else {"t": "MP", "c": coords}
    points = [anchors[name] for name in filters.as_list(row.get("partner_provinces")) if name in anchors]
    if not points and geom is not None and not geom.is_empty:
        rp = geom.representative_point()
        points = [(rp.x, rp.y)]
    if not points:
        return None
    return {"t": "MP", "c": [[round(x, 5), round(y, 5)] for x, y in points], "r": 1}


def _is_regional(row: _Row) -> bool:
    """Placed on its provinces (or the home region) rather than on a place of its own."""
    placed_on = text(row.get("placed_on"))
    if placed_on:
        return placed_on in mapstyle.REGIONAL_PLACEMENTS
    precision = _int_or_none(row.get("precision"))
    return precision is not None and precision >= 4


def _clauses(projects: gpd.GeoDataFrame) -> dict[str, str]:
    clauses: dict[str, str] = {}
    for clause, clause_text in zip(projects.get("clause", []), projects.get("clause_text", []), strict=False):
        if text(clause) and text(clause_text):
            clauses.setdefault(str(clause), str(clause_text))
    return clauses


# -- provinces ------------------------------------------------------------------------------------

_CONTEXTS: dict[str, list[dict[str, Any]]] = {}


def _province_context(provinces: gpd.GeoDataFrame | None) -> list[dict[str, Any]]:
    """Provinces for context, compact: shared borders simplified together (no slivers), small
    islands dropped, rings encoded at 0.01°; a label point and both names. Enough for the
    national and regional view the map opens at; not a boundary of record. Made once per
    boundary set (the simplification costs more than the rest of the data)."""
    if provinces is None or provinces.empty:
        return []
    digest = hashlib.sha256(b"".join(shapely.to_wkb(provinces.geometry.values, output_dimension=2)))
    digest.update("|".join(map(str, provinces["name"])).encode() + "|".join(map(str, provinces.get("name_en", []))).encode())
    key = digest.hexdigest()
    if key not in _CONTEXTS:
        if len(_CONTEXTS) >= 8:
            _CONTEXTS.clear()
        _CONTEXTS[key] = _compact_provinces(provinces)
    return _CONTEXTS[key]


def _compact_provinces(provinces: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    rows = [(row, _polygon_parts(row.geometry)) for _, row in provinces.iterrows()
            if row.geometry is not None and not row.geometry.is_empty]
    rows = [(row, parts) for row, parts in rows if parts]
    cleaned = np.array([shapely.MultiPolygon(parts) for _, parts in rows], dtype=object)
    try:
        simple = shapely.coverage_simplify(cleaned, PROVINCE_TOLERANCE)
    except shapely.errors.GEOSException:  # not a clean coverage: simplify each on its own
        simple = shapely.simplify(cleaned, PROVINCE_TOLERANCE / 2, preserve_topology=True)
    compact = []
    for (row, parts), geom in zip(rows, simple, strict=True):
        name = str(row.get("name") or "")
        label_point = max(parts, key=lambda p: p.area).representative_point()
        compact.append({"n": name, "e": text(row.get("name_en")) or name, "l": short_province(name),
                        "x": round(label_point.x, 2), "y": round(label_point.y, 2),
                        "a": round(float(row.geometry.area), 1), "g": polyline.encode_rings(geom)})
    return compact


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


def _province_anchors(provinces: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    anchors = {}
    for name, geom in zip(provinces["name"], provinces.geometry, strict=True):
        if geom is not None and not geom.is_empty:
            point = geom.representative_point()
            anchors[str(name)] = (point.x, point.y)
    return anchors


def short_province(name: str) -> str:
    """山东省 → 山东, 新疆维吾尔自治区 → 新疆: the name a map label uses."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


# -- values ---------------------------------------------------------------------------------------

def text(value: Any) -> str:
    """``value`` as text; None, NaN and blanks (missing columns) as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return ""
    return str(value)


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
