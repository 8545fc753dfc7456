"""The selection as files: GeoJSON, CSV and GeoPackage with the same columns, and their names.

Takes the filtered projects (with the status store's view merged in, ``geo.filters
.with_current_status``) and the user's language; gives bytes a GIS or a spreadsheet opens. The
three formats hold the same columns in the same order: codes with their labels beside them
(``sector`` and ``sector_label`` …), the recorded status with the date it took effect and who
recorded it. Lists (agencies, provinces) are JSON arrays in GeoJSON and joined with "; " in CSV
and GeoPackage. The GeoPackage has one layer per kind of geometry (``lines``, ``points``,
``polygons``; projects without a place in ``unplaced``, a table), so QGIS reads each layer's
type instead of "Unknown".
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import i18n
from geo.csvtext import csv_text
from geo.filters import Filters, as_list

#: Every file's columns, in this order (``geometry_wkt`` follows in CSV).
COLUMNS: tuple[str, ...] = (
    "id", "name_zh", "name_en", "sector", "sector_label", "kind", "kind_label", "status", "status_label",
    "status_effective", "status_editor", "status_recorded_at", "status_note", "status_source",
    "lead_agencies", "lead_agencies_en", "cooperating_agencies", "cooperating_agencies_en",
    "partner_provinces", "partner_reason", "crossed_provinces", "route", "route_source", "length_km",
    "length_source", "published_length_km", "waypoints", "placed_on", "precision", "clause", "clause_text",
    "wording", "target_status", "plan_id", "plan_year", "project_key",
)
LIST_COLUMNS = frozenset({"lead_agencies", "lead_agencies_en", "cooperating_agencies", "cooperating_agencies_en",
                          "partner_provinces", "partner_reason", "crossed_provinces", "waypoints"})
#: GeoPackage layer of each geometry family, and the single type it is written as.
GPKG_LAYERS: dict[str, tuple[tuple[str, ...], str]] = {
    "lines": (("LineString", "MultiLineString"), "MultiLineString"),
    "points": (("Point", "MultiPoint"), "MultiPoint"),
    "polygons": (("Polygon", "MultiPolygon"), "MultiPolygon"),
}
UNPLACED = "unplaced"
JOIN = "; "


def export_table(gdf: gpd.GeoDataFrame, lang: str = i18n.DEFAULT_LANG) -> pd.DataFrame:
    """The export columns of ``gdf`` (lists kept as lists), labels in ``lang``."""
    rows = []
    for _, row in gdf.iterrows():
        record = {column: _cell(row.get(column), list_column=column in LIST_COLUMNS) for column in COLUMNS}
        record["sector_label"] = i18n.sector_label(str(row.get("sector")), lang)
        record["kind_label"] = i18n.kind_label(str(row.get("kind")), lang)
        record["status_label"] = i18n.status_label(str(row.get("status")), lang)
        store = row.get("status_origin") == "store"
        record["status_effective"] = _cell(row.get("status_effective")) if store else None
        record["status_editor"] = _cell(row.get("status_editor")) if store else None
        record["status_recorded_at"] = _cell(row.get("status_changed_at")) if store else None
        record["status_note"] = _cell(row.get("status_note")) if store else None
        rows.append(record)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def selection_to_geojson(gdf: gpd.GeoDataFrame, lang: str = i18n.DEFAULT_LANG) -> bytes:
    """The selection as an RFC 7946 FeatureCollection."""
    table = export_table(gdf, lang)
    features = []
    for record, geometry in zip(table.to_dict("records"), gdf.geometry, strict=True):
        features.append({"type": "Feature", "properties": {k: _json_value(v) for k, v in record.items()},
                         "geometry": None if geometry is None or geometry.is_empty else geometry.__geo_interface__})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def selection_to_csv(gdf: gpd.GeoDataFrame, lang: str = i18n.DEFAULT_LANG) -> bytes:
    """The selection as CSV, UTF-8 with a byte order mark (Excel reads the Chinese), geometry as WKT.

    Written by ``geo.csvtext``, which defuses cells a spreadsheet would run as formulas.
    """
    table = _flat(export_table(gdf, lang))
    table["geometry_wkt"] = [None if g is None or g.is_empty else g.wkt for g in gdf.geometry]
    rows = table.astype(object).where(table.notna(), None).itertuples(index=False)
    return csv_text(list(table.columns), rows).encode("utf-8-sig")


def selection_to_gpkg(gdf: gpd.GeoDataFrame, lang: str = i18n.DEFAULT_LANG) -> bytes:
    """The selection as one GeoPackage, a layer per kind of geometry (see the module's docstring)."""
    table = _flat(export_table(gdf, lang))
    geoms = list(gdf.geometry)
    kinds = [None if g is None or g.is_empty else g.geom_type for g in geoms]
    with tempfile.TemporaryDirectory(prefix="nmg-export-") as folder:
        path = Path(folder) / "selection.gpkg"
        written = False
        for layer, (types, multi) in GPKG_LAYERS.items():
            rows = [i for i, kind in enumerate(kinds) if kind in types]
            if rows:
                parts = gpd.GeoDataFrame(table.iloc[rows].reset_index(drop=True), crs="EPSG:4326",
                                         geometry=[_as_multi(geoms[i], multi) for i in rows])
                pyogrio.write_dataframe(parts, path, layer=layer, driver="GPKG", geometry_type=multi,
                                        append=written)
                written = True
        unplaced = [i for i, kind in enumerate(kinds) if kind is None or not _known(kind)]
        if unplaced or not written:
            pyogrio.write_dataframe(table.iloc[unplaced].reset_index(drop=True), path, layer=UNPLACED,
                                    driver="GPKG", append=written)
        return path.read_bytes()


def file_stem(view: Filters, *, plan_year: int, today: date, province_en: Mapping[str, str]) -> str:
    """``nmg-2014-shandong-energy-20261201``: what the file holds and when it was made."""
    parts: list[str] = [_slug(province_en.get(p, p)) for p in view.partners]
    if view.partners and view.mode == "crossed":
        parts.append("crossed")
    parts += [_slug(s) for s in (*view.sectors, *view.statuses)]
    if view.agencies:
        parts.append(f"{len(view.agencies)}-agencies" if len(view.agencies) > 1 else "agency")
    if view.q:
        parts.append(_slug(view.q) or "search")
    selection = "-".join(p for p in parts if p)[:60].strip("-") or "all"
    return f"nmg-{plan_year}-{selection}-{today.strftime('%Y%m%d')}"


# -- helpers --------------------------------------------------------------------------------------

def _flat(table: pd.DataFrame) -> pd.DataFrame:
    flat = table.copy()
    for column in LIST_COLUMNS & set(flat.columns):
        flat[column] = flat[column].map(lambda values: JOIN.join(map(str, values)) if isinstance(values, list) else values)
    return flat


def _cell(value: Any, *, list_column: bool = False) -> Any:
    if list_column:
        return [str(v) for v in as_list(value)]
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is None or value == "":
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return None if isinstance(value, float) and pd.isna(value) else value
    return str(value)


def _known(kind: str) -> bool:
    return any(kind in types for types, _ in GPKG_LAYERS.values())


def _as_multi(geom: shapely.Geometry, multi: str) -> shapely.Geometry:
    if geom.geom_type == multi:
        return geom
    return {"MultiLineString": shapely.MultiLineString, "MultiPoint": shapely.MultiPoint,
            "MultiPolygon": shapely.MultiPolygon}[multi]([geom])


def _slug(text: str) -> str:
    """Lower-case ASCII words joined by "-"; Chinese in pinyin (特高压 → te-gao-ya)."""
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]+", "-", " ".join(lazy_pinyin(str(text))).lower()).strip("-")


def layer_names(gpkg: bytes) -> list[str]:
    """The layers of a GeoPackage given as bytes (for tests and tools)."""
    with tempfile.NamedTemporaryFile(suffix=".gpkg") as tmp:
        tmp.write(gpkg)
        tmp.flush()
        return [str(name) for name, _ in pyogrio.list_layers(tmp.name)]
