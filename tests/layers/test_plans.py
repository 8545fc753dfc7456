"""Several years of plans: the same project keeps one id and one history from one plan to the next."""

from __future__ import annotations

import difflib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fixtures import DATA

from geo import settings
from geo.layers import check_layers, load_layers, plan_changes, plan_statuses
from geo.pipeline.build import build_features, build_layers
from geo.store import StatusChange, User, open_store

PLAN_2015 = DATA / "nmg-2015-regional-cooperation.txt"
PLANS = [settings.DEFAULT_PLAN, PLAN_2015]


@pytest.fixture(scope="module")
def both():  # type: ignore[no-untyped-def]
    return build_features(PLANS)


def test_the_2015_plan_is_written_in_the_style_not_copied(plan_path: Path) -> None:
    a, b = plan_path.read_text(encoding="utf-8"), PLAN_2015.read_text(encoding="utf-8")
    assert difflib.SequenceMatcher(a=a, b=b, autojunk=False).quick_ratio() < 0.6


def test_each_feature_carries_its_plan_and_a_project_key(both) -> None:  # type: ignore[no-untyped-def]
    frame = both.features
    assert [p.year for p in both.plans] == [2014, 2015]
    assert set(frame["plan_id"]) == {"nmg-2014-regional-cooperation", "nmg-2015-regional-cooperation"}
    assert set(frame["plan_year"]) == {2014, 2015} and frame["project_key"].notna().all()
    for _, plan in frame.groupby("plan_id"):
        assert plan["id"].is_unique
    assert set(frame.loc[frame["plan_year"] == 2015, "report_deadline"]) == {"2016-01-31"}


# Projects the 2015 plan names again, with the verbs that move them on.
AGAIN = [
    ("energy-xilingol-league-shandong", "preparing", "construction"),
    ("energy-mengxi-tianjin-south", "preparing", "construction_planned"),
    ("energy-xilingol-league-jiangsu", "preparing", "construction_planned"),
    ("energy-shanghaimiao-linyi-800-kv-uhv-dc-transmission-line", "preparing", "approval"),
    ("road-linhe-baigeda", "approval", "construction"),
    ("rail-duolun-fengning", "construction_planned", "construction"),
    ("science-beijing-inner-mongolia-science-technology-cooperation-framework-agreement", "negotiating", "agreed"),
]


@pytest.mark.parametrize(("project_id", "in_2014", "in_2015"), AGAIN, ids=[a[0] for a in AGAIN])
def test_a_project_named_again_keeps_its_id_with_the_new_plans_status(both, project_id: str, in_2014: str,  # type: ignore[no-untyped-def]
                                                                      in_2015: str) -> None:
    statuses = plan_statuses(both.features, project_id)
    assert [(year, status) for year, status, _ in statuses] == [(2014, in_2014), (2015, in_2015)]
    rows = both.features[both.features["id"] == project_id]
    assert all(list(years) == [2014, 2015] for years in rows["plan_years"])


def test_new_and_dropped_between_two_plans(both) -> None:  # type: ignore[no-untyped-def]
    changes = plan_changes(both.features, 2014, 2015)
    counts = {kind: sum(1 for c in changes.values() if c == kind) for kind in ("again", "new", "dropped")}
    assert counts["again"] >= 5 and counts["new"] >= 3 and counts["dropped"] >= 40
    assert changes["rail-jining-yuanping"] == "new"
    assert changes["rail-ejin-banner-hami"] == "dropped"
    # the 3rd S&T week is another event than the 2nd, not the same one renamed
    third = both.features[both.features["name_zh"] == "第三届粤蒙科技活动周"]["id"].item()
    assert changes[third] == "new"


def test_two_plans_build_check_and_keep_the_committed_ids(tmp_path: Path, both) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([sys.executable, "-m", "geo", "build", "--plan", str(PLANS[0]), "--plan", str(PLANS[1]),
                             "--out", str(tmp_path)], capture_output=True, text=True, cwd=settings.ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "projects named in more than one plan: 11" in result.stdout
    assert check_layers(tmp_path) == []
    committed = set(load_layers(settings.DEFAULT_LAYERS)["id"])
    assert committed == set(both.features.loc[both.features["plan_year"] == 2014, "id"])


def test_the_store_keeps_one_history_for_a_project_across_plans(tmp_path: Path, store_url: str) -> None:
    one = build_layers(PLANS[0], tmp_path / "2014").features
    two = build_layers(PLANS, tmp_path / "both").features
    project = "energy-xilingol-league-shandong"
    with open_store(store_url) as store:
        store.seed(one.drop(columns="geometry").to_dict("records"))
        store.insert_user("admin", "hash", agency=None)
        store.change_status(StatusChange(project, "construction", date(2014, 11, 4), "开工", "国家电网 2014-11-04"),
                            editor=User("admin"), expected_version=1)
        latest = two[two["plan_year"] == 2015]
        store.seed(latest.drop(columns="geometry").to_dict("records"))
        history = store.history(project)
        assert [(h.new_status, h.note) for h in history][-1] == ("construction", "开工")
        assert len(history) == 2, "naming the project again in 2015 does not restart its history"


def test_a_projects_trajectory_is_each_plans_status_and_the_recorded_changes_in_order(both, store_url: str) -> None:  # type: ignore[no-untyped-def]
    from ui.history import trajectory_frame

    project = "energy-xilingol-league-shandong"
    with open_store(store_url) as store:
        store.seed(both.features[both.features["plan_year"] == 2014].drop(columns="geometry").to_dict("records"))
        store.insert_user("admin", "hash", agency=None)
        store.change_status(StatusChange(project, "construction", date(2014, 11, 4), "锡盟站开工", "国家电网"),
                            editor=User("admin"), expected_version=1)
        frame = trajectory_frame(plan_statuses(both.features, project), store.history(project), "en")
    assert list(frame["Effective"]) == ["2014", "2014-11-04", "2015"]
    assert list(frame["Change"])[0] == "Preparing" and "2015 plan: Under construction" in list(frame["Note"])[2]
    assert list(frame["Note"])[1] == "锡盟站开工"
