"""Driving the real app in headless Chromium: start it, open the map, click, measure, record.

Shared by the browser tests. Every outside request is aborted and recorded (the app must work
with no internet); screenshots go to ``test-artifacts/`` (git-ignored; CI keeps them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from geo import settings

ARTIFACTS = settings.ROOT / "test-artifacts"
FRAME = "iframe[title='ui.mapframe.nmg_map']"
TIMEOUT_MS = 90_000
SIZES = {"wide": (1400, 900), "laptop": (1280, 720), "phone": (390, 844)}
LOCAL = ("127.0.0.1", "localhost")


@dataclass
class Traffic:
    """What the page asked for that it must not: outside hosts, and local requests that failed."""

    outside: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def new_page(browser: Any, *, width: int = 1400, height: int = 900, locale: str = "zh-CN",
             context: Any = None) -> Any:
    """A page in a new browser context (a new visitor) unless ``context`` is given; outside
    requests are aborted and listed in ``page.traffic``."""
    if context is None:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        context.traffic = Traffic()

        def route(r: Any) -> None:
            host = urlparse(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host in LOCAL:
                r.continue_()
            else:
                context.traffic.outside.append((r.request.resource_type, r.request.url))
                r.abort()

        context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.traffic = context.traffic
    page.on("requestfailed", lambda r: page.traffic.failed.append(f"{r.url} ({r.failure})")
            if urlparse(r.url).hostname in LOCAL else None)
    page.on("response", lambda r: page.traffic.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
    return page


def open_map(page: Any, server: str, query: str = "") -> Any:
    """Navigate and wait until the map frame has drawn; the frame (``playwright.Frame``)."""
    page.goto(server + "/" + query)
    page.locator("h1").first.wait_for()
    return map_frame(page)


def map_frame(page: Any) -> Any:
    """The map's frame once its first update is painted."""
    page.locator(FRAME).wait_for(state="attached")
    frame = page.locator(FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.NMG && NMG.state && NMG.state.painted > 0", timeout=TIMEOUT_MS)
    return frame


def settled(page: Any) -> None:
    """Wait until the page's run has finished (no running indicator, nothing drawn stale)."""
    page.wait_for_timeout(150)  # a run asked for by the last action has started by now
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')"
                           " && !document.querySelector('[data-stale=true]')", timeout=TIMEOUT_MS)


def painted(frame: Any) -> int:
    return int(frame.evaluate("() => NMG.state.painted"))


def wait_repainted(frame: Any, after: int) -> None:
    """Wait until the frame has painted an update newer than ``after``."""
    frame.wait_for_function("(n) => NMG.state.painted > n", arg=after, timeout=TIMEOUT_MS)


def shown_ids(frame: Any) -> set[str]:
    return set(frame.evaluate("() => NMG.shownIds()"))


def drawn_line_ids(frame: Any) -> set[str]:
    return set(frame.evaluate("() => NMG.drawnLineIds()"))


def click_project(page: Any, frame: Any, project_id: str) -> None:
    """A real mouse click on the project where nothing else covers it, once the map is still."""
    seen = previous = None
    for _ in range(50):  # the point and the frame where they were 100 ms ago
        seen = (_visible_point(frame, project_id), page.locator(FRAME).bounding_box())
        if seen == previous and seen[0] is not None:
            break
        previous = seen
        page.wait_for_timeout(100)
    point, box = seen
    assert point, f"no visible point of {project_id} to click"
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def open_popup(page: Any, frame: Any, project_id: str, *, attempts: int = 3) -> Any:
    """Click the project until its popup shows (as a user would click again); the popup."""
    popup = frame.locator(".leaflet-popup-content .nmg-popup")
    for attempt in range(attempts):
        click_project(page, frame, project_id)
        try:
            frame.wait_for_function("(id) => NMG.state.popupFeat && NMG.state.popupFeat.p.id === id",
                                    arg=project_id, timeout=15_000 if attempt < attempts - 1 else TIMEOUT_MS)
            popup.wait_for()
            return popup
        except Exception:  # playwright's TimeoutError; the last attempt raises it
            if attempt == attempts - 1:
                raise
    return popup


def _visible_point(frame: Any, project_id: str) -> list[float] | None:
    return frame.evaluate(
        """(id) => {
             const S = NMG.state, f = S.feats.find(x => x.p.id === id);
             if (!f || !f.on) return null;
             const map = S.map, size = map.getSize();
             let points;
             if (f.line) {
               f.layers[0].bringToFront();
               const pts = f.layers[0].getLatLngs().flat(3);
               const mid = pts.length / 2;
               points = pts.map((p, i) => [p, Math.abs(i - mid)]).sort((a, b) => a[1] - b[1]).map(x => x[0]);
             } else {
               points = f.layers.map(m => m.getLatLng());
             }
             for (const ll of points) {
               const p = map.latLngToContainerPoint(ll);
               if (p.x < 5 || p.y < 5 || p.x > size.x - 5 || p.y > size.y - 5) continue;
               const hit = document.elementFromPoint(p.x, p.y);
               if (f.line && hit && hit.tagName === "CANVAS" && hit.parentElement.classList.contains("leaflet-overlay-pane")) {
                 return [p.x, p.y];
               }
               if (!f.line) {
                 const icon = f.layers.map(m => m._icon).find(i => i && (i === hit || i.contains(hit)));
                 if (icon) return [p.x, p.y];
               }
             }
             return null;
           }""", project_id)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let Leaflet's fade animations settle for a readable picture
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def outside_links(page: Any) -> list[str]:
    """Every link in the page and its frames that leads to another host."""
    found = []
    for frame in page.frames:
        hrefs = frame.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        found += [h for h in hrefs if urlparse(h).hostname not in (*LOCAL, None, "")
                  and not h.startswith(("javascript:", "mailto:"))]
    return found


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
