"""The check of a layer folder: every problem of its files, whatever JSON they hold.

Takes a folder; gives a list of problems (schema, geometry, ids, coordinates, JSON that is
not a FeatureCollection at all, NaN and Infinity), empty when all is well. It never raises on
the content of a file: a hand-edited or truncated layer is reported, not a traceback.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.errors

from geo import settings
from geo.errors import LayerError
from geo.layers.fidelity import check_fidelity
from geo.layers.io import PROVINCES_FILE, load_layers, load_provinces_layer
from geo.layers.schema import OPTIONAL, SCHEMA
from geo.taxonomy import KINDS, STATUS_CODES

_MAX_DECIMALS = 6
#: What every reader of a feature needs, even from a folder of a few hand-made layers.
_READ_KEYS = frozenset({"id", "sector", "status"})
_KINDS = tuple(k.code for k in KINDS)
_GEOMETRY_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError,
                    shapely.errors.ShapelyError)


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
    if not problems:  # the fidelity checks read the features, which needs a sound folder
        provinces = load_provinces_layer(layer_dir) if (layer_dir / PROVINCES_FILE).exists() else None
        problems += check_fidelity(load_layers(layer_dir), provinces)
    return problems


def load_checked_layers(layer_dir: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The features and the provinces (None without ``provinces.geojson``) of the layer files in
    ``layer_dir``, each file checked first, for the commands and the app that read layers.

    Unlike ``check_layers`` a folder may hold only some sectors and a feature only some of the
    properties (``id``, ``sector`` and ``status`` at least); what a file holds must have the
    contract's shape and types, so a hand-edited or truncated file is one ``LayerError`` naming
    it, not a traceback deep in a report.

    Raises
    ------
    LayerError
        The folder is missing (``layers_missing``) or a file breaks the contract (``layers_invalid``).
    """
    layer_dir = Path(layer_dir)
    if not layer_dir.is_dir():
        raise LayerError(f"no layer folder {str(layer_dir)!r}", code="layers_missing")
    ids: dict[str, str] = {}
    problems = [p for sector in settings.SECTORS if (layer_dir / f"{sector}.geojson").exists()
                for p in _check_file(layer_dir / f"{sector}.geojson", sector, ids, complete=False)]
    provinces_path = layer_dir / PROVINCES_FILE
    if provinces_path.exists():
        problems += _check_provinces(provinces_path)
    if problems:
        shown = "; ".join(" ".join(p.split()) for p in problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise LayerError(f"{len(problems)} problems in the layers of {str(layer_dir)!r}: {shown}",
                         code="layers_invalid", count=len(problems))
    return load_layers(layer_dir), load_provinces_layer(layer_dir) if provinces_path.exists() else None


def validate_layers(layer_dir: Path) -> None:
    """Raise ``LayerError`` listing every problem of ``layer_dir``."""
    problems = check_layers(layer_dir)
    if problems:
        raise LayerError(f"{len(problems)} problems in {str(layer_dir)!r}:\n  " + "\n  ".join(problems),
                         code="layers_invalid", count=len(problems))


class _NonFinite(str):
    """NaN, Infinity or a number too large for a float, as the file spelled it (JSON allows none)."""


def _check_file(path: Path, sector: str, ids: dict[str, str], *, complete: bool = True) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_NonFinite, parse_float=_float)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        return [f"{path.name}: not readable GeoJSON ({err})"]
    problems = [f"{path.name}: {value} at {where} (JSON has no NaN or Infinity)" for where, value in _non_finite(data)]
    if not isinstance(data, dict):
        return [*problems, f"{path.name}: not a FeatureCollection (the file holds {_kind(data)})"]
    if data.get("type") != "FeatureCollection":
        problems.append(f"{path.name}: not a FeatureCollection")
    if "crs" in data:
        problems.append(f"{path.name}: has a 'crs' member (RFC 7946 forbids it)")
    features = data.get("features")
    if not isinstance(features, list):
        return [*problems, f"{path.name}: 'features' is {_kind(features)}, expected an array"]
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(f"{path.name} feature {n}: is {_kind(feature)}, expected an object")
            continue
        problems += _check_feature(feature, f"{path.name} feature {n}", path.name, sector, ids, complete=complete)
    return problems


