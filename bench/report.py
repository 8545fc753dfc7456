"""The results table: every figure, and for each bar whether it is met and by how much not."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Figure


@dataclass(frozen=True)
class Bar:
    """A target: ``value <= limit`` (``at_most``) or ``value >= limit``."""

    name: str
    limit: float
    at_most: bool = True

    def text(self, unit: str) -> str:
        """The bar as the table prints it."""
        return f"{'≤' if self.at_most else '≥'} {_number(self.limit, unit)}"

    def verdict(self, value: float | None, unit: str) -> str:
        """``met`` or ``missed by …`` (absolute and relative), or why it could not be judged."""
        if value is None:
            return "not measured"
        met = value <= self.limit if self.at_most else value >= self.limit
        if met:
            return "met"
        gap = abs(value - self.limit)
        relative = f" ({gap / self.limit:.0%})" if self.limit else ""
        return f"**missed** by {_number(gap, unit)}{relative}"


#: The markers around the generated part of ``bench/README.md``.
README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"

#: The bars, by figure name: page weight, build and store (set before the map was drawn in
#: place), then the map's paint, first visitor, filter change and scale.
BARS: dict[str, Bar] = {bar.name: bar for bar in (
    Bar("map_bytes_ratio", 0.5),
    Bar("scale_1k_bytes_ratio", 0.5),
    Bar("scale_10k_bytes_ratio", 0.5),
    Bar("map_build_ratio", 1.0),
    Bar("scale_1k_build_ratio", 1.0),
    Bar("scale_10k_build_ratio", 1.0),
    Bar("scale_10k_build_s", 5.0),
    Bar("scale_10k_bytes", 15e6),
    Bar("paint_10k_ws_bytes", 15e6),
    Bar("scale_10k_filter_s", 0.3),
    Bar("paint_plan_s", 2.0),
    Bar("paint_plan_first_visitor_s", 3.0),
    Bar("paint_plan_filter_change_s", 0.5),
    Bar("paint_10k_filter_change_s", 0.5),
    Bar("paint_1k_s", 6.0),
    Bar("paint_10k_s", 4.0),
    Bar("paint_10k_explore_ratio", 1.5),
    Bar("paint_50k_s", 15.0),
    Bar("paint_50k_heap_bytes", 1e9),
    Bar("store_sqlite_updates_per_s", 200, at_most=False),
    Bar("store_lost", 0),
)}


def markdown_table(figures: Sequence[Figure]) -> str:
    """One row per figure: median, min, max, runs, and the bar with its verdict where there is one."""
    lines = ["| figure | median | min | max | runs | load | bar | verdict |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for f in figures:
        bar = BARS.get(f.name)
        load = _load(f)
        lines.append(f"| `{f.name}` | {_number(f.value, f.unit)} | {_number(f.min, f.unit)} | "
                     f"{_number(f.max, f.unit)} | {f.runs} | {load} | {bar.text(f.unit) if bar else ''} | "
                     f"{bar.verdict(f.value, f.unit) if bar else ''} |")
    return "\n".join(lines)


def machine_table(facts: Mapping[str, str]) -> str:
    """The machine as a two-column markdown table."""
    return "\n".join(["| | |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in facts.items())])


def write_results(figures: Iterable[Figure], path: Path) -> Path:
    """``results.json``: a list of ``{"name", "value", "unit", "min", "max", "runs", "load_1m", "load_start_1m"}``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([f.as_json() for f in figures], indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def _load(f: Figure) -> str:
    """The load column: at the end of the figure's measurement, after the load it started at
    where it waited for a quiet machine (``1.0 → 2.4``)."""
    end = "" if f.load_1m is None else f"{f.load_1m:.1f}"
    if f.load_start_1m is None:
        return end
    return f"{f.load_start_1m:.1f} → {end}" if end else f"{f.load_start_1m:.1f}"


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} kB"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ratio":
        return f"{value:.3f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
