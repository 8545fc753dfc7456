"""Filters: URL parameters ⇄ Filters, the matching projects, statuses from the store."""

from __future__ import annotations

import geopandas as gpd
import pytest
from fixtures import XSS, synthetic_gdf

from geo import filters
from geo.filters import Filters

PROVINCES = ("河北省", "山东省", "天津市", "北京市", "江苏省", "辽宁省", "上海市", "新疆维吾尔自治区", "内蒙古自治区")
AGENCIES = ("自治区铁路办", "自治区交通运输厅", "自治区能源开发局")


@pytest.fixture(scope="module")
def gdf() -> gpd.GeoDataFrame:
    return synthetic_gdf()


@pytest.mark.parametrize(("params", "expected"), [
    ({}, Filters()),
    ({"partner": "山东省"}, Filters(partners=("山东省",))),
    ({"partner": ["山东省", "天津市"]}, Filters(partners=("山东省", "天津市"))),
    ({"partner": "山东省,天津市"}, Filters(partners=("山东省", "天津市"))),
    ({"partner": "山东省\uff0c天津市"}, Filters(partners=("山东省", "天津市"))),  # full-width comma
    ({"partner": "山东省\u3001天津市"}, Filters(partners=("山东省", "天津市"))),  # enumeration comma
    ({"partner": ["山东省", "山东省"]}, Filters(partners=("山东省",))),
    ({"partner": "山东"}, Filters(partners=("山东省",))),
    ({"partner": "新疆"}, Filters(partners=("新疆维吾尔自治区",))),
    ({"partner": " 河北省 "}, Filters(partners=("河北省",))),
    ({"mode": "crossed"}, Filters(mode="crossed")),
    ({"sector": "rail,energy"}, Filters(sectors=("rail", "energy"))),
    ({"status": ["preparing", "approval"]}, Filters(statuses=("preparing", "approval"))),
    ({"agency": "自治区能源开发局"}, Filters(agencies=("自治区能源开发局",))),
    ({"q": "特高压"}, Filters(q="特高压")),
    ({"q": "  UHV  "}, Filters(q="UHV")),
    ({"lang": "en"}, Filters(lang="en")),
])
def test_filters_from_params(params, expected):
    assert filters.filters_from_params(params, provinces=PROVINCES, agencies=AGENCIES) == expected


@pytest.mark.parametrize(("params", "ignored"), [
    ({"partner": "火星省"}, ("partner=火星省",)),
    ({"partner": "江"}, ("partner=江",)),  # too short to complete, and ambiguous
    ({"sector": "trains"}, ("sector=trains",)),
    ({"status": "done"}, ("status=done",)),
    ({"mode": "near"}, ("mode=near",)),
    ({"lang": "fr"}, ("lang=fr",)),
    ({"agency": "某局"}, ("agency=某局",)),
])
def test_unknown_values_are_ignored_and_reported(params, ignored):
    parsed = filters.filters_from_params(params, provinces=PROVINCES, agencies=AGENCIES)
    assert parsed.ignored == ignored
    assert parsed == Filters()  # nothing unknown slips into the view


@pytest.mark.parametrize("chosen", [
    Filters(),
    Filters(partners=("山东省", "天津市"), mode="crossed"),
    Filters(sectors=("energy",), statuses=("preparing",), agencies=("自治区能源开发局",), q="山东", lang="en"),
])
def test_params_round_trip(chosen):
    params = filters.params_from_filters(chosen)
    assert filters.filters_from_params(params, provinces=PROVINCES, agencies=AGENCIES) == chosen


def test_defaults_are_left_out_of_the_url():
    assert filters.params_from_filters(Filters()) == {}
    assert filters.params_from_filters(Filters(lang="en", mode="crossed")) == {"lang": ["en"], "mode": ["crossed"]}


