"""The page's widget logic in Streamlit's AppTest: filters, query parameters, language, basemaps,
the notice box, and what one page run sends to the map frame (the view, not the features)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from fixtures import write_synthetic_layers
from streamlit.testing.v1 import AppTest

from geo import i18n, settings, webmap
from ui import mapframe, site

PAGE = str(settings.ROOT / "ui" / "page.py")
PAYLOAD_LINK = "[请点此重新登录](https://evil.example.com/login)"
PAYLOAD_IMAGE = "![x](http://evil.example.com/b.png)"


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str):
    """A fresh AppTest on the synthetic layers and an empty status store."""
    monkeypatch.setattr(settings, "DEFAULT_LAYERS", write_synthetic_layers(tmp_path / "layers"))
    monkeypatch.setenv("GEO_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("GEO_VAR_DIR", str(tmp_path / "var"))
    site.forget()

    def make(**query: str | list[str]) -> AppTest:
        at = AppTest.from_file(PAGE, default_timeout=60)
        at.query_params.update(query)
        at.session_state[mapframe.READY] = True  # what the frame reports once it has drawn the map
        return at

    yield make
    site.forget()


def map_args(at: AppTest) -> dict:
    """What this run sent to the map frame (Streamlit's own key and default left out)."""
    components = [el for el in at.main if getattr(el, "type", None) == "component_instance"]
    assert len(components) == 1, "the map component is missing"
    args = json.loads(components[0].proto.json_args)
    return {k: v for k, v in args.items() if k not in ("key", "default")}


def visible(at: AppTest) -> set[str]:
    """The projects the run tells the frame to show (all of them when the mask is None)."""
    current = site.site()
    mask = map_args(at)["visible"]
    if mask is None:
        return set(current.data.ids)
    bits = base64.b64decode(mask)
    return {pid for i, pid in enumerate(current.data.ids) if bits[i >> 3] >> (i & 7) & 1}


def count(at: AppTest) -> int:
    return int(re.search(r"(\d+)", at.caption[0].value).group(1))


def table_ids(at: AppTest) -> set[str]:
    frame = at.dataframe[0].value
    return set(frame[frame.columns[-1]])


def test_default_view_shows_every_project(app):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == i18n.t("title", "zh", year=2014)
    assert count(at) == 10 and len(table_ids(at)) == 10
    assert at.query_params == {}
    assert map_args(at)["visible"] is None  # nothing filtered: nothing to send
    assert [b.label for b in at.main.get("download_button")] == ["GeoJSON", "CSV", "GeoPackage"]


def test_the_table_and_downloads_wait_until_the_frame_has_drawn_the_map(app):
    at = app()
    del at.session_state[mapframe.READY]  # a new visitor: the frame has not reported yet
    at.run()
    assert not at.exception
    assert not at.dataframe and not at.main.get("download_button")
    assert map_args(at)["visible"] is None  # the map itself is sent in full at once
    assert i18n.t("table_after_map", "zh") in at.main.get("html")[-1].proto.body
    at.session_state[mapframe.READY] = True  # what the frame's first paint reports
    at.run()
    assert len(table_ids(at)) == 10 and len(at.main.get("download_button")) == 3


def test_the_map_data_is_built_once_per_server_and_a_run_sends_only_the_view(app, monkeypatch):
    built: list[int] = []
    real = webmap.map_data
    monkeypatch.setattr(webmap, "map_data", lambda *a, **k: built.append(1) or real(*a, **k))
    first, second = app().run(), app(sector="rail").run()  # two visitors, two views
    assert built == [1]
    args = map_args(second)
    assert set(args) == {"data", "lang", "visible", "changes", "partners", "basemap", "session"}
    assert len(json.dumps(args)) < 500 and visible(second) == {"rail-hohhot-zhangjiakou", "rail-ejina-hami"}
    assert args["data"] == map_args(first)["data"] and args["data"].startswith("/nmg/data/")
    assert "rail-hohhot-zhangjiakou" not in json.dumps(args)  # ids travel in the data file, not per run


def test_a_status_change_travels_as_a_change_not_as_a_new_map(app):
    from datetime import date

    from geo.store import StatusChange, open_store
    from geo.store.auth import add_user

    app().run()  # seeds the store
    with open_store(settings.database_url()) as db:
        editor = add_user(db, "王工", "a long enough password")
        db.change_status(StatusChange("rail-hohhot-zhangjiakou", "operating", date(2014, 12, 30), "通车", "纪要"),
                         editor=editor, expected_version=db.current("rail-hohhot-zhangjiakou").version)
    args = map_args(app().run())
    change = args["changes"]["rail-hohhot-zhangjiakou"]
    assert (change["st"], change["eff"], change["by"], change["note"]) == ("operating", "2014-12-30", "王工", "通车")
    assert list(args["changes"]) == ["rail-hohhot-zhangjiakou"]


def test_a_long_table_is_cut_with_a_note_and_the_map_keeps_every_project(app, monkeypatch):
    from ui import table

    at = app().run()
    assert not [c for c in at.caption if "表中列出前" in c.value]
    monkeypatch.setattr(table, "MAX_ROWS", 3)
    at = app(lang="en").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3 and count(at) == 10
    assert any("first 3 of 10 projects" in c.value for c in at.caption)
    assert map_args(at)["visible"] is None


def test_map_frame_and_data_are_the_apps_own(app):
    at = app().run()
    component = [el for el in at.main if getattr(el, "type", None) == "component_instance"][0]
    everything = json.dumps(map_args(at), ensure_ascii=False)
    assert not re.search(r"https?://", everything)
    assert component.proto.component_name.endswith("nmg_map")


def test_partner_in_url_restores_the_view(app):
    at = app(partner="山东省").run()
    assert not at.exception
    assert at.multiselect(key="f_partner").value == ["山东省"]
    assert table_ids(at) == {"energy-xilingol-shandong-uhv", "energy-pipeline-shandong"} == visible(at)
    assert map_args(at)["partners"] == ["山东省"]  # highlighted on the map


@pytest.mark.parametrize(("query", "expected"), [
    ({"partner": "山东省,天津市"}, 3),
    ({"partner": ["山东省", "天津市"]}, 3),
    ({"partner": "天津市", "mode": "crossed"}, 2),
    ({"partner": "天津市"}, 1),
    ({"sector": "energy", "status": "preparing"}, 1),
    ({"agency": "自治区铁路办"}, 2),
    ({"q": "特高压"}, 2),
])
def test_query_parameters_filter(app, query, expected):
    at = app(**query).run()
    assert not at.exception
    assert count(at) == expected == len(table_ids(at)) == len(visible(at))


def test_widgets_write_the_url(app):
    at = app().run()
    at.multiselect(key="f_sector").set_value(["rail"]).run()
    at.radio(key="f_mode").set_value("crossed").run()
    at.multiselect(key="f_partner").set_value(["河北省"]).run()
    assert at.query_params == {"sector": "rail", "mode": "crossed", "partner": "河北省"}
    assert table_ids(at) == {"rail-hohhot-zhangjiakou"}


def test_unknown_parameters_are_listed_once_as_text_and_not_applied(app):
    values = [f"bad{i}" for i in range(25)]
    at = app(sector=values + [PAYLOAD_LINK], partner="山东省", status=PAYLOAD_IMAGE).run()
    assert not at.exception
    assert count(at) == 2
    boxes = [c for c in at.main if getattr(c, "key", None) == "ignored_notice"]
    assert len(at.text) == 1  # one box, its values as plain text
    shown = at.text[0].value.splitlines()
    assert len(shown) == 10 and shown[0] == "sector=bad0"
    assert any("另有 17 个" in c.value for c in at.caption)
    markdown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "evil.example.com" not in markdown and boxes is not None


def test_english(app):
    at = app(lang="en").run()
    assert not at.exception
    assert at.title[0].value == i18n.t("title", "en", year=2014)
    assert at.multiselect(key="f_sector").label == "Sector"
    assert "Hohhot–Zhangjiakou passenger railway" in set(at.dataframe[0].value["Project"])
    assert map_args(at)["lang"] == "en"
    assert at.query_params == {"lang": "en"}


def test_language_switch_keeps_filters(app):
    at = app(partner="山东省", sector="energy").run()
    at.radio(key="f_lang").set_value("en").run()
    assert at.query_params == {"partner": "山东省", "sector": "energy", "lang": "en"}
    assert at.multiselect(key="f_partner").value == ["山东省"]
    assert at.session_state["view"].sectors == ("energy",)  # the view is kept in codes
    assert count(at) == 2


def test_gcj02_basemaps_are_refused_with_the_reason(app):
    at = app().run()
    at.selectbox(key="basemap").set_value("gcj02").run()
    assert any("GCJ" in w.value for w in at.sidebar.warning)
    assert map_args(at)["basemap"] is None  # no tiles drawn: the offline default


def test_tianditu_uses_the_token_from_secrets(app):
    at = app()
    at.secrets["tianditu_token"] = "token-123"
    at.run()
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert not at.sidebar.warning
    tiles = map_args(at)["basemap"]["tiles"]
    assert "tianditu.gov.cn/vec_w" in tiles[0] and "tk=token-123" in tiles[0]


def test_tianditu_without_token_falls_back_to_no_basemap(app):
    at = app().run()
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert any("tianditu" in w.value for w in at.sidebar.warning)
    assert map_args(at)["basemap"] is None


def test_every_interface_string_exists_in_both_languages():
    zh, en = i18n.STRINGS["zh"], i18n.STRINGS["en"]
    assert zh.keys() == en.keys()
    assert all(zh[key].strip() and en[key].strip() for key in zh)
    for key in zh:  # the same values to fill in, in both languages
        assert set(re.findall(r"\{(\w+)", zh[key])) == set(re.findall(r"\{(\w+)", en[key])), key
    assert i18n.t("count", "en", n=3, lines=2, others=1) == "Matching projects: 3 (2 corridors, 1 facilities and regional items)"
    assert i18n.lang_or_default("fr") == "zh"
