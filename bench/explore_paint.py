"""explore()'s map painted in the same browser as ours: its HTML opened from a local file.

``GeoDataFrame.explore(popup=True)`` writes a page that loads Leaflet, jQuery, Bootstrap and Font
Awesome from CDNs, which this machine cannot reach. The browser is given the same Leaflet and
jQuery from the XStatic packages ours uses, and an empty answer for the styles and plugins a
map of lines does not need, so explore()'s page paints offline as it would online with a warm
CDN. Painted means every feature's SVG path is in the page.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from bench.harness import browser_session
from bench.measure import Figure, figure
from bench.paint import PAINT_TIMEOUT_S, PaintError, Traffic
from geo.webmap import assets

_LOCAL = {"leaflet.js": ("leaflet", "leaflet.js", "text/javascript"),
          "leaflet.css": ("leaflet", "leaflet.css", "text/css"),
          "jquery": ("jquery", "jquery.min.js", "text/javascript")}
_COUNT_JS = "() => document.querySelectorAll('path.leaflet-interactive').length"
#: In the page from its start: at each animation frame, count the paths; once all are there, the
#: next frame's time (they have been drawn) is the paint (``__drawnAt``, epoch ms): the same two
#: frames the map frame waits before it takes its own paint time.
_WATCH_JS = """(() => { const want = %d; window.__drawnAt = 0;
  const check = () => { if (document.querySelectorAll('path.leaflet-interactive').length >= want) {
    requestAnimationFrame(() => { window.__drawnAt = performance.timeOrigin + performance.now(); }); }
    else requestAnimationFrame(check); };
  requestAnimationFrame(check); })();"""


def explore_paint_figures(label: str, gdf: gpd.GeoDataFrame, *, runs: int) -> list[Figure]:
    """``<label>_explore_s``: seconds from opening explore()'s HTML file until every feature is drawn;
    the HTML's bytes and the JS heap after the paint."""
    expected = explore_paths(gdf)
    with tempfile.TemporaryDirectory(prefix="bench-explore-") as folder:
        page_file = Path(folder) / "explore.html"
        page_file.write_text(str(gdf.explore(popup=True).get_root().render()), "utf-8")
        size = page_file.stat().st_size
        with browser_session() as browser:
            _open(browser, page_file, expected)  # warm-up: the browser's own start
            results = [_open(browser, page_file, expected) for _ in range(runs)]
    return [figure(f"{label}_explore_s", [r[0] for r in results], "s"),
            figure(f"{label}_explore_heap_bytes", [r[1] for r in results], "bytes", digits=0),
            Figure(f"{label}_explore_html_bytes", size, "bytes", size, size, 1)]


def explore_paths(gdf: gpd.GeoDataFrame) -> int:
    """How many SVG paths explore() draws: one per line, one circle per point."""
    total = 0
    for geom in gdf.geometry:
        if geom is None or geom.is_empty:
            continue
        total += len(shapely.get_parts(geom)) if geom.geom_type == "MultiPoint" else 1
    return total


def _open(browser: Any, page_file: Path, expected: int) -> tuple[float, int]:
    """Seconds from the navigation's start until every path was drawn, by the page's own clock
    (as ours is measured), and the JS heap then."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", local_leaflet_route)
    context.add_init_script(_WATCH_JS % expected)
    try:
        page = context.new_page()
        meter = Traffic(page)
        start = time.perf_counter()
        page.goto(page_file.as_uri(), wait_until="commit")
        deadline = start + PAINT_TIMEOUT_S
        while time.perf_counter() < deadline:
            drawn_at, origin = page.evaluate("() => [window.__drawnAt || 0, performance.timeOrigin]")
            if drawn_at:
                return (float(drawn_at) - float(origin)) / 1000, meter.heap()
            time.sleep(0.02)
        raise PaintError(f"explore(): {page.evaluate(_COUNT_JS)} of {expected} paths after {PAINT_TIMEOUT_S:.0f} s")
    finally:
        context.close()


def local_leaflet_route(route: Any) -> None:
    url = route.request.url
    if url.startswith("file:"):
        route.continue_()
        return
    name = url.rsplit("/", 1)[-1].split("?")[0]
    for key, (package, source, mime) in _LOCAL.items():
        if name == key or (key == "jquery" and name.startswith("jquery") and name.endswith(".js")):
            body = assets.asset_source(assets.Asset(package, source, "")).read_bytes()
            route.fulfill(status=200, body=body, content_type=mime)
            return
    mime = "text/css" if name.endswith(".css") else "text/javascript" if name.endswith(".js") else "text/plain"
    route.fulfill(status=200, body=b"", content_type=mime)  # styles and plugins a map of lines does not use
