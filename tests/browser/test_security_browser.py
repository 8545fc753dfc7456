"""Nobody acts as an editor but the editor: pages of another origin on the same host (the same
*site*, so the browser sends them the ``SameSite=Strict`` cookie) get an anonymous page, cannot
frame ours, and cannot make our frame claim or end the session; on SQLite and PostgreSQL.

The other origin is a server of the test's own on another port of 127.0.0.1. Its page is
Streamlit's own frontend, served from there, whose websocket goes to the app, as an outside
probe did it; its other page frames the map frame and the app's page.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import streamlit
from fixtures import postgres_schema_url
from pages import map_frame, new_page, open_map

from bench.harness import app_server, free_port
from geo import i18n
from geo.store import open_store
from geo.store.auth import add_user

VICTIM, VICTIM_PASSWORD = "zhang", "energy bureau 2014"
ATTACKER, ATTACKER_PASSWORD = "liu", "another editor 2014"
SHORT_MS = 20_000


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The app on an empty store with the victim's and the attacker's accounts; its session key
    in a folder of the test's own, so the test can hold the attacker's own sign-in ticket."""
    var = tmp_path_factory.mktemp("var")
    with _database(request.param, var) as db_url:
        with open_store(db_url) as store:
            add_user(store, VICTIM, VICTIM_PASSWORD)
            add_user(store, ATTACKER, ATTACKER_PASSWORD)
        with app_server(env={"GEO_DATABASE_URL": db_url, "GEO_VAR_DIR": str(var)}) as url:
            yield {"url": url.rstrip("/"), "db": db_url, "var": str(var)}


@pytest.fixture(scope="module")
def other_port(app: dict[str, str]) -> Iterator[str]:
    """A site on another port of the same host; its address."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(app["url"]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_every_response_forbids_framing_sniffing_and_full_referrers(app):
    for path in ("/", "/nmg/frame"):
        with urllib.request.urlopen(app["url"] + path) as response:
            headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_page_on_another_port_runs_anonymous_and_writes_nothing(app, other_port, browser):
    victim = _signed_in_victim(browser, app["url"])
    try:
        with open_store(app["db"]) as store:
            before = store.history_all()
        page = victim.context.new_page()             # the victim, signed in, visits the other port
        page.goto(other_port + "/")
        sidebar = page.locator("[data-testid='stSidebar']")
        signed_in = sidebar.get_by_text("已登录")
        sign_in = sidebar.get_by_role("button", name="登录", exact=True)
        signed_in.or_(sign_in).first.wait_for(timeout=SHORT_MS * 3)
        assert signed_in.count() == 0, "the other port's page runs signed in as the victim"
        assert sign_in.count() == 1 and sidebar.get_by_role("button", name="保存").count() == 0
        sidebar.get_by_text(i18n.t("session_origin_refused", "zh")).wait_for()
        with open_store(app["db"]) as store:
            assert store.history_all() == before
        assert _session_cookie(victim) is not None, "the visit cost the victim the session"
    finally:
        victim.context.close()


def test_a_framing_page_cannot_render_our_pages_nor_claim_or_end_the_session(app, other_port, browser):
    victim = _signed_in_victim(browser, app["url"])
    try:
        cookie = _session_cookie(victim)
        page = victim.context.new_page()
        page.goto(other_port + "/frames")
        page.wait_for_timeout(2000)
        framed = [frame for frame in page.frames if frame != page.main_frame]
        assert len(framed) == 2 and not any(_rendered(frame) for frame in framed)
        _relay(page, app, op="claim")                 # the attacker's own ticket, then a sign-out
        _relay(page, app, op="end")
        assert _session_cookie(victim) == cookie
        _still_signed_in(victim, app["url"])
    finally:
        victim.context.close()


def test_the_frame_obeys_only_its_own_origin_where_framing_is_not_forbidden(app, other_port, browser):
    """An old browser that knows no ``frame-ancestors``: the frame itself ignores the framing page."""
    victim = _signed_in_victim(browser, app["url"])
    try:
        cookie = _session_cookie(victim)
        victim.context.route(f"{app['url']}/nmg/frame*", _without_framing_headers)
        page = victim.context.new_page()
        page.goto(other_port + "/frames")
        page.locator("#map").wait_for()
        framed = page.locator("#map").element_handle().content_frame()
        framed.wait_for_function("() => window.NMG && NMG.dataUrl", timeout=SHORT_MS)  # it did render
        _relay(page, app, op="claim")
        _relay(page, app, op="end")
        assert _session_cookie(victim) == cookie
        _still_signed_in(victim, app["url"])
    finally:
        victim.context.close()


# -- helpers --------------------------------------------------------------------------------------

@contextmanager
def _database(kind: str, var: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{var / 'status.sqlite3'}"
        return
    with contextmanager(postgres_schema_url)() as url:
        yield url


def _signed_in_victim(browser: Any, url: str) -> Any:
    page = new_page(browser)
    open_map(page, url)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_label("用户名").fill(VICTIM)
    sidebar.get_by_label("密码").fill(VICTIM_PASSWORD)
    sidebar.get_by_role("button", name="登录", exact=True).click()
    sidebar.get_by_text(f"已登录:{VICTIM}").wait_for()
    for _ in range(100):
        if _session_cookie(page) is not None:
            return page
        page.wait_for_timeout(100)
    raise AssertionError("the session cookie was never set")


def _session_cookie(page: Any) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "nmg_session"), None)


def _still_signed_in(victim: Any, url: str) -> None:
    again = victim.context.new_page()
    again.goto(url + "/")
    map_frame(again)
    again.locator("[data-testid='stSidebar']").get_by_text(f"已登录:{VICTIM}").wait_for(timeout=SHORT_MS * 3)
    again.close()


def _relay(page: Any, app: dict[str, str], *, op: str) -> None:
    """The framing page hands the map frame a session request, as the app's page would."""
    request: dict[str, Any] = {"id": f"forged-{op}", "op": op, "url": app["url"] + "/nmg/session"}
    if op == "claim":
        request["ticket"] = _attackers_ticket(app)
    page.evaluate("""(request) => document.getElementById('map').contentWindow.postMessage(
                       {isStreamlitMessage: true, type: 'streamlit:render', args: {session: request}}, '*')""",
                  request)
    page.wait_for_timeout(1500)                       # the frame's fetch, had it made one, is done


