"""Layers: features ↔ ``data/geojson/<sector>.geojson`` (RFC 7946), and the check of a layer folder.

The only stage that writes the map's data. One FeatureCollection per sector plus
``provinces.geojson``; WGS84 lon/lat, no ``crs`` member, coordinates rounded.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo import settings
from geo.errors import LayerError
from geo.taxonomy import KINDS, STATUS_CODES

#: Properties every feature carries, with the JSON types allowed for each.
SCHEMA: dict[str, tuple[type, ...]] = {
    "id": (str,), "name_zh": (str,), "name_en": (str,), "sector": (str,), "kind": (str,),
    "clause": (str,), "clause_text": (str,), "lead_agencies": (list,), "cooperating_agencies": (list,),
    "partner_provinces": (list,), "crossed_provinces": (list,), "status": (str,), "status_source": (str,),
    "precision": (int,), "route": (str, type(None)), "length_km": (int, float, type(None)), "waypoints": (list,),
}
PROVINCES_FILE = "provinces.geojson"
_MAX_DECIMALS = 6


def save_layers(features: gpd.GeoDataFrame, out_dir: Path, *, provinces: gpd.GeoDataFrame | None = None) -> list[Path]:
    """Write one FeatureCollection per sector (every sector, empty ones included); return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for sector in settings.SECTORS:
        subset = features[features["sector"] == sector]
        written.append(_write(out_dir / f"{sector}.geojson", _collection(subset, settings.COORD_DECIMALS)))
    if provinces is not None:
        written.append(_write(out_dir / PROVINCES_FILE, _collection(provinces, 4)))
    return written


def load_layers(layer_dir: Path | None = None) -> gpd.GeoDataFrame:
    """All sector layers of ``layer_dir`` in one GeoDataFrame (list properties stay lists)."""
    layer_dir = Path(layer_dir or settings.DEFAULT_LAYERS)
    features = []
    for sector in settings.SECTORS:
        path = layer_dir / f"{sector}.geojson"
        if path.exists():
            features += json.loads(path.read_text(encoding="utf-8"))["features"]
    return _frame(features)


def load_provinces_layer(layer_dir: Path | None = None) -> gpd.GeoDataFrame:
    """``provinces.geojson`` of ``layer_dir``."""
    path = Path(layer_dir or settings.DEFAULT_LAYERS) / PROVINCES_FILE
    return _frame(json.loads(path.read_text(encoding="utf-8"))["features"])


def check_layers(layer_dir: Path) -> list[str]:
    """Every problem of a layer folder: schema, geometry, ids, coordinates. Empty when all is well."""
    layer_dir = Path(layer_dir)
    problems: list[str] = []
    if not layer_dir.is_dir():
        return [f"{str(layer_dir)!r} is not a folder"]
    ids: dict[str, str] = {}
    for sector in settings.SECTORS:
        path = layer_dir / f"{sector}.geojson"
        if not path.exists():
            problems.append(f"{path.name}: missing")
            continue
        problems += _check_file(path, sector, ids)
    return problems


def validate_layers(layer_dir: Path) -> None:
    """Raise ``LayerError`` listing every problem of ``layer_dir``."""
    problems = check_layers(layer_dir)
    if problems:
        raise LayerError(f"{len(problems)} problems in {str(layer_dir)!r}:\n  " + "\n  ".join(problems),
                         code="layers_invalid", count=len(problems))


def _frame(features: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    if not features:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326")
    geoms = [shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in features]
    frame = gpd.GeoDataFrame([f["properties"] for f in features], geometry=geoms, crs="EPSG:4326")
    return frame


def _collection(frame: gpd.GeoDataFrame, decimals: int) -> dict[str, Any]:
    features = []
    for record, geom in zip(frame.drop(columns="geometry").to_dict("records"), frame.geometry):
        rounded = shapely.transform(geom, lambda c: np.round(c, decimals)) if geom is not None else None
        features.append({
            "type": "Feature",
            "properties": {k: _plain(v) for k, v in record.items()},
            "geometry": json.loads(shapely.to_geojson(rounded)) if rounded is not None else None,
        })
    return {"type": "FeatureCollection", "features": features}


def _plain(value: Any) -> Any:
    """JSON-ready values: numpy scalars and arrays to Python, NaN to null."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _write(path: Path, collection: dict[str, Any]) -> Path:
    """Write atomically: a killed build never leaves half a layer behind."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _check_file(path: Path, sector: str, ids: dict[str, str]) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return [f"{path.name}: not readable GeoJSON ({err})"]
    problems = []
    if data.get("type") != "FeatureCollection":
        problems.append(f"{path.name}: not a FeatureCollection")
    if "crs" in data:
        problems.append(f"{path.name}: has a 'crs' member (RFC 7946 forbids it)")
    kinds = {k.code for k in KINDS}
    for n, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        where = f"{path.name} feature {n} ({props.get('id', '?')})"
        for key, types in SCHEMA.items():
            if key not in props:
                problems.append(f"{where}: property {key!r} missing")
            elif not isinstance(props[key], types) or isinstance(props[key], bool):
                problems.append(f"{where}: {key!r} is {type(props[key]).__name__}, expected {'/'.join(t.__name__ for t in types)}")
        if props.get("sector") != sector:
            problems.append(f"{where}: sector {props.get('sector')!r} in the {sector} layer")
        if props.get("status") not in STATUS_CODES:
            problems.append(f"{where}: status {props.get('status')!r} not in the taxonomy")
        if props.get("kind") not in kinds:
            problems.append(f"{where}: kind {props.get('kind')!r} not in the taxonomy")
        if isinstance(props.get("precision"), int) and not 1 <= props["precision"] <= 8:
            problems.append(f"{where}: precision {props['precision']} outside 1–8")
        fid = props.get("id")
        if isinstance(fid, str):
            if fid in ids:
                problems.append(f"{where}: id {fid!r} repeats (also in {ids[fid]})")
            ids[fid] = path.name
        problems += _check_geometry(feature.get("geometry"), where)
    return problems


def _check_geometry(geometry: dict[str, Any] | None, where: str) -> list[str]:
    if geometry is None:
        return [f"{where}: no geometry"]
    try:
        geom = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError) as err:
        return [f"{where}: unreadable geometry ({err})"]
    problems = []
    if geom.is_empty:
        problems.append(f"{where}: empty geometry")
    elif not geom.is_valid:
        problems.append(f"{where}: invalid geometry ({shapely.is_valid_reason(geom)})")
    coords = shapely.get_coordinates(geom)
    if len(coords) and ((np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any()):
        problems.append(f"{where}: coordinates outside lon/lat range (not WGS84?)")
    text = json.dumps(geometry.get("coordinates"))
    if re.search(rf"\.\d{{{_MAX_DECIMALS + 1},}}", text):
        problems.append(f"{where}: coordinates with more than {_MAX_DECIMALS} decimals")
    return problems
