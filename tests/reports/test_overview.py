"""Numbers for leaders: projects and km by sector, agency and partner; overdue targets."""

from __future__ import annotations

from datetime import date

from geo import settings
from geo.layers import load_layers
from geo.reports.overview import Change, counts_by, overdue, status_on


def test_counts_and_km_by_sector_and_status() -> None:
    layers = load_layers(settings.DEFAULT_LAYERS)
    table = counts_by(layers, "sector")
    assert table["projects"].sum() == len(layers)
    energy = table[(table["key"] == "energy") & (table["status"] == "preparing")]
    lines = layers[(layers["sector"] == "energy") & (layers["status"] == "preparing")
                   & (layers.geometry.geom_type == "LineString")]
    assert energy["km"].item() == round(lines["length_km"].sum(), 6) and energy["km"].item() > 4000


def test_an_item_with_several_partners_counts_under_each() -> None:
    layers = load_layers(settings.DEFAULT_LAYERS)
    by_partner = counts_by(layers, "partner")
    shandong = by_partner[by_partner["key"] == "山东省"]["projects"].sum()
    assert shandong == int(layers["partner_provinces"].map(lambda p: "山东省" in list(p)).sum())
    assert set(counts_by(layers, "lead_agency")["key"]) >= {"内蒙古自治区能源开发局", "内蒙古自治区铁路建设重点项目办公室"}


def test_status_on_a_day_is_the_last_change_in_effect() -> None:
    changes = [Change("construction", date(2014, 11, 4)), Change("operating", date(2016, 7, 1))]
    assert status_on("preparing", changes, date(2014, 6, 1)) == "preparing"
    assert status_on("preparing", changes, date(2015, 1, 31)) == "construction"


def test_overdue_targets_after_the_report_deadline() -> None:
    layers = load_layers(settings.DEFAULT_LAYERS)
    before = overdue(layers, {}, date(2015, 1, 31))
    assert before.empty, "nothing is overdue until the report deadline has passed"
    history = {"energy-xilingol-league-shandong": [Change("construction", date(2014, 11, 4))],
               "rail-hohhot-zhangjiakou": [Change("operating", date(2015, 3, 1))]}  # after the deadline
    late = overdue(layers, history, date(2015, 2, 1)).set_index("id")
    assert "energy-xilingol-league-shandong" not in late.index, "works started by the deadline, as targeted"
    assert late.loc["energy-mengxi-tianjin-south", "target_status"] == "construction"
    assert late.loc["rail-hohhot-zhangjiakou", "status_on_deadline"] == "construction"
    assert set(late["deadline"]) == {date(2015, 1, 31)}
    targeted = layers["target_status"].notna().sum()
    assert len(late) == targeted - 1
