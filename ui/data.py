"""A page run's reads of the status store: the changes editors recorded, read at every run.

Not cached: a change made through another app server must show at the next rerun. Without a
reachable store the map shows the plan's statuses; the reason goes to the server log and the
form shows a translated notice (``store_problem``).
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from geo import settings, webmap
from geo.errors import GeoError
from geo.store import PLAN_EDITOR, StatusRecord
from ui import site

LOG = logging.getLogger(__name__)
PROBLEM = "store_problem"


def current_changes() -> dict[str, webmap.StatusChangeView]:
    """Project id → the status an editor recorded, for every project changed after the plan."""
    try:
        records = site.store().current_changed()
    except GeoError as err:
        LOG.warning("status store unreachable: %s", err)
        st.session_state[PROBLEM] = err
        return {}
    st.session_state.pop(PROBLEM, None)
    return {pid: change_view(r) for pid, r in records.items()}  # the store leaves the baselines out


def change_view(record: StatusRecord) -> webmap.StatusChangeView:
    """A recorded status as the map, the table and the form show it (times in China time)."""
    return webmap.StatusChangeView(
        status=record.status, effective=record.effective_date.isoformat(), editor=record.editor,
        recorded=record.changed_at.astimezone(settings.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"), note=record.note)


def is_baseline(record: StatusRecord) -> bool:
    """The row seeded from the plan, which no editor has changed yet (``Store.current_changed``
    leaves out the same rows in its query)."""
    return record.version <= 1 or record.editor == PLAN_EDITOR


def as_status_mapping(changes: dict[str, webmap.StatusChangeView]) -> dict[str, dict[str, Any]]:
    """The changes in the form ``geo.filters.with_current_status`` merges into the layers."""
    return {pid: {"status": c.status, "effective": c.effective, "changed_at": c.recorded, "editor": c.editor,
                  "note": c.note} for pid, c in changes.items()}
