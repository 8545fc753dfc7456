"""A filter change in place: the app's own frame against streamlit-folium's ``feature_group_to_add``.

Both keep their map and update it when a select box changes; this measures the seconds from
choosing a sector until the map shows exactly its lines, and the websocket bytes of the change.
Ours is measured by ``bench.paint.filter_change_figures``; this module measures the
streamlit-folium page of ``bench/apps/stfolium_inplace.py`` (its Leaflet given to the browser
locally, as for explore(); see ``bench.explore_paint``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.explore_paint import local_leaflet_route
from bench.harness import browser_session, streamlit_server
from bench.measure import Figure, figure
from bench.paint import PAINT_TIMEOUT_S, Traffic, filter_sector
from geo.layers import load_layers
from geo.webmap import view as mapview

FRAME = "iframe[title='streamlit_folium.st_folium']"
_COUNT_JS = "() => document.querySelectorAll('path.leaflet-interactive').length"


def stfolium_filter_figures(label: str, layer_dir: Path, *, runs: int) -> list[Figure]:
    """``<label>_stfolium_filter_change_s`` and its websocket bytes (its lines are SVG paths;
    its points are marker images, not counted)."""
    projects = load_layers(layer_dir)
    sector = filter_sector(projects)
    every_line = len(mapview.drawable_lines(projects))
    sector_lines = len(mapview.drawable_lines(projects[projects["sector"] == sector]))
    seconds, received = [], []
    with streamlit_server("bench/apps/stfolium_inplace.py", "--layers", str(layer_dir)) as url, browser_session() as browser:
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else local_leaflet_route(r))
            try:
                page = context.new_page()
                meter = Traffic(page)
                page.goto(url)
                _wait_paths(page, lambda n: n >= every_line)
                page.wait_for_timeout(300)
                ws_before = meter.ws_bytes
                page.locator("[data-testid='stSelectbox']").click()
                option = page.get_by_role("option", name=sector, exact=True)
                option.wait_for()
                start = time.perf_counter()
                option.click()
                _wait_paths(page, lambda n: n == sector_lines)
                seconds.append(time.perf_counter() - start)
                received.append(meter.ws_bytes - ws_before)
            finally:
                context.close()
    return [figure(f"{label}_stfolium_filter_change_s", seconds[1:], "s"),
            figure(f"{label}_stfolium_filter_change_ws_bytes", received[1:], "bytes", digits=0)]


def _wait_paths(page: Any, done: Any) -> None:
    deadline = time.perf_counter() + PAINT_TIMEOUT_S
    while time.perf_counter() < deadline:
        counts = []
        for frame in page.frames:
            try:
                counts.append(int(frame.evaluate(_COUNT_JS)))
            except Exception:  # noqa: BLE001, S112 - a frame navigating away
                continue
        if counts and done(max(counts)):
            return
        time.sleep(0.01)
    raise TimeoutError("streamlit-folium never drew the selection")
