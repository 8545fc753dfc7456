"""Timing and summaries: repeated runs → median, min and max; pair-by-pair ratios."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True)
class Figure:
    """One line of ``results.json``: the median of ``runs`` measurements, with their min and max.

    ``value``, ``min`` and ``max`` are None when the figure could not be measured on this machine
    (``runs`` is then 0 and the report says why).
    """

    name: str
    value: float | None
    unit: str
    min: float | None
    max: float | None
    runs: int
    #: The machine's 1-minute load average when the figure was taken (others share the cores).
    load_1m: float | None = None
    #: The load average when its measurement started (``quiet``), before the benchmark's own work
    #: for it (a browser, an app server) raised it; None where the measurement did not wait for it.
    load_start_1m: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON object written to ``results.json``."""
        return asdict(self)


def figure(name: str, samples: Sequence[float], unit: str, *, digits: int = 4) -> Figure:
    """The median, min and max of ``samples`` (an empty list gives a figure of None)."""
    if not samples:
        return Figure(name, None, unit, None, None, 0)
    return Figure(name, round(statistics.median(samples), digits), unit,
                  round(min(samples), digits), round(max(samples), digits), len(samples), load_now())


def load_now() -> float:
    """The 1-minute load average now, to two decimals."""
    return round(os.getloadavg()[0], 2)


def quiet(*, below: float, timeout_s: float) -> float:
    """Wait until the 1-minute load average is under ``below``, at most ``timeout_s`` seconds; the
    load average then. The previous measurement's browser and app server take seconds to close,
    and their load decays from the average over about a minute: without the wait, one measurement
    runs in the previous one's wake."""
    deadline = time.monotonic() + timeout_s
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(1.0)
    return load_now()


def ratios(ours: Sequence[float], theirs: Sequence[float]) -> list[float]:
    """``ours[i] / theirs[i]`` for each run: ratios are taken pair by pair, then summarised."""
    if len(ours) != len(theirs):
        raise ValueError(f"{len(ours)} runs of ours against {len(theirs)} of theirs")
    return [a / b for a, b in zip(ours, theirs, strict=True) if b]


def timed(fn: Callable[[], _T]) -> tuple[float, _T]:
    """Seconds taken by ``fn()`` (wall clock, ``perf_counter``) and what it returned."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result
