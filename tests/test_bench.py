"""The benchmark: ``python -m bench --quick`` runs end to end and writes sane figures.

The full run is not part of CI; this keeps it from rotting. The quick run drives the real app
in headless Chromium and, when ``GEO_TEST_DATABASE_URL`` is set, writes to PostgreSQL too.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely

from bench import harness
from bench.__main__ import QUICK, REQUIRED, RESULTS
from bench.measure import Figure, figure, quiet, ratios
from bench.report import markdown_table
from geo import settings

CHROMIUM = Path(harness.CHROMIUM)


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The figures of one ``--quick`` run, by name, written to a temporary path."""
    for module in ("matplotlib", "mapclassify"):  # GeoDataFrame.explore() needs both
        pytest.importorskip(module, reason=f"explore() needs {module}: pip install -r bench/requirements.txt")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make system-deps installs it)")
    out = tmp_path_factory.mktemp("bench") / "results.json"
    committed = _digest(RESULTS)
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)],
                          cwd=settings.ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert _digest(RESULTS) == committed, "--quick --out must leave bench/results.json alone"
    figures = json.loads(out.read_text("utf-8"))
    assert all(set(f) == {"name", "value", "unit", "min", "max", "runs", "load_1m", "load_start_1m"} for f in figures)
    return {f["name"]: f for f in figures}


@pytest.mark.slow
@pytest.mark.browser
def test_quick_run_measures_every_required_figure(quick_results: dict[str, dict]) -> None:
    postgres = settings.test_database_url() is not None
    for name in REQUIRED:
        if name == "store_postgres_updates_per_s" and not postgres:
            continue
        f = quick_results[name]
        assert f["value"] is not None and f["runs"] >= 1, name
        assert f["min"] <= f["value"] <= f["max"], name


@pytest.mark.slow
@pytest.mark.browser
def test_quick_figures_are_sane(quick_results: dict[str, dict]) -> None:
    value = {name: f["value"] for name, f in quick_results.items()}
    for name in ("map", "scale_1k", "scale_10k"):
        assert 0.01 < value[f"{name}_build_ratio"] < 100
        assert 0.01 < value[f"{name}_bytes_ratio"] < 100
        assert value[f"{name}_bytes"] > 10_000  # a map with its data, not an empty page
    assert value["scale_1k_features"] == QUICK.small and value["scale_10k_features"] == QUICK.large
    assert 0 < value["pipeline_s"] < 60
    assert 0 < value["scale_10k_filter_s"] < value["scale_10k_build_s"]
    # Every corridor was drawn in the browser: the paint counts the plan's 21 lines and the synthetic ones.
    assert value["paint_1k_lines"] == QUICK.small
    assert value["paint_plan_lines"] > 0 and 0 < value["paint_plan_s"] < 60
    assert value["store_sqlite_updates_per_s"] > 1
    assert value["store_lost"] == 0


def test_ratios_are_taken_pair_by_pair() -> None:
    # A slow run of ours against a slow run of theirs is a ratio of 1, not an outlier.
    pairs = ratios([1.0, 10.0, 2.0], [1.0, 10.0, 1.0])
    assert pairs == [1.0, 1.0, 2.0]
    f = figure("r", pairs, "ratio")
    assert (f.value, f.min, f.max, f.runs) == (1.0, 1.0, 2.0, 3) and f.load_1m is not None and f.load_1m >= 0
    with pytest.raises(ValueError):
        ratios([1.0], [1.0, 2.0])


def test_quiet_waits_for_the_load_but_no_longer_than_its_timeout() -> None:
    start = time.monotonic()
    assert quiet(below=1e9, timeout_s=30) >= 0  # every load is under this: no wait
    assert time.monotonic() - start < 1
    start = time.monotonic()
    quiet(below=0, timeout_s=1.5)  # no load is under 0: it gives up at the timeout
    assert 1.5 <= time.monotonic() - start < 5


def test_the_table_shows_the_load_a_measurement_started_at_beside_its_end() -> None:
    rows = markdown_table([Figure("a_s", 1.0, "s", 1.0, 1.0, 1, 2.44, 0.96),
                           Figure("b_s", 1.0, "s", 1.0, 1.0, 1, 2.44),
                           Figure("c", 5, "paths", 5, 5, 1, None, 0.96)]).splitlines()
    assert "| 1.0 → 2.4 |" in rows[2] and "| 2.4 |" in rows[3] and "→" not in rows[3]
    assert "| 1.0 |" in rows[4] and "→" not in rows[4]  # a count taken without a load of its own


def test_synthetic_corridors_are_seeded_and_look_like_real_ones() -> None:
    from bench.corridors import VERTICES, synthetic_corridors
    from geo.layers import SCHEMA, load_layers

    first, again = synthetic_corridors(40, seed=7), synthetic_corridors(40, seed=7)
    assert first.geometry.geom_equals(again.geometry).all()
    assert set(load_layers().columns) == set(first.columns) and set(SCHEMA) <= set(first.columns)
    assert first["id"].is_unique
    counts = shapely.get_num_coordinates(first.geometry.values)
    assert abs(counts - VERTICES).max() <= 2
    assert (first["partner_provinces"].map(len) == 1).all()
    assert not (first["partner_provinces"].map(lambda p: p[0]) == "内蒙古自治区").any()


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_readme_table_is_replaced_between_its_markers_only(tmp_path: Path) -> None:
    from bench.harness import update_readme
    from bench.report import README_END, README_START

    readme = tmp_path / "README.md"
    readme.write_text(f"# Bench\nhow to run\n{README_START}\nold table\n{README_END}\n## The bars\nnotes\n", "utf-8")
    update_readme(readme, "## Results\n\n| new | table |\n", start=README_START, end=README_END)
    text = readme.read_text("utf-8")
    assert "old table" not in text and "| new | table |" in text
    assert text.startswith("# Bench\nhow to run\n") and text.endswith("## The bars\nnotes\n")
    readme.write_text("no markers", "utf-8")
    with pytest.raises(ValueError, match="markers"):
        update_readme(readme, "x", start=README_START, end=README_END)


@pytest.mark.slow
@pytest.mark.browser
def test_load_harness_renders_every_page_and_reads_the_server(tmp_path: Path) -> None:
    """A small load (4 websocket sessions, 1 browser): every page renders, RSS and CPU are read."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make system-deps installs it)")
    from bench.harness import update_readme
    from bench.load import SECTION_END, SECTION_START, run_load

    run = run_load(sessions=4, browsers=1)
    assert run.failures == [] and run.rendered == run.clients == 5
    assert len(run.ws_seconds) == 4 and len(run.browser_seconds) == 1
    assert run.idle_rss > 50 * 2**20 and run.peak_rss >= run.idle_rss and run.cpu_s > 0
    assert all(size > 10_000 for size in run.ws_bytes)  # the map travelled in every session
    readme = tmp_path / "README.md"
    readme.write_text("# Bench\n\n<!-- results:start -->table<!-- results:end -->\n", encoding="utf-8")
    for _ in range(2):  # written once, then replaced in place; the results table is left alone
        update_readme(readme, run.markdown(), start=SECTION_START, end=SECTION_END, append=True)
    text = readme.read_text(encoding="utf-8")
    assert text.count(SECTION_START) == 1 and "<!-- results:start -->table<!-- results:end -->" in text
    assert "5 of 5" in text
