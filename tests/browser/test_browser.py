"""The real app in headless Chromium with no way out: the map draws from the app's own files,
updates in place, keeps the user's view, and fits the screen.

Starts the app as deployed (``bench.harness.app_server``) on a free port with a throw-away status
store holding one edited status, and aborts every request to another host. Feature ids,
counts and names are read from the layers, never written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import shapely
from pages import (
    FRAME,
    drawn_line_ids,
    new_page,
    open_map,
    open_popup,
    outside_links,
    painted,
    screenshot,
    settled,
    shown_ids,
    wait_repainted,
)

from bench.harness import app_server
from geo import filters, i18n, settings, taxonomy
from geo.layers import load_layers
from geo.webmap import view as mapview

XSS = "<img src=x onerror=alert(1)>"



@pytest.fixture(scope="module")
def projects():
    return load_layers(settings.DEFAULT_LAYERS)


@pytest.fixture(scope="module")
def edited(projects) -> str:
    """The project whose status the store changes: a corridor with a partner province."""
    lines = mapview.drawable_lines(projects)
    return str(lines[lines["partner_provinces"].map(len) > 0].iloc[0]["id"])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, projects, edited) -> Iterator[str]:
    """The app as deployed (``make run``'s start), on a free port, until the module's tests end."""
    db_url = _edited_store(tmp_path_factory.mktemp("store"), projects, edited)
    with app_server(env={"GEO_DATABASE_URL": db_url}) as url:
        yield url.rstrip("/")


@pytest.fixture()
def page(browser):  # noqa: F811
    page = new_page(browser)
    yield page
    page.context.close()


def _row(projects, project_id: str):
    return projects.set_index("id").loc[project_id]


def _partner_of(projects, project_id: str) -> str:
    return str(_row(projects, project_id)["partner_provinces"][0])


def test_default_view_draws_every_corridor_offline(server, page, projects):
    frame = open_map(page, server)
    expected = set(mapview.drawable_lines(projects)["id"])
    assert drawn_line_ids(frame) == expected and len(expected) > 0
    assert frame.evaluate("() => document.querySelectorAll('path.nmg-line').length") == 0  # canvas, not SVG
    assert frame.locator(".nmg-legend").is_visible()
    assert frame.locator(".leaflet-control-layers-overlays label").count() == projects["sector"].nunique()
    _assert_drawn_where_the_layer_says(frame, projects)
    screenshot(page, "map-default-zh.png")
    assert page.traffic.outside == [], "the page reached outside the app"
    assert page.traffic.failed == []
    _assert_files_local_and_cacheable(page, frame)


def test_every_corridor_is_dashed_and_ended_as_the_legend_shows_its_status(server, page):
    frame = open_map(page, server)
    drawn, samples = frame.evaluate("""() => [
      NMG.state.feats.filter((f) => f.line && NMG.state.map.hasLayer(f.layers[0]))
        .map((f) => [f.layers[0].options.dashArray || "", f.layers[0].options.lineCap]),
      [...document.querySelectorAll(".nmg-legend line")]
        .map((l) => [l.getAttribute("stroke-dasharray") || "", l.getAttribute("stroke-linecap")])]""")
    legend = dict(map(tuple, samples))
    assert drawn and {dash for dash, _ in drawn} <= set(legend)  # each pattern on the map is in the legend
    assert all(cap == legend[dash] for dash, cap in drawn)
    # Dashes are drawn as given (square ends); solid lines keep round ends.
    assert all(cap == ("butt" if dash else "round") for dash, cap in [*drawn, *samples])


def test_partner_in_the_url_leaves_exactly_its_projects(server, page, projects, edited):
    partner = _partner_of(projects, edited)
    frame = open_map(page, server, "?partner=" + quote(partner))
    selection = filters.filter_projects(projects, filters.Filters(partners=(partner,)))
    assert shown_ids(frame) == set(selection["id"]) and edited in shown_ids(frame)
    assert drawn_line_ids(frame) == set(mapview.drawable_lines(selection)["id"])
    assert page.get_by_text(f"符合条件的项目:{len(selection)} 项").is_visible()
    assert page.traffic.outside == [] and page.traffic.failed == []


def test_clicking_a_corridor_shows_its_popup_and_selects_it(server, page, projects, edited):
    frame = open_map(page, server, "?partner=" + quote(_partner_of(projects, edited)))
    row = _row(projects, edited)
    text = open_popup(page, frame, edited).inner_text()
    assert row["lead_agencies"][0] in text and row["name_zh"] in text and row["name_en"] in text
    assert "定位精度" in text and "规划条款" in text and row["clause"] in text
    page.get_by_text(f"已选中项目:{row['name_zh']}").wait_for()  # the click reached Python
    screenshot(page, "map-popup-zh.png")
    assert page.traffic.outside == [] and page.traffic.failed == []


def test_panning_and_zooming_send_nothing_to_python(server, page, projects, edited):
    frame = open_map(page, server, "?partner=" + quote(_partner_of(projects, edited)))
    frame.evaluate("() => { const send = NMG.setValue; window.sent = []; NMG.setValue = (v) => { sent.push(v); send(v); }; }")
    box = page.locator(FRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 120, box["y"] + box["height"] / 2 + 60, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-in").click()
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(1000)
    assert frame.evaluate("() => window.sent.length") == 0
    # Bring the project back into view (two zooms and a drag may have carried it off the map's
    # edge, depending on the window); a move made by the map itself sends nothing either.
    frame.evaluate("""(id) => { const f = NMG.state.feats.find(x => x.p.id === id);
                                NMG.state.map.fitBounds(f.layers[0].getBounds(), {animate: false}); }""", edited)
    page.wait_for_timeout(300)
    assert frame.evaluate("() => window.sent.length") == 0
    open_popup(page, frame, edited)
    sent = frame.evaluate("() => window.sent")
    assert sent and sent[-1]["id"] == edited and set(sent[-1]) == {"ready", "id", "n"}  # the one value sent back


def test_a_recorded_status_shows_when_it_took_effect_who_recorded_it_and_the_plan_wording(server, page, projects,
                                                                                          edited):
    frame = open_map(page, server, "?partner=" + quote(_partner_of(projects, edited)))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    popup = open_popup(page, frame, edited)
    text = popup.inner_text()
    assert XSS in text and popup.locator("img").count() == 0 and dialogs == []  # the note, as characters
    assert "生效日期\t2014-11-03" in text and "王工,记录于" in text and "在建" in text
    wording = _row(projects, edited)["status_source"]
    if wording:
        assert f"规划表述\t{wording}" in text
    screenshot(page, "map-popup-store-note.png")


def test_english_popup_labels_everything_in_english(server, page, projects, edited):
    frame = open_map(page, server, "?lang=en&partner=" + quote(_partner_of(projects, edited)))
    assert page.locator("h1").first.inner_text() == i18n.t("title", "en", year=2014)
    assert frame.locator(".nmg-legend summary").inner_text() == "Legend"
    text = open_popup(page, frame, edited).inner_text()
    row = _row(projects, edited)
    assert row["lead_agencies_en"][0] in text and "Lead agency" in text and "Effective\t2014-11-03" in text
    assert "Plan wording" in text and "Under construction" in text
    assert not any(i18n.t(key, "zh") in text for key in ("pp_status", "pp_plan_wording", "pp_effective", "pp_lead"))
    screenshot(page, "map-popup-en.png")
    assert page.traffic.outside == [] and page.traffic.failed == []


def test_a_filter_change_updates_the_map_in_place_and_keeps_the_view(server, page, projects):
    frame = open_map(page, server)
    frame.evaluate("() => { window.sameFrame = 'still here'; NMG.state.map.setView([42.5, 113.5], 7.5, {animate: false}); }")
    sector = projects["sector"].value_counts().index[0]
    settled(page)
    before = painted(frame)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").filter(has_text=i18n.t("sector", "zh")).click()
    page.get_by_role("option", name=i18n.sector_label(sector, "zh")).click()
    page.keyboard.press("Escape")
    wait_repainted(frame, before)
    expected = set(filters.filter_projects(projects, filters.Filters(sectors=(sector,)))["id"])
    assert frame.evaluate("() => window.sameFrame") == "still here"  # not reloaded: no blank frame
    assert shown_ids(frame) == expected
    center, zoom = frame.evaluate("() => { const m = NMG.state.map, c = m.getCenter(); return [[c.lat, c.lng], m.getZoom()]; }")
    assert zoom == 7.5 and abs(center[0] - 42.5) < 1e-6 and abs(center[1] - 113.5) < 1e-6
    assert f"sector={sector}" in page.url
    frame.locator(".nmg-fit a").click()  # the user asks to fit: the view moves to the selection
    frame.wait_for_function("() => NMG.state.map.getZoom() !== 7.5")
    inside = frame.evaluate("""() => { const b = NMG.state.map.getBounds();
        return NMG.state.feats.filter(f => f.on).every(f => b.contains(f.bounds)); }""")
    assert inside
    assert frame.evaluate("() => window.sameFrame") == "still here"


def test_basemap_that_cannot_load_says_so_on_the_map(server, page):
    frame = open_map(page, server)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stSelectbox']").filter(has_text=i18n.t("basemap", "zh")).click()
    page.get_by_role("option", name=i18n.t("basemap_osm", "zh")).click()
    notice = frame.locator(".nmg-notice")
    notice.wait_for(state="visible", timeout=5_000)  # within 5 s of choosing it
    assert notice.inner_text() == i18n.t("map_tiles_failed", "zh")
    assert any("openstreetmap" in url for _, url in page.traffic.outside)  # tried, and was stopped
    # the provinces are filled again, as without a basemap, rather than left over an empty background
    frame.wait_for_function("() => NMG.state.provinces.every(p => p.layer.options.fillOpacity > 0.5)")
    screenshot(page, "map-basemap-offline.png")


LINK = "[请点此重新登录](https://evil.example.com/login)"
IMAGE = "![x](http://evil.example.com/b.png)"


def test_links_and_images_in_every_url_parameter_stay_text(server, page):
    params = "&".join(f"{key}={quote(value)}" for key in filters.PARAM_KEYS for value in (LINK, IMAGE)
                      for _ in range(3))
    frame = open_map(page, server, "?" + params + "&sector=" + "&sector=".join(f"bad{i}" for i in range(40)))
    page.wait_for_timeout(1000)  # an image, if one were made, would have been asked for by now
    assert outside_links(page) == [], "a URL value became a link"
    assert page.traffic.outside == [], "a URL value made the browser fetch something"
    notices = page.locator(".st-key-ignored_notice")
    assert notices.count() == 1  # one box, however many values
    listed = notices.locator("[data-testid='stText']").inner_text().splitlines()
    assert len(listed) == 10 and all("=" in line for line in listed)
    assert any(LINK in line for line in listed) and any(IMAGE in line for line in listed)
    assert notices.locator("a, img").count() == 0
    assert frame.evaluate("() => document.querySelectorAll('a[href*=evil], img[src*=evil]').length") == 0
    screenshot(page, "url-payloads.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["wide", "laptop", "phone"])
def test_layout_fits_the_screen_and_nothing_covers_inner_mongolia(server, browser, size, lang):  # noqa: F811
    from pages import SIZES

    width, height = SIZES[size]
    page = new_page(browser, width=width, height=height)
    try:
        frame = open_map(page, server, "?lang=en" if lang == "en" else "")
        page.wait_for_timeout(800)  # the frame has taken its height and fitted its first view
        frame.wait_for_function("() => !NMG.state.map._animatingZoom")
        layout = _layout(page, frame)
        screenshot(page, f"layout-{width}x{height}-{lang}.png")
        home = layout["home"]
        assert home["left"] >= layout["map"]["left"] and home["right"] <= layout["map"]["right"]
        assert home["top"] >= layout["map"]["top"] and home["bottom"] <= layout["map"]["bottom"]
        for name, rect in layout["controls"]:
            assert not _overlap(home, rect), f"{name} covers Inner Mongolia at {width}x{height} ({lang})"
        assert not _overlap(home, layout["sidebar"]), "the sidebar covers Inner Mongolia"
        assert layout["map"]["bottom"] <= height, "the map is taller than the screen"
        assert layout["map"]["height"] >= min(height * 0.6, height - 200)  # fills most of the screen
        assert layout["labels_overlapping"] == []
        assert layout["label_pane_above_markers"]
        if size == "phone":
            assert layout["sidebar"]["width"] == 0, "the sidebar starts collapsed on a phone"
            assert layout["layers_collapsed"] and not layout["legend_open"]
    finally:
        page.context.close()


# -- helpers -----------------------------------------------------------------------------------

def _layout(page, frame) -> dict:
    box = page.locator(FRAME).bounding_box()
    inner = frame.evaluate(
        """() => {
          const S = NMG.state, map = S.map, c = map.getContainer().getBoundingClientRect();
          const r = (e) => { const b = e.getBoundingClientRect(); return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
          const sw = map.latLngToContainerPoint(S.homeBounds.getSouthWest()), ne = map.latLngToContainerPoint(S.homeBounds.getNorthEast());
          const controls = [...document.querySelectorAll('.leaflet-control, .nmg-notice')]
            .filter(e => e.offsetWidth && e.offsetHeight && getComputedStyle(e).display !== 'none')
            .map(e => [e.className.split(' ').slice(0, 3).join(' '), r(e)]);
          const labels = S.labels.filter(l => l.node.style.visibility !== 'hidden' && l.node.offsetWidth).map(l => r(l.node));
          const overlapping = [];
          labels.forEach((a, i) => labels.slice(i + 1).forEach(b => {
            if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) overlapping.push([a, b]);
          }));
          const z = (name) => parseInt(getComputedStyle(map.getPane(name)).zIndex, 10);
          return {map: {left: c.left, top: c.top, right: c.right, bottom: c.bottom},
                  home: {left: sw.x, top: ne.y, right: ne.x, bottom: sw.y}, controls: controls,
                  labels_overlapping: overlapping, label_pane_above_markers: z('nmgLabels') > z('markerPane'),
                  layers_collapsed: !document.querySelector('.leaflet-control-layers-expanded'),
                  legend_open: S.legend.details.open};
        }""")
    shift = lambda rect: {"left": rect["left"] + box["x"], "right": rect["right"] + box["x"],  # noqa: E731
                          "top": rect["top"] + box["y"], "bottom": rect["bottom"] + box["y"]}
    home = {k: v + (box["x"] if k in ("left", "right") else box["y"]) for k, v in inner["home"].items()}
    sidebar = page.evaluate("""() => { const s = document.querySelector('[data-testid="stSidebar"]');
        if (!s) return {left: 0, right: 0, top: 0, bottom: 0, width: 0};
        const b = s.getBoundingClientRect(), visible = b.right > 1 && getComputedStyle(s).visibility !== 'hidden';
        return visible ? {left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width}
                       : {left: 0, right: 0, top: 0, bottom: 0, width: 0}; }""")
    mapped = shift(inner["map"])
    mapped["height"] = mapped["bottom"] - mapped["top"]
    return {"map": mapped, "home": home, "controls": [(n, shift(r)) for n, r in inner["controls"]],
            "sidebar": sidebar, "labels_overlapping": inner["labels_overlapping"],
            "label_pane_above_markers": inner["label_pane_above_markers"],
            "layers_collapsed": inner["layers_collapsed"], "legend_open": inner["legend_open"]}


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]


def _assert_drawn_where_the_layer_says(frame, projects) -> None:
    """The corridors travel as encoded polylines: every drawn vertex is the layer's, to 1e-5°."""
    drawn = frame.evaluate(
        """() => Object.fromEntries(NMG.state.feats.filter(f => f.line && f.on)
                 .map(f => [f.p.id, [f.layers[0].getLatLngs()].flat(3).map(p => [p.lng, p.lat])]))""")
    lines = mapview.drawable_lines(projects)
    assert set(drawn) == set(lines["id"])
    for pid, geom in zip(lines["id"], lines.geometry, strict=True):
        expected = [list(c) for c in shapely.get_coordinates(geom)]
        assert len(drawn[pid]) == len(expected), pid
        assert all(abs(a - b) <= 6e-6 for p, q in zip(drawn[pid], expected, strict=True)
                   for a, b in zip(p, q, strict=True)), pid


def _assert_files_local_and_cacheable(page, frame) -> None:
    urls = frame.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert any(u.endswith("leaflet-markercluster.js") for u in urls)  # Leaflet and MarkerCluster, one file
    assert any(u.endswith("fa-solid-900.woff2") for u in urls)  # the marker glyphs' font
    data = [u for u in urls if "/nmg/data/" in u]
    assert len(data) == 1
    response = page.request.get(data[0])
    assert "immutable" in response.headers["cache-control"] and response.ok


def _edited_store(folder: Path, projects, edited: str) -> str:
    """A SQLite store seeded from the layers, with one status changed by an editor (note: XSS)."""
    from geo import store
    from geo.store import auth

    url = f"sqlite:///{folder / 'status.sqlite3'}"
    with store.open_store(url) as db:
        db.seed(store.Baseline.from_mapping(row) for _, row in projects.iterrows())
        editor = auth.add_user(db, "王工", "a long enough password 2014")
        assert "construction" in taxonomy.STATUS_CODES
        db.change_status(store.StatusChange(edited, "construction", date(2014, 11, 3), XSS, "内蒙古发改委会议纪要"),
                         editor=editor, expected_version=db.current(edited).version)
    return url

