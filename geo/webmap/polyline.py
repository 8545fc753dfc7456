"""Geometry → Google's encoded-polyline text, the compact form the map's data travels in.

Corridors are encoded on a 1e-5° grid (about 1 m, the layers' precision), province rings on a
0.01° grid. Both are decoded by ``latLngs`` in ``geo/webmap/static/map.js``. Vectorised over
all lines at once: coordinates are the bulk of a large map, so no Python loop runs per vertex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from geo import settings

#: Corridors travel as encoded polylines on this grid (1e-5°, about 1 m: the layers' precision).
LINE_SCALE = 10 ** settings.COORD_DECIMALS
#: Province rings travel on this grid (0.01°): context, not a boundary of record.
RING_SCALE = 100


@dataclass(frozen=True)
class EncodedLines:
    """Per input row: ``{"t": "L", "e": text}`` / ``{"t": "ML", "e": [texts]}`` for a line, else None."""

    geometries: list[dict[str, Any] | None]
    #: (minx, miny, maxx, maxy) of every vertex, or None without lines.
    box: tuple[float, float, float, float] | None


def encode_lines(values: np.ndarray) -> EncodedLines:
    """Every LineString/MultiLineString of ``values`` (shapely geometries) as encoded polylines."""
    values = np.asarray(values, dtype=object)
    is_line = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    is_line &= np.isin(shapely.get_type_id(values), (1, 5))  # LineString, MultiLineString
    rows = np.flatnonzero(is_line)
    out: list[dict[str, Any] | None] = [None] * len(values)
    if not len(rows):
        return EncodedLines(out, None)
    parts, owner = shapely.get_parts(values[rows], return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    grid = np.round(coords * LINE_SCALE).astype(np.int64)
    deltas = grid.copy()
    deltas[1:] -= grid[:-1]
    starts = np.r_[True, part_of[1:] != part_of[:-1]] if len(part_of) else np.zeros(0, bool)
    deltas[starts] = grid[starts]  # each part starts from zero
    chars, lengths = polyline_chars(deltas.ravel())
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
        out[row] = {"t": "L", "e": texts[0] if texts else ""} if kind == 1 else {"t": "ML", "e": texts}
    box = None
    if len(grid):
        (minx, miny), (maxx, maxy) = grid.min(axis=0) / LINE_SCALE, grid.max(axis=0) / LINE_SCALE
        box = (float(minx), float(miny), float(maxx), float(maxy))
    return EncodedLines(out, box)


def encode_rings(geom: shapely.Geometry) -> list[list[str]]:
    """Polygons → rings, each an encoded polyline at 0.01° (x, y order); tiny rings dropped."""
    polygons = []
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type != "Polygon":
            continue
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            grid = np.round(np.asarray(ring.coords)[:, :2] * RING_SCALE).astype(np.int64)
            grid = grid[np.r_[True, np.any(np.diff(grid, axis=0) != 0, axis=1)]]
            if len(grid) >= 4:
                rings.append(polyline(np.vstack([grid[:1], np.diff(grid, axis=0)]).ravel().tolist()))
        if rings:
            polygons.append(rings)
    return polygons


def polyline(deltas: list[int]) -> str:
    """Google's encoded-polyline characters for ``deltas`` (5-bit chunks, zig-zag sign)."""
    out = []
    for value in deltas:
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


def decode(text: str, scale: float = LINE_SCALE) -> list[list[float]]:
    """The coordinates of one encoded part (as the page's ``latLngs``): for tests and tools."""
    values, value, shift = [], 0, 0
    for char in text:
        b = ord(char) - 63
        value |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    x = y = 0
    coords = []
    for dx, dy in zip(values[0::2], values[1::2], strict=True):
        x, y = x + dx, y + dy
        coords.append([x / scale, y / scale])
    return coords


def polyline_chars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Encoded-polyline characters of integer ``values`` (as ``polyline``, vectorised): the
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
