"""The app's widget logic in Streamlit's AppTest: filters, query parameters, language, basemaps,
and a map component whose arguments name no script or stylesheet outside the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_mapview import write_synthetic_layers

from geo import assets, settings

APP = str(settings.ROOT / "app.py")


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str):
    """A fresh AppTest on the synthetic layers and an empty status store."""
    monkeypatch.setattr(settings, "DEFAULT_LAYERS", write_synthetic_layers(tmp_path / "layers"))
    monkeypatch.setenv("GEO_DATABASE_URL", sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(**query: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(query)
        return at

    yield make
    st.cache_resource.clear()


def _map_args(at: AppTest) -> dict:
    components = [el for el in at.main if getattr(el, "type", None) == "component_instance"]
    assert len(components) == 1, "the map component is missing"
    return json.loads(components[0].proto.json_args)


def _count(at: AppTest) -> int:
    text = at.markdown[0].value
    return int(re.search(r"(\d+)", text).group(1))


def _table_ids(at: AppTest) -> set[str]:
    frame = at.dataframe[0].value
    return set(frame[frame.columns[-1]])


def test_default_view_shows_every_project(app):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "内蒙古自治区2014年区域合作重点推进事项"
    assert _count(at) == 10 and len(_table_ids(at)) == 10
    assert at.query_params == {}
    assert [b.label for b in at.main.get("download_button")] == ["GeoJSON", "CSV", "GeoPackage"]


def test_a_long_table_is_cut_with_a_note_and_the_map_keeps_every_project(app, monkeypatch):
    from ui import table

    at = app().run()
    assert not [c for c in at.caption if "表中列出前" in c.value]  # the plan's few dozen: all rows, no note
    monkeypatch.setattr(table, "MAX_ROWS", 3)
    at = app(lang="en").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3 and _count(at) == 10
    assert any("first 3 of 10 projects" in c.value for c in at.caption)
    assert [b.label for b in at.main.get("download_button")] == ["GeoJSON", "CSV", "GeoPackage"]
    script = _map_args(at)["script"]
    assert all(pid in script for pid in ("rail-ejina-hami", "education-sjtu", "tourism-jingjin-circle"))


def test_the_map_is_built_once_per_view_and_again_when_a_status_changes(app, monkeypatch):
    from geo import mapview
    from ui import data

    built: list[str] = []
    real = mapview.map_from_layers
    monkeypatch.setattr(mapview, "map_from_layers", lambda *a, **k: built.append(k["lang"]) or real(*a, **k))
    first, second = app().run(), app().run()  # two visitors, the same view
    assert built == ["zh"] and _map_args(first)["script"] == _map_args(second)["script"]
    app(lang="en").run()
    assert built == ["zh", "en"]
    changed = {"rail-hohhot-zhangjiakou": {"status": "operating", "changed_at": "2014-12-30 10:00",
                                           "editor": "王工", "note": "通车"}}
    monkeypatch.setattr(data, "current_statuses", lambda: changed)
    script = _map_args(app().run())["script"]
    assert built == ["zh", "en", "zh"] and "通车" in script


def test_map_component_loads_nothing_from_outside(app):
    args = _map_args(app().run())
    for url in args["js_links"] + args["css_links"]:
        assert url.startswith(assets.DEFAULT_BASE_URL), url
    assert [url.rsplit("/", 1)[-1] for url in args["js_links"]] == ["leaflet-markercluster.js"]  # one request
    everything = json.dumps(args, ensure_ascii=False)
    assert not re.search(r"<script[^>]+src=[\"']?https?://", everything)
    assert not re.search(r"<link[^>]+href=[\"']?https?://", everything)
    assert not re.search(r"https?://[^\"' ]+\.(js|css)\b", everything)
    assert args["returned_objects"] == ["last_object_clicked_popup"]  # pan and zoom do not rerun


def test_partner_in_url_restores_the_view(app):
    at = app(partner="山东省").run()
    assert not at.exception
    assert at.multiselect(key="f_partner").value == ["山东省"]
    assert _table_ids(at) == {"energy-xilingol-shandong-uhv", "energy-pipeline-shandong"}
    script = _map_args(at)["script"]
    assert "energy-pipeline-shandong" in script and "rail-hohhot-zhangjiakou" not in script
    assert '["山东省"]' in script  # highlighted on the map


@pytest.mark.parametrize(("query", "count"), [
    ({"partner": "山东省,天津市"}, 3),
    ({"partner": ["山东省", "天津市"]}, 3),
    ({"partner": "天津市", "mode": "crossed"}, 2),
    ({"partner": "天津市"}, 1),
    ({"sector": "energy", "status": "preparing"}, 1),
    ({"agency": "自治区铁路办"}, 2),
    ({"q": "特高压"}, 2),
])
def test_query_parameters_filter(app, query, count):
    at = app(**query).run()
    assert not at.exception
    assert _count(at) == count == len(_table_ids(at))


def test_widgets_write_the_url(app):
    at = app().run()
    at.multiselect(key="f_sector").set_value(["rail"]).run()
    at.radio(key="f_mode").set_value("crossed").run()
    at.multiselect(key="f_partner").set_value(["河北省"]).run()
    assert at.query_params == {"sector": "rail", "mode": "crossed", "partner": "河北省"}
    assert _table_ids(at) == {"rail-hohhot-zhangjiakou"}


def test_unknown_parameters_are_reported_not_applied(app):
    at = app(sector="trains", partner="山东省").run()
    assert not at.exception
    assert any("sector=trains" in w.value for w in at.warning)
    assert _count(at) == 2


def test_english(app):
    at = app(lang="en").run()
    assert not at.exception
    assert at.title[0].value == "Inner Mongolia 2014 key regional cooperation items"
    assert at.multiselect(key="f_sector").label == "Sector"
    assert "Hohhot–Zhangjiakou passenger railway" in set(at.dataframe[0].value["Project"])
    script = _map_args(at)["script"]
    assert "Under construction" in script and "Legend" in script
    assert at.query_params == {"lang": "en"}


def test_language_switch_keeps_filters(app):
    at = app(partner="山东省").run()
    at.radio(key="f_lang").set_value("en").run()
    assert at.query_params == {"partner": "山东省", "lang": "en"}
    assert at.multiselect(key="f_partner").value == ["山东省"]


def test_gcj02_basemaps_are_refused_with_the_reason(app):
    at = app().run()
    at.selectbox(key="basemap").set_value("gcj02").run()
    assert any("GCJ-02" in w.value for w in at.sidebar.warning)
    assert "L.tileLayer" not in _map_args(at)["script"]  # no tiles drawn: the offline default


def test_tianditu_uses_the_token_from_secrets(app):
    at = app()
    at.secrets["tianditu_token"] = "token-123"
    at.run()
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert not at.sidebar.warning
    script = _map_args(at)["script"]
    assert "tianditu.gov.cn/vec_w" in script and "tk=token-123" in script


def test_tianditu_without_token_falls_back_to_no_basemap(app):
    at = app().run()
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert any("tianditu_token" in w.value for w in at.sidebar.warning)
    assert "tianditu.gov.cn" not in _map_args(at)["script"]


def test_status_form_slot_is_marked(app):
    at = app().run()
    assert any(h.value in ("项目进展填报",) for h in at.sidebar.subheader)


def test_every_interface_string_exists_in_both_languages():
    from geo import i18n

    zh, en = i18n.STRINGS["zh"], i18n.STRINGS["en"]
    assert zh.keys() == en.keys()
    assert all(zh[key].strip() and en[key].strip() for key in zh)
    assert i18n.t("count", "en", n=3, lines=2, others=1) == "Matching projects: 3 (2 corridors, 1 facilities and regional items)"
    assert i18n.lang_or_default("fr") == "zh"
