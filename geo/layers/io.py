"""Layers: features ↔ ``data/geojson/<sector>.geojson`` (RFC 7946); the check of a folder is in ``layer_check``.

The only stage that writes the map's data. One FeatureCollection per sector plus
``provinces.geojson``; WGS84 lon/lat, no ``crs`` member, coordinates rounded.

A layer set is written whole into a hidden folder beside the target and swapped in with one
rename (``renameat2(RENAME_EXCHANGE)`` on Linux), so a reader or a failed build never sees a
mix of old and new layers; files in the target that are not layers are kept.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo import settings
from geo.errors import LayerError

PROVINCES_FILE = "provinces.geojson"
# The hidden folder a layer set is written into, beside the target: ".geojson.building-PID-XXXX".
_BUILDING = ".{name}.building-"


def save_layers(features: gpd.GeoDataFrame, out_dir: Path, *, provinces: gpd.GeoDataFrame | None = None) -> list[Path]:
    """Write one FeatureCollection per sector (every sector, empty ones included); return the paths.

    The files are written into a new folder beside ``out_dir`` and swapped in at once: when
    writing fails part-way, ``out_dir`` keeps the previous set untouched.

    Raises
    ------
    LayerError
        ``out_dir`` cannot take a layer set (see ``check_out_dir``), or writing failed.
    """
    target = check_out_dir(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    building = Path(tempfile.mkdtemp(prefix=_BUILDING.format(name=target.name) + f"{os.getpid()}-",
                                     dir=target.parent))
    try:
        building.chmod(_folder_mode(target))
        names = _write_set(features, provinces, building)
        _keep_other_files(target, building, names)
        _swap_in(building, target)
    except (OSError, TypeError, ValueError) as err:
        shutil.rmtree(building, ignore_errors=True)
        raise LayerError(f"writing the layers to {str(target)!r} failed, the previous layers are unchanged: {err}",
                         code="layers_write_failed") from err
    return [target / name for name in names]


def check_out_dir(out_dir: Path) -> Path:
    """Check that a layer set can be written to ``out_dir``; return it as an absolute path.

    Raises
    ------
    LayerError
        ``out_dir`` is a file, lies under a file, holds folders of its own (it is not a layer
        folder: replacing it would lose them), or its parent cannot be written to.
    """
    target = Path(os.path.abspath(Path(out_dir).expanduser()))
    if target.is_symlink() and target.is_dir():
        target = target.resolve()
    if target.exists() and not target.is_dir():
        raise LayerError(f"--out {str(target)!r} is a file, not a folder", code="out_is_file")
    existing = next(p for p in (target, *target.parents) if p.exists())
    if not existing.is_dir():
        raise LayerError(f"--out {str(target)!r} lies under the file {str(existing)!r}", code="out_under_file")
    if target.exists():
        others = [p.name for p in target.iterdir() if not p.is_file() or p.is_symlink()]
        if others or target.parent == target:
            raise LayerError(f"--out {str(target)!r} holds folders or links ({', '.join(sorted(others)[:5])}); "
                             "give the layers a folder of their own", code="out_not_layers")
    if not _writable(target.parent if target.parent.exists() else existing):
        raise LayerError(f"cannot write beside --out {str(target)!r}: {str(existing)!r} is not writable",
                         code="out_unwritable")
    return target


def load_layers(layer_dir: Path | None = None) -> gpd.GeoDataFrame:
    """All sector layers of ``layer_dir`` in one GeoDataFrame (list properties stay lists).

    Raises
    ------
    LayerError
        The folder does not exist (``layers_missing``), or a layer file is not a GeoJSON
        FeatureCollection that can be read (``layer_unreadable``, naming the file).
    """
    layer_dir = Path(layer_dir or settings.DEFAULT_LAYERS)
    if not layer_dir.is_dir():
        raise LayerError(f"no layer folder {str(layer_dir)!r}", code="layers_missing")
    features = []
    for sector in settings.SECTORS:
        path = layer_dir / f"{sector}.geojson"
        if path.exists():
            features += _read_features(path)
    return _frame(features)


def load_provinces_layer(layer_dir: Path | None = None) -> gpd.GeoDataFrame:
    """``provinces.geojson`` of ``layer_dir``; LayerError (naming the file) when it cannot be read."""
    return _frame(_read_features(Path(layer_dir or settings.DEFAULT_LAYERS) / PROVINCES_FILE))


def _read_features(path: Path) -> list[dict[str, Any]]:
    # A damaged or hand-edited file fails in json (bad syntax, nesting deep enough to recurse
    # out), in the structure (not a collection, a feature without properties) or in shapely.
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        if not isinstance(features, list) or not all(isinstance(f, dict) and isinstance(f.get("properties"), dict)
                                                      for f in features):
            raise TypeError("features must be a list of objects with properties")
        for feature in features:
            if feature.get("geometry"):
                shapely.geometry.shape(feature["geometry"])
        return features
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, KeyError, TypeError, AttributeError,
            IndexError, shapely.errors.ShapelyError) as err:
        reason = f"{type(err).__name__}: {str(err)[:200]}"
        raise LayerError(f"cannot read the layer {str(path)!r}: {reason}", code="layer_unreadable",
                         layer=path.name) from err


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


def _write_set(features: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None, folder: Path) -> list[str]:
    names = []
    for sector in settings.SECTORS:
        subset = features[features["sector"] == sector]
        names.append(_write(folder / f"{sector}.geojson", _collection(subset, settings.COORD_DECIMALS)).name)
    if provinces is not None:
        names.append(_write(folder / PROVINCES_FILE, _collection(provinces, 4)).name)
    return names


def _write(path: Path, collection: dict[str, Any]) -> Path:
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _keep_other_files(target: Path, building: Path, written: list[str]) -> None:
    """Carry the target's files that this set does not replace (hard links: nothing is copied)."""
    if not target.is_dir():
        return
    for path in target.iterdir():
        if path.name in written or path.name.endswith(".tmp") or not path.is_file():
            continue
        try:
            os.link(path, building / path.name)
        except OSError:
            shutil.copy2(path, building / path.name)


def _swap_in(building: Path, target: Path) -> None:
    """Put ``building`` in the place of ``target`` with one rename; remove the previous set."""
    if not target.exists():
        building.rename(target)
        return
    if _exchange(building, target):
        shutil.rmtree(building)  # it now holds the previous set
        return
    # No atomic exchange here (not Linux, or a file system without it): two renames.
    previous = building.with_name(building.name + "-previous")
    target.rename(previous)
    building.rename(target)
    shutil.rmtree(previous)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_abandoned(target: Path) -> None:
    """Remove the building folders of builds that were killed (their process is gone)."""
    prefix = _BUILDING.format(name=target.name)
    for path in target.parent.glob(prefix + "*"):
        pid = path.name.removeprefix(prefix).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _folder_mode(target: Path) -> int:
    """The previous folder's permissions, or the usual ones (mkdtemp makes a private folder)."""
    if target.is_dir():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


def _writable(folder: Path) -> bool:
    """Whether a folder can be made in ``folder``: tried, since permissions alone do not tell (root)."""
    try:
        probe = tempfile.mkdtemp(prefix=".geo-write-probe-", dir=folder)
    except OSError:
        return False
    os.rmdir(probe)
    return True

