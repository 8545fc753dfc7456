"""Hints: curated, cited facts about the plan's items (``data/hints.toml``).

``[[corridor]]`` tables give a corridor's published route (``waypoints``: gazetteer names, or
``{name, precision, note}`` tables for crossings placed by reasoning), its published length and
provinces, and its English name; ``[[facility]]`` tables give an item's place or places, its
partners (the signatories of a declaration) and English name. Every table names its ``source``.
The first table whose ``match`` is part of a project's Chinese name applies.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import settings

if TYPE_CHECKING:
    from geo.pipeline.projects import Project


@dataclass(frozen=True)
class Waypoint:
    """One waypoint of a cited route: a gazetteer name; ``precision`` and ``note`` when it is a
    crossing placed by reasoning rather than a place the source names."""

    name: str
    precision: int | None = None
    note: str = ""


@dataclass
class Hints:
    """Curated corridor and facility hints."""

    corridors: list[dict[str, Any]] = field(default_factory=list)
    facilities: list[dict[str, Any]] = field(default_factory=list)

    def for_project(self, project: Project) -> dict[str, Any]:
        """The first hint whose ``match`` is part of the project's Chinese name, or an empty dict."""
        table = self.corridors if project.linear else self.facilities
        return next((h for h in table if h.get("match") and h["match"] in project.name_zh), {})


def read_hints(path: Path | None = None) -> Hints:
    """``data/hints.toml``: ``[[corridor]]`` and ``[[facility]]`` tables keyed by ``match``."""
    return _read_hints(path or settings.DATA_DIR / "hints.toml")


def waypoints_of(hint: dict[str, Any]) -> list[Waypoint]:
    """The hint's waypoints as ``Waypoint``s (plain names or tables)."""
    out = []
    for entry in hint.get("waypoints") or []:
        if isinstance(entry, str):
            out.append(Waypoint(entry))
        else:
            out.append(Waypoint(str(entry["name"]), entry.get("precision"), str(entry.get("note", ""))))
    return out


@lru_cache(maxsize=4)
def _read_hints(path: Path) -> Hints:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return Hints(corridors=data.get("corridor", []), facilities=data.get("facility", []))
