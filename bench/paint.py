"""Browser figures: the app started as the README starts it, headless Chromium, time to every corridor.

The app runs as ``make run`` runs it: ``python -m geo.webmap.assets``, then in a subprocess on a free
port ``python -m streamlit run app.py --server.port N --server.headless true -- --layers DIR``,
with its local state in a temporary folder. Each run opens the page in a fresh browser context
(a new visitor: a new Streamlit session, a cold browser cache) and measures from the navigation
until the map's frame has painted as many corridors (``NMG.drawnLineIds()``, on its canvas) as
the layers have drawable lines. A first, unmeasured visit warms
the server's caches, as any earlier visitor would have. ``<label>_revisit_s`` is the same
visitor opening the page again (the browser's cache warm, a new Streamlit session).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import HarnessError, app_server, browser_session
from bench.measure import Figure, figure
from geo.layers import load_layers
from geo.webmap import view as mapview

#: Longest wait for one page to draw every corridor (seconds).
PAINT_TIMEOUT_S = 120.0
#: The corridors a frame has on its canvas, when (epoch ms) its last update was on screen, and when
#: the frame's own document started loading.
_COUNT_JS = ("() => window.NMG && NMG.state && NMG.state.painted > 0"
             " ? [NMG.drawnLineIds().length, NMG.state.paintedAt, performance.timeOrigin] : [0, 0, 0]")
#: Set on the page before a filter change: when (epoch ms) the user's pointer went down.
_INPUT_JS = ("() => { window.__nmgInputAt = 0; document.addEventListener('pointerdown', "
             "(e) => { window.__nmgInputAt = performance.timeOrigin + e.timeStamp; }, {capture: true, once: true}); }")


class PaintError(HarnessError):
    """A page never drew every corridor."""


def paint_figures(label: str, layer_dir: Path, *, runs: int) -> list[Figure]:
    """``<label>_s``: seconds from navigation to every corridor drawn, for the layers in ``layer_dir``;
    what the first visit received over the websocket and over HTTP, the JS heap after the paint,
    and the same visitor's second visit (its browser cache warm)."""
    expected = len(mapview.drawable_lines(load_layers(layer_dir)))
    with app_server(layer_dir) as url, browser_session() as browser:
        visit(browser, url, expected)  # warm-up: as any earlier visitor would have
        visits = [visit(browser, url, expected) for _ in range(runs)]
    return [figure(f"{label}_s", [v.first.seconds for v in visits], "s"),
            figure(f"{label}_wall_s", [v.first.wall_s for v in visits], "s"),
            figure(f"{label}_frame_start_s", [v.first.frame_start_s for v in visits], "s"),
            figure(f"{label}_revisit_s", [v.again.seconds for v in visits if v.again], "s"),
            figure(f"{label}_ws_bytes", [v.ws_bytes for v in visits], "bytes", digits=0),
            figure(f"{label}_http_bytes", [v.http_bytes for v in visits], "bytes", digits=0),
            figure(f"{label}_revisit_http_bytes", [v.again_http_bytes for v in visits], "bytes", digits=0),
            figure(f"{label}_heap_bytes", [v.heap_bytes for v in visits], "bytes", digits=0),
            Figure(f"{label}_lines", expected, "paths", expected, expected, 1)]


def first_visitor_figures(label: str, layer_dir: Path, *, runs: int) -> list[Figure]:
    """``<label>_first_visitor_s``: the first visitor of a freshly started server (as soon as it answers)."""
    expected = len(mapview.drawable_lines(load_layers(layer_dir)))
    seconds = []
    with browser_session() as browser:
        for _ in range(runs):
            with app_server(layer_dir) as url:
                seconds.append(visit(browser, url, expected, again=False).first.seconds)
    return [figure(f"{label}_first_visitor_s", seconds, "s")]


def filter_change_figures(label: str, layer_dir: Path, *, runs: int) -> list[Figure]:
    """``<label>_filter_change_s``: from choosing a sector in the sidebar until the map shows exactly
    that sector's projects (the frame updated in place); the websocket bytes of the change."""
    from geo import filters, i18n

    projects = load_layers(layer_dir)
    sector = filter_sector(projects)
    wanted = set(filters.filter_projects(projects, filters.Filters(sectors=(sector,)))["id"])
    expected = len(mapview.drawable_lines(projects))
    seconds, walls, received = [], [], []
    with app_server(layer_dir) as url, browser_session() as browser:
        visit(browser, url, expected, again=False)
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            try:
                page = context.new_page()
                meter = Traffic(page)
                paint(page, url, expected)
                frame = map_frame_of(page)
                settle(page)
                before, ws_before = frame.evaluate("() => NMG.state.painted"), meter.ws_bytes
                box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
                    has_text=i18n.t("sector", "zh"))
                box.click()
                option = page.get_by_role("option", name=i18n.sector_label(sector, "zh"))
                option.wait_for()
                page.evaluate(_INPUT_JS)
                start = time.perf_counter()
                option.click()
                frame.wait_for_function("([n, size]) => NMG.state.painted > n && NMG.shownIds().length === size",
                                        arg=[before, len(wanted)], timeout=PAINT_TIMEOUT_S * 1000, polling=10)
                walls.append(time.perf_counter() - start)
                # The browser's clocks: the pointer going down on the option → the frame's paint.
                pressed, painted_at = page.evaluate("() => window.__nmgInputAt"), frame.evaluate("() => NMG.state.paintedAt")
                if not pressed:
                    raise PaintError("the sector's option was chosen without a pointer event")
                seconds.append((float(painted_at) - float(pressed)) / 1000)
                received.append(meter.ws_bytes - ws_before)
            finally:
                context.close()
    # The first change of a server loads the sidebar's option list once; the figure is the rest.
    return [figure(f"{label}_filter_change_s", seconds[1:], "s"),
            figure(f"{label}_filter_change_wall_s", walls[1:], "s"),
            figure(f"{label}_filter_change_ws_bytes", received[1:], "bytes", digits=0)]