@pytest.mark.parametrize(("chosen", "ids"), [
    (Filters(partners=("山东省",)), {"energy-xilingol-shandong-uhv", "energy-pipeline-shandong"}),
    (Filters(partners=("山东省",), mode="crossed"), {"energy-xilingol-shandong-uhv", "energy-pipeline-shandong"}),
    (Filters(partners=("天津市",), mode="crossed"), {"energy-xilingol-shandong-uhv", "energy-mengxi-tianjin-uhv"}),
    (Filters(partners=("天津市",)), {"energy-mengxi-tianjin-uhv"}),
    (Filters(partners=("北京市",)), {"industry-east-transfer-zone", "tourism-jingjin-circle"}),
    (Filters(partners=("河北省", "江苏省")), {"rail-hohhot-zhangjiakou", "industry-ordos-jiangsu-park",
                                           "tourism-jingjin-circle"}),
    (Filters(sectors=("rail",)), {"rail-hohhot-zhangjiakou", "rail-ejina-hami"}),
    (Filters(statuses=("construction",)), {"rail-hohhot-zhangjiakou", "energy-xilingol-shandong-uhv"}),
    (Filters(agencies=("自治区交通运输厅",)), {"road-g7-linhe-baigeda"}),
    (Filters(q="特高压"), {"energy-xilingol-shandong-uhv", "energy-mengxi-tianjin-uhv"}),
    (Filters(q="uhv shandong"), {"energy-xilingol-shandong-uhv"}),
    (Filters(q="HAMI"), {"rail-ejina-hami"}),
    (Filters(sectors=("energy",), partners=("山东省",), statuses=("preparing",)), {"energy-pipeline-shandong"}),
    (Filters(partners=("上海市",), sectors=("rail",)), set()),
])
def test_filter_projects(gdf, chosen, ids):
    assert set(filters.filter_projects(gdf, chosen)["id"]) == ids


def test_no_filter_keeps_everything_in_order(gdf):
    assert list(filters.filter_projects(gdf, Filters())["id"]) == list(gdf["id"])


def test_current_status_overrides_the_plan(gdf):
    current = {"energy-pipeline-shandong": {"status": "construction", "changed_at": "2014-11-02 10:00",
                                            "effective": "2014-10-30", "editor": "李明", "note": XSS}}
    merged = filters.with_current_status(gdf, current)
    row = merged.set_index("id").loc["energy-pipeline-shandong"]
    assert (row["status"], row["status_effective"], row["status_changed_at"], row["status_editor"],
            row["status_origin"]) == ("construction", "2014-10-30", "2014-11-02 10:00", "李明", "store")
    assert row["status_note"] == XSS
    assert merged.set_index("id").loc["rail-ejina-hami", "status_origin"] == filters.PLAN_SOURCE
    # a status filter sees the store's status, not the plan's
    hits = filters.filter_projects(merged, Filters(statuses=("construction",), partners=("山东省",)))
    assert set(hits["id"]) == {"energy-xilingol-shandong-uhv", "energy-pipeline-shandong"}
    assert filters.with_current_status(merged, current).equals(merged)  # idempotent
    assert "status_origin" not in gdf  # the input is not changed


def test_choices_for_the_sidebar(gdf):
    assert {"山东省", "内蒙古自治区", "上海市"} <= set(filters.province_names(gdf))
    assert filters.lead_agencies(gdf)[:3] == ["自治区铁路办", "自治区交通运输厅", "自治区能源开发局"]


def test_plan_year_and_change_travel_in_the_url() -> None:
    view = filters.filters_from_params({"plan": ["2015"], "change": ["again"]}, plans=[2014, 2015])
    assert (view.plan, view.change, view.ignored) == (2015, "again", ())
    assert filters.params_from_filters(view) == {"plan": ["2015"], "change": ["again"]}
    unknown = filters.filters_from_params({"plan": ["1999"], "change": ["renamed"]}, plans=[2014, 2015])
    assert (unknown.plan, unknown.change) == (None, "") and len(unknown.ignored) == 2


def test_change_filter_keeps_the_projects_of_that_kind() -> None:
    from geo.layers import plan_view

    frame = gpd.GeoDataFrame({"id": ["a", "b", "a", "c"], "plan_year": [2014, 2014, 2015, 2015],
                              "plan_years": [[2014, 2015], [2014], [2014, 2015], [2015]],
                              "sector": ["rail"] * 4, "status": ["proposed"] * 4}, geometry=[None] * 4)
    latest = plan_view(frame)
    assert set(filters.filter_projects(latest, filters.Filters(change="new"))["id"]) == {"c"}
    assert set(filters.filter_projects(latest, filters.Filters(change="again"))["id"]) == {"a"}
    first = plan_view(frame, 2014)
    assert set(filters.filter_projects(first, filters.Filters(change="dropped"))["id"]) == {"b"}
