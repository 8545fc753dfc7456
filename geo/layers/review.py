"""Review: a layer folder → one row per feature for a planner to check against published facts.

Each row says what the map shows and why: names, kind, partners with their reasons, the provinces
a line crosses (and the published list where a source gives one), its ends, drawn and stated
length, precision, what it was placed on and the places it names that the gazetteer lacks
(``data/gazetteer/places.csv`` takes them), how the route was made, the status with the plan's words it was
read from, the sources used, and a reviewer's note where a planner would otherwise ask why
(``data/review_notes.csv``: ``id,note,source``). ``python -m geo review [DIR] [--format md|csv]`` prints it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo import settings
from geo.csvtext import csv_text
from geo.errors import LayerError
from geo.layers.check import load_checked_layers
from geo.layers.fidelity import drawn_km

COLUMNS: tuple[str, ...] = (
    "id", "name_zh", "name_en", "kind", "partners", "crossed", "ends", "drawn_km", "length_km",
    "length_source", "precision", "placed_on", "unknown_places", "route", "status", "status_phrase", "sources",
    "notes",
)


def review_rows(features: gpd.GeoDataFrame, notes: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One row of plain text per feature, in layer order; ``notes`` by feature id."""
    notes = notes or {}
    return [_row(row._asdict()) | {"notes": notes.get(str(row.id), "")} for row in features.itertuples(index=False)]


def read_review_notes(data_dir: Path | None = None) -> dict[str, str]:
    """``data/review_notes.csv``: feature id → ``note (source)``; empty when the file is absent."""
    path = (data_dir or settings.DATA_DIR) / "review_notes.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["id"]: f"{r['note']} ({r['source']})" if r.get("source") else r["note"] for r in csv.DictReader(fh)}


def review_table(layer_dir: Path, *, fmt: str = "md") -> str:
    """The review of ``layer_dir`` as a Markdown table (``md``) or CSV (``csv``).

    Raises
    ------
    LayerError
        The folder is missing, holds no project, or a layer cannot be read.
    """
    rows = review_rows(load_checked_layers(layer_dir)[0], read_review_notes())
    if not rows:
        raise LayerError(f"no layers in {str(layer_dir)!r}", code="layers_empty")
    return _csv(rows) if fmt == "csv" else _markdown(rows)


def _row(props: dict[str, Any]) -> dict[str, str]:
    geom = props.get("geometry")
    is_line = geom is not None and geom.geom_type in {"LineString", "MultiLineString"}
    waypoints = _list(props.get("waypoints"))
    partners = [f"{p} ({r})" for p, r in zip(_list(props.get("partner_provinces")), _list(props.get("partner_reason")))]
    published = _number(props.get("published_length_km"))
    length = f"{props['length_km']:g}" if is_line and _number(props.get("length_km")) else ""
    if is_line and published and props.get("length_source") == "drawn":
        length += f" (published {published:g})"
    phrase = _text(props.get("status_source"))
    wording = _text(props.get("wording"))
    return {
        "id": str(props.get("id", "")), "name_zh": str(props.get("name_zh", "")),
        "name_en": str(props.get("name_en", "")), "kind": str(props.get("kind", "")),
        "partners": "; ".join(partners), "crossed": " → ".join(_list(props.get("crossed_provinces"))),
        "ends": f"{waypoints[0]} → {waypoints[-1]}" if is_line and len(waypoints) >= 2 else "; ".join(waypoints),
        "drawn_km": f"{drawn_km(geom):.0f}" if is_line else "", "length_km": length,
        "length_source": str(props.get("length_source") or "") if is_line else "",
        "precision": str(props.get("precision", "")), "placed_on": str(props.get("placed_on", "")),
        "unknown_places": "; ".join(_list(props.get("unknown_places"))),
        "route": _text(props.get("route")), "status": str(props.get("status", "")),
        "status_phrase": f"{phrase} ← {wording}" if phrase else wording,
        "sources": _text(props.get("route_source")) or _text(props.get("hint_source")),
    }


def _markdown(rows: list[dict[str, str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(row[c].replace("|", "\\|") for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _csv(rows: list[dict[str, str]]) -> str:
    return csv_text(COLUMNS, ([row[c] for c in COLUMNS] for row in rows))


def _text(value: Any) -> str:
    """A property as text; missing values (None, NaN from a column that has them) as empty."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and value == value else None


def _list(value: Any) -> list[str]:
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value]