def _check_provinces(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        return [f"{path.name}: not readable GeoJSON ({err})"]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return [f"{path.name}: not a FeatureCollection"]
    problems = []
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get("name"), str):
            problems.append(f"{path.name} feature {n}: no province 'name'")
            continue
        try:
            shape = shapely.geometry.shape(feature["geometry"])
        except _GEOMETRY_ERRORS:
            shape = None
        if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{path.name} feature {n}: geometry is not a polygon")
    return problems


def _check_feature(feature: dict[str, Any], label: str, file: str, sector: str, ids: dict[str, str], *,
                   complete: bool = True) -> list[str]:
    props = feature.get("properties")
    problems = []
    if props is not None and not isinstance(props, dict):
        problems.append(f"{label}: properties is {_kind(props)}, expected an object")
    props = props if isinstance(props, dict) else {}
    fid = props.get("id")
    where = f"{label} ({fid if isinstance(fid, str) else '?'})"
    for key, types in [*SCHEMA.items(), *OPTIONAL.items()]:
        value = props.get(key)
        if key not in props and key in OPTIONAL:
            continue
        if key not in props:
            if complete or key in _READ_KEYS:
                problems.append(f"{where}: property {key!r} missing")
        elif isinstance(value, _NonFinite):
            continue  # reported with its place in the file
        elif not isinstance(value, types) or isinstance(value, bool):
            problems.append(f"{where}: {key!r} is {type(value).__name__}, expected {'/'.join(t.__name__ for t in types)}")
    if props.get("sector") != sector:
        problems.append(f"{where}: sector {props.get('sector')!r} in the {sector} layer")
    if not isinstance(props.get("status"), str) or props["status"] not in STATUS_CODES:
        problems.append(f"{where}: status {props.get('status')!r} not in the taxonomy")
    if (complete or "kind" in props) and (not isinstance(props.get("kind"), str) or props["kind"] not in _KINDS):
        problems.append(f"{where}: kind {props.get('kind')!r} not in the taxonomy")
    precision = props.get("precision")
    if isinstance(precision, int) and not isinstance(precision, bool) and not 1 <= precision <= 8:
        problems.append(f"{where}: precision {precision} outside 1–8")
    if isinstance(fid, str):
        # The same project keeps its id in every plan, so an id is unique within one plan.
        key = f"{fid} in plan {props['plan_id']}" if isinstance(props.get("plan_id"), str) else fid
        if key in ids:
            problems.append(f"{where}: id {fid!r} repeats (also in {ids[key]})")
        ids[key] = file
    if complete:
        return problems + _check_geometry(feature.get("geometry"), where)
    # The readers take an item with no place of its own, and draw what shapely reads.
    geometry = feature.get("geometry")
    return problems + [p for p in (_check_geometry(geometry, where) if geometry is not None else [])
                       if "unreadable" in p or "expected an object" in p or "lon/lat" in p]


def _check_geometry(geometry: object, where: str) -> list[str]:
    if geometry is None:
        return [f"{where}: no geometry"]
    if not isinstance(geometry, dict):
        return [f"{where}: geometry is {_kind(geometry)}, expected an object"]
    try:
        geom = shapely.geometry.shape(geometry)
        coords = shapely.get_coordinates(geom)
        problems = []
        if geom.is_empty:
            problems.append(f"{where}: empty geometry")
        elif not geom.is_valid:
            problems.append(f"{where}: invalid geometry ({shapely.is_valid_reason(geom)})")
    except _GEOMETRY_ERRORS as err:
        return [f"{where}: unreadable geometry ({type(err).__name__}: {err})"[:300]]
    if len(coords) and ((np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any()):
        problems.append(f"{where}: coordinates outside lon/lat range (not WGS84?)")
    text = json.dumps(geometry.get("coordinates"))
    if re.search(rf"\.\d{{{_MAX_DECIMALS + 1},}}", text):
        problems.append(f"{where}: coordinates with more than {_MAX_DECIMALS} decimals")
    return problems


def _float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _non_finite(data: object) -> list[tuple[str, str]]:
    """Where NaN or Infinity occurs, as JSON paths (walked without recursion: files may nest deep)."""
    found, todo = [], [("$", data)]
    while todo:
        where, value = todo.pop()
        if isinstance(value, _NonFinite):
            found.append((where, str(value)))
        elif isinstance(value, dict):
            todo.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            todo.extend((f"{where}[{n}]", item) for n, item in enumerate(value))
    return sorted(found)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