def settle(page: Any) -> None:
    """Wait until the page has finished its runs: the table, which follows the map's first paint,
    is shown and no script is running; then a moment more, as a user would take."""
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=PAINT_TIMEOUT_S * 1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=PAINT_TIMEOUT_S * 1000)
    page.wait_for_timeout(300)


@dataclass(frozen=True)
class Painted:
    """One page load: seconds from the navigation until every corridor was on screen, by the
    browser's own clocks (the page's navigation start, the frame's paint), and by this process's
    clock around the navigation and the polling (``wall_s``: a few tens of ms more);
    ``frame_start_s``: from the navigation until the page (Streamlit's) created the map's frame."""

    seconds: float
    wall_s: float
    frame_start_s: float


@dataclass(frozen=True)
class Visit:
    """What one visitor's first and second page load took and received."""

    first: Painted
    again: Painted | None  # the same visitor's second load, if asked for
    ws_bytes: int
    http_bytes: int
    again_http_bytes: int
    heap_bytes: int


class Traffic:
    """Bytes a page received: over the websocket, and over HTTP as sent on the wire (compressed,
    nothing for what the browser cache served), counted by Chromium's DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.ws_bytes = 0
        self.http_bytes = 0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.loadingFinished", self._finished)
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _finished(self, event: dict[str, Any]) -> None:
        self.http_bytes += int(event.get("encodedDataLength", 0))

    def _frame(self, payload: str | bytes) -> None:
        self.ws_bytes += len(payload)

    def heap(self) -> int:
        """Bytes of JavaScript heap in use by the page and its same-site frames."""
        return int(self.cdp.send("Runtime.getHeapUsage")["usedSize"])


def visit(browser: Any, url: str, expected: int, *, again: bool = True) -> Visit:
    """A new visitor (fresh context, cold cache): paint, traffic and heap; then, if ``again``, the
    same visitor once more (a new Streamlit session, the browser's cache warm)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        meter = Traffic(page)
        first = paint(page, url, expected)
        ws_bytes, http_bytes, heap = meter.ws_bytes, meter.http_bytes, meter.heap()
        if not again:
            return Visit(first, None, ws_bytes, http_bytes, 0, heap)
        second = paint(page, url, expected)
        return Visit(first, second, ws_bytes, http_bytes, meter.http_bytes - http_bytes, heap)
    finally:
        context.close()


def map_frame_of(page: Any) -> Any:
    """The frame that holds the map."""
    for frame in page.frames:
        try:
            if frame.evaluate("() => !!(window.NMG && NMG.state && NMG.state.map)"):
                return frame
        except Exception:  # noqa: BLE001, S112 - a frame navigating away: look at the next
            continue
    raise PaintError("no map frame in the page")


def paint(page: Any, url: str, expected: int) -> Painted:
    """Navigate and wait until a frame of the page has every corridor on its canvas.

    The figure is the browser's: from the page's navigation start (``performance.timeOrigin``)
    to the frame's paint of that update (``NMG.state.paintedAt``, taken two animation frames after
    the update, once it has been drawn); this process only polls for it.
    """
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    deadline = start + PAINT_TIMEOUT_S
    while time.perf_counter() < deadline:
        drawn, painted_at, frame_origin = _drawn(page)
        if drawn >= expected:
            wall = time.perf_counter() - start
            origin = float(page.evaluate("() => performance.timeOrigin"))
            return Painted((painted_at - origin) / 1000, wall, (frame_origin - origin) / 1000)
        time.sleep(0.02)
    raise PaintError(f"{url}: {_drawn(page)[0]} of {expected} corridors drawn after {PAINT_TIMEOUT_S:.0f} s")


def _drawn(page: object) -> tuple[int, float, float]:
    """The most corridors any frame of the page has painted (the map lives in a component frame),
    when (epoch ms) that frame's last update was on screen, and when its document started."""
    best = (0, 0.0, 0.0)
    for frame in page.frames:  # type: ignore[attr-defined]
        try:
            count, painted_at, frame_origin = frame.evaluate(_COUNT_JS)
        except Exception:  # noqa: BLE001, S112 - a frame navigating away or detached: look again next time
            continue
        if int(count) > best[0]:
            best = (int(count), float(painted_at), float(frame_origin))
    return best


def filter_sector(projects: Any) -> str:
    """The sector a filter change picks: the one with the most corridors short of all of them."""
    lines = mapview.drawable_lines(projects)["sector"].value_counts()
    partial = [str(s) for s, n in lines.items() if n < len(mapview.drawable_lines(projects))]
    return partial[0] if partial else str(lines.index[0])