def _attackers_ticket(app: dict[str, str]) -> str:
    """A ticket for the attacker's own account, as the attacker's own sign-in hands the page one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEO_VAR_DIR", app["var"])
        from ui import session

        with open_store(app["db"]) as store:
            user, password_hash = store.user_credentials(ATTACKER)
        return session.ticket_for(user, password_hash)


def _rendered(frame: Any) -> bool:
    """Whether a frame shows our map or our page (a refused frame shows the browser's error page)."""
    try:
        return bool(frame.evaluate("() => !!(window.NMG || document.querySelector('[data-testid=stApp]'))"))
    except Exception:  # playwright's Error: a refused frame has no document we may read
        return False


def _without_framing_headers(route: Any) -> None:
    response = route.fetch()
    headers = {k: v for k, v in response.headers.items()
               if k.lower() not in ("content-security-policy", "x-frame-options")}
    route.fulfill(response=response, headers=headers)


def _handler(app_url: str) -> type[BaseHTTPRequestHandler]:
    """The other port's site: Streamlit's frontend, its websocket sent to the app (the only request
    that carries the cookie to it), the app's other files fetched for it; and a page framing ours."""
    static = Path(streamlit.__file__).parent / "static"
    socket = app_url.replace("http://", "ws://")
    rewrite = ("<script>(function () { var W = window.WebSocket; function S(u, p) {"
               f" return new W(String(u).replace(/^ws:\\/\\/[^/]+/, '{socket}'), p); }}"
               " S.prototype = W.prototype; S.CONNECTING = 0; S.OPEN = 1; S.CLOSING = 2; S.CLOSED = 3;"
               " window.WebSocket = S; })();</script>")
    pages = {
        "/": (static / "index.html").read_text("utf-8").replace("<head>", "<head>" + rewrite, 1),
        "/frames": f'<iframe id="map" src="{app_url}/nmg/frame" width="600" height="400"></iframe>'
                   f'<iframe id="page" src="{app_url}/" width="600" height="400"></iframe>',
    }
    types = {".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2", ".png": "image/png",
             ".svg": "image/svg+xml", ".json": "application/json"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            path = self.path.split("?")[0]
            if path in pages:
                self._send(pages[path].encode(), "text/html; charset=utf-8")
            elif path.startswith(("/_stcore/", "/nmg/", "/component/")):
                try:
                    with urllib.request.urlopen(app_url + self.path, timeout=30) as response:
                        self._send(response.read(), response.headers.get("Content-Type", ""))
                except OSError:
                    self.send_error(404)
            elif (static / path.lstrip("/")).is_file() and ".." not in path:
                file = static / path.lstrip("/")
                self._send(file.read_bytes(), types.get(file.suffix, "application/octet-stream"))
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler
