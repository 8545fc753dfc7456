"""``python -m bench [--quick] [--out PATH]``: measure, print the markdown table, write results.json."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bench.measure import Figure, figure, quiet

RESULTS = Path(__file__).resolve().parent / "results.json"
GROUPS = ("pipeline", "map", "scale", "paint", "store")
#: Names results.json always holds (None where a group could not run).
REQUIRED = (
    "pipeline_s", "map_build_ratio", "map_bytes_ratio", "scale_1k_build_ratio", "scale_1k_bytes_ratio",
    "scale_10k_build_s", "scale_10k_bytes", "scale_10k_build_ratio", "scale_10k_bytes_ratio",
    "scale_10k_filter_s", "paint_plan_s", "paint_1k_s", "store_sqlite_updates_per_s",
    "store_postgres_updates_per_s", "store_lost", "briefing_s", "overview_s",
)
_UNITS = {"bytes": "bytes", "per_s": "updates/s", "lost": "updates", "ratio": "ratio"}


@dataclass(frozen=True)
class Sizes:
    """How much each group does: the full run, or ``--quick`` (small sizes, few repeats)."""

    pipeline_runs: int
    map_runs: int
    small: int  # corridors of the "1k" figures
    large: int  # corridors of the "10k" figures
    small_runs: int
    large_runs: int
    paint_runs: int
    paint_large_runs: int  # visits of the "10k" page (0: not painted)
    huge: int  # corridors of the "50k" figures
    paint_huge_runs: int  # visits of the "50k" page (0: not painted)
    first_runs: int  # server starts for the first visitor's paint (0: not measured)
    filter_runs: int  # filter changes measured per page
    stfolium: bool  # measure streamlit-folium's in-place update too
    writers: int
    updates: int
    store_runs: int
    quiet_below: float | None  # each browser measurement waits for a 1-minute load under this (None: no wait)


#: Longest wait for the machine to quieten down before one browser measurement (seconds).
QUIET_TIMEOUT_S = 120.0

FULL = Sizes(pipeline_runs=7, map_runs=10, small=1_000, large=10_000, small_runs=5, large_runs=3,
             paint_runs=5, paint_large_runs=3, huge=50_000, paint_huge_runs=1, first_runs=3, filter_runs=5,
             stfolium=True, writers=20, updates=50, store_runs=5, quiet_below=1.0)
QUICK = Sizes(pipeline_runs=2, map_runs=2, small=100, large=300, small_runs=2, large_runs=2,
              paint_runs=1, paint_large_runs=0, huge=0, paint_huge_runs=0, first_runs=0, filter_runs=1,
              stfolium=False, writers=20, updates=5, store_runs=1, quiet_below=None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the groups asked for; a group that fails is reported and leaves its figures empty."""
    args = _parser().parse_args(argv)
    sizes = QUICK if args.quick else FULL
    postgres_url = args.postgres_url or _default_postgres_url()
    from bench.harness import update_readme
    from bench.machine import machine_facts
    from bench.report import README_END, README_START, machine_table, markdown_table, write_results

    started = time.perf_counter()
    figures: list[Figure] = []
    failed: list[str] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for group in args.only or GROUPS:
            loads.append(os.getloadavg()[0])
            _progress(f"{group}… (load average {loads[-1]:.1f})")
            try:
                figures += RUNNERS[group](sizes, Path(scratch), postgres_url)
            except Exception:  # noqa: BLE001 - one broken group must not hide the others' figures
                failed.append(group)
                traceback.print_exc()
    loads.append(os.getloadavg()[0])
    # Other work on the machine slows every figure: the 1-minute load before each group and at the end.
    figures = _with_required(figures) + [figure("machine_load_1m", loads, "processes", digits=2)]
    write_results(figures, args.out)
    mode = "Quick" if args.quick else "Full"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report = (f"## Results\n\n{mode} run of `python -m bench {' '.join(argv if argv is not None else sys.argv[1:])}`"
              f", {when}, {time.perf_counter() - started:.0f} s. Median of the runs with their min and max; "
              f"ratios are ours/explore() pair by pair.\n\n{markdown_table(figures)}\n\n"
              f"### Machine\n\n{machine_table(machine_facts(postgres_url=postgres_url))}\n")
    if not postgres_url:
        report += "\nPostgreSQL not measured: give --postgres-url or set GEO_TEST_DATABASE_URL.\n"
    print(report)
    if args.readme:
        update_readme(args.readme, report, start=README_START, end=README_END)
        print(f"updated {args.readme}")
    print(f"wrote {args.out}")
    if failed:
        print(f"groups that failed: {', '.join(failed)} (tracebacks above)", file=sys.stderr)
        return 1
    return 0


# -- the groups -------------------------------------------------------------------------------

def _pipeline(sizes: Sizes, scratch: Path, postgres_url: str | None) -> list[Figure]:
    from bench.maps import briefing_figures, pipeline_figures

    return pipeline_figures(runs=sizes.pipeline_runs) + briefing_figures(runs=sizes.pipeline_runs)


def _map(sizes: Sizes, scratch: Path, postgres_url: str | None) -> list[Figure]:
    from bench.maps import plan_map_figures

    return plan_map_figures(runs=sizes.map_runs)


def _scale(sizes: Sizes, scratch: Path, postgres_url: str | None) -> list[Figure]:
    from bench.corridors import synthetic_corridors
    from bench.maps import scale_figures

    figures = scale_figures("scale_1k", synthetic_corridors(sizes.small), runs=sizes.small_runs)
    return figures + scale_figures("scale_10k", synthetic_corridors(sizes.large), runs=sizes.large_runs)


def _paint(sizes: Sizes, scratch: Path, postgres_url: str | None) -> list[Figure]:
    """Ours and explore() in the same browser at the plan, 1k, 10k and 50k corridors; the first
    visitor of a fresh server; filter changes in place (ours; streamlit-folium's at 1k corridors)."""
    from bench.corridors import synthetic_corridors, write_layer_dir
    from bench.explore_paint import explore_paint_figures
    from bench.inplace import stfolium_filter_figures
    from bench.paint import filter_change_figures, first_visitor_figures, paint_figures
    from geo import settings
    from geo.layers import load_layers

    plan = settings.DEFAULT_LAYERS
    measured = partial(_measured, sizes)
    figures = measured(partial(paint_figures, "paint_plan", plan, runs=sizes.paint_runs), tolerate=False)
    figures += measured(lambda: explore_paint_figures("paint_plan", load_layers(plan), runs=sizes.paint_runs))
    if sizes.first_runs:
        figures += measured(partial(first_visitor_figures, "paint_plan", plan, runs=sizes.first_runs))
    figures += measured(partial(filter_change_figures, "paint_plan", plan, runs=sizes.filter_runs), tolerate=False)
    for label, count, runs, explore in (("paint_1k", sizes.small, sizes.paint_runs, True),
                                        ("paint_10k", sizes.large, sizes.paint_large_runs, True),
                                        ("paint_50k", sizes.huge, sizes.paint_huge_runs, False)):
        if not runs:
            continue
        corridors = synthetic_corridors(count)
        folder = write_layer_dir(corridors, scratch / f"corridors-{label}")
        figures += measured(partial(paint_figures, label, folder, runs=runs))
        if explore:  # at 50k explore()'s page is about 230 MB of HTML: not opened
            figures += measured(partial(explore_paint_figures, label, corridors, runs=runs))
        if label == "paint_10k":
            figures += measured(partial(filter_change_figures, label, folder, runs=sizes.filter_runs))
        if label == "paint_1k" and sizes.stfolium:
            figures += measured(partial(stfolium_filter_figures, label, folder, runs=sizes.filter_runs))
    return figures + _paint_ratios(figures)


def _measured(sizes: Sizes, measure: Callable[[], list[Figure]], *, tolerate: bool = True) -> list[Figure]:
    """The figures of one browser measurement, taken once the machine is quiet (``sizes.quiet_below``)
    and stamped with the load it started at. ``tolerate``: a measurement that fails is reported
    and its figures stay empty (one page that never paints must not take the others' with it);
    otherwise its error ends the group."""
    start = quiet(below=sizes.quiet_below, timeout_s=QUIET_TIMEOUT_S) if sizes.quiet_below else None
    try:
        figures = measure()
    except Exception:  # noqa: BLE001 - reported, and the figures it would have made stay empty
        if not tolerate:
            raise
        traceback.print_exc()
        return []
    return [replace(f, load_start_1m=start) for f in figures]


def _paint_ratios(figures: list[Figure]) -> list[Figure]:
    """Ours / explore()'s paint and page weight, as ratios of the medians."""
    by_name = {f.name: f for f in figures}
    out = []
    for label in ("paint_plan", "paint_1k", "paint_10k"):
        ours, theirs = by_name.get(f"{label}_s"), by_name.get(f"{label}_explore_s")
        if ours and theirs and ours.value and theirs.value:
            ratio = round(ours.value / theirs.value, 3)
            out.append(Figure(f"{label}_explore_ratio", ratio, "ratio", ratio, ratio, 1, ours.load_1m,
                              ours.load_start_1m))
    return out


def _store(sizes: Sizes, scratch: Path, postgres_url: str | None) -> list[Figure]:
    from bench.writers import store_figures

    return store_figures(writers=sizes.writers, updates=sizes.updates, runs=sizes.store_runs,
                         postgres_url=postgres_url)


RUNNERS: dict[str, Callable[[Sizes, Path, str | None], list[Figure]]] = {
    "pipeline": _pipeline, "map": _map, "scale": _scale, "paint": _paint, "store": _store,
}


# -- helpers ----------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and few repeats (under a minute); what tests/test_bench.py runs")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"where to write the JSON (default {RESULTS})")
    parser.add_argument("--postgres-url", default=None,
                        help="PostgreSQL server for the store figures; a fresh database is made on it "
                             "per run (default: GEO_TEST_DATABASE_URL; without one PostgreSQL is skipped)")
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=None, help="run only these groups")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also put the table and the machine into this README, between its "
                             "<!-- results:start --> and <!-- results:end --> markers (bench/README.md)")
    return parser


def _default_postgres_url() -> str | None:
    from geo import settings

    return settings.test_database_url()


def _with_required(figures: list[Figure]) -> list[Figure]:
    """Every required name present: the ones no group produced are added as not measured."""
    have = {f.name for f in figures}
    missing = [Figure(name, None, _unit(name), None, None, 0) for name in REQUIRED if name not in have]
    return figures + missing


def _unit(name: str) -> str:
    for suffix, unit in _UNITS.items():
        if name.endswith(suffix):
            return unit
    return "s"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
