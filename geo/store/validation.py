"""The checks of a status change and of the plan's baselines that need no database.

Each gives a ``Problem`` per field, so that every problem is reported at once and in the
reader's language (``geo.i18n.problem_text``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from geo.errors import InvalidStatusChange, Problem
from geo.store.records import MAX_NOTE, MAX_SOURCE, Baseline, StatusChange
from geo.taxonomy import STATUS_CODES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REQUIRED = Problem("required", {}, "required")

def change_problems(change: StatusChange, expected_version: int, *, plan_start: date,
                     today: date) -> dict[str, Problem]:
    """Every problem of ``change`` that can be seen without the database, by field."""
    checks = {
        "project_id": _text_problem(change.project_id, limit=200),
        "status": _status_problem(change.status),
        "effective_date": _date_problem(change.effective_date, plan_start=plan_start, today=today),
        "note": _text_problem(change.note, limit=MAX_NOTE),
        "source": _text_problem(change.source, limit=MAX_SOURCE),
    }
    problems = {name: problem for name, problem in checks.items() if problem}
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 1:
        problems["expected_version"] = Problem("version_invalid", {"value": repr(expected_version)},
                                               f"expected a version number ≥ 1, got {expected_version!r}")
    return problems


def _text_problem(value: object, *, limit: int) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _REQUIRED
    if not isinstance(value, str):
        return Problem("not_text", {"type": type(value).__name__}, f"must be text, got {type(value).__name__}")
    if len(value.strip()) > limit:
        length = len(value.strip())
        return Problem("too_long", {"length": length, "limit": limit}, f"{length:,} characters; at most {limit:,}")
    if _CONTROL.search(value):
        return Problem("control_chars", {}, "contains control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return Problem("invalid_unicode", {}, "is not valid Unicode text")
    return None


def _status_problem(value: object) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _REQUIRED
    if value not in STATUS_CODES:
        return Problem("status_unknown", {"value": str(value)},
                       f"{value!r} is not in the status taxonomy ({', '.join(STATUS_CODES)})")
    return None


def _date_problem(value: object, *, plan_start: date, today: date) -> Problem | None:
    if value is None or value == "":
        return _REQUIRED
    try:
        day = as_date(value)
    except (TypeError, ValueError):
        return Problem("date_invalid", {"value": str(value)}, f"not a date (YYYY-MM-DD): {value!r}")
    if day < plan_start:
        return Problem("date_before_plan", {"date": day, "start": plan_start},
                       f"{day.isoformat()} is before the plan year (from {plan_start.isoformat()})")
    if day > today:
        return Problem("date_future", {"date": day, "today": today},
                       f"{day.isoformat()} is in the future (today is {today.isoformat()})")
    return None


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise TypeError(f"not a date: {value!r}")


def check_baselines(items: list[Baseline]) -> None:
    problems: dict[str, Problem] = {}
    seen: set[str] = set()
    for b in items:
        if not b.id.strip():
            problems["id"] = Problem("baseline_empty_id", {}, "a baseline has an empty id")
        elif b.id in seen:
            problems[b.id] = Problem("baseline_repeated_id", {"id": b.id}, "id repeats")
        elif b.status not in STATUS_CODES:
            problems[b.id] = Problem("baseline_status", {"value": b.status},
                                     f"status {b.status!r} is not in the status taxonomy")
        seen.add(b.id)
    if problems:
        raise InvalidStatusChange(problems, code="baselines_invalid")
