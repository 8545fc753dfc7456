"""What the status store takes and gives: baselines, status changes, records, history, users.

Plain frozen dataclasses and the limits the store checks them against; no SQL here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from geo import settings

#: First day an effective date may have: the plan's year starts.
PLAN_START: date = date(2014, 1, 1)
#: Longest progress note accepted, in characters.
MAX_NOTE = 2000
#: Longest source (document number, meeting, link) accepted, in characters.
MAX_SOURCE = 1000
#: Editor name recorded on the rows seeded from the plan; no account may take it.
PLAN_EDITOR = "plan"
#: "Today" for the future-date check is the date in Inner Mongolia (UTC+8, no daylight saving),
#: so that an editor entering today's date early in the morning is not told it is in the future.
LOCAL_TZ = settings.LOCAL_TZ
#: Note of the history row seeded from the plan.
SEED_NOTE = "baseline read from the plan's text"


@dataclass(frozen=True)
class User:
    """A signed-in editor; ``agency`` limits them to that agency's projects (None: all)."""

    name: str
    agency: str | None = None


@dataclass(frozen=True)
class Baseline:
    """A project as the plan states it: the seed of its status history."""

    id: str
    status: str
    status_source: str = ""
    lead_agencies: tuple[str, ...] = ()
    cooperating_agencies: tuple[str, ...] = ()
    name_zh: str | None = None

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> Baseline:
        """Build a baseline from a layer feature's properties (a dict or a GeoDataFrame row)."""
        return cls(
            id=str(row["id"]),
            status=str(row["status"]),
            status_source=text_property(row.get("status_source")),
            lead_agencies=list_property(row.get("lead_agencies")),
            cooperating_agencies=list_property(row.get("cooperating_agencies")),
            name_zh=text_property(row.get("name_zh")) or None,
        )


@dataclass(frozen=True)
class StatusChange:
    """What an editor submits: the new status of one project, when it took effect, why, and the source."""

    project_id: str
    status: str
    effective_date: date
    note: str
    source: str


@dataclass(frozen=True)
class StatusRecord:
    """The current status of one project and who set it."""

    project_id: str
    status: str
    effective_date: date
    note: str
    source: str
    editor: str
    changed_at: datetime
    version: int


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a project's status; ``old_status`` is None for the row seeded from the plan."""

    id: int
    project_id: str
    old_status: str | None
    new_status: str
    effective_date: date
    note: str
    source: str
    editor: str
    changed_at: datetime
    version: int


def list_property(value: object) -> tuple[str, ...]:
    """A list-valued layer property as a tuple of strings (readers may hand lists over as JSON text)."""
    if value is None or isinstance(value, float):  # missing, or NaN from a data frame
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    items: Iterable[object] = value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    return tuple(text for text in (str(v).strip() for v in items) if text)


def text_property(value: object) -> str:
    """A text layer property as a string: "" for a missing one (None, or NaN from a data frame)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
