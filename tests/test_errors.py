"""Every error carries a code with a Chinese and an English text, and no text leaks where it came from.

The raise sites are read from the source (``ast``), so a new ``raise SomeError(..., code="x")``
without a declared code or without texts fails here, not in front of a user.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import geo
from geo import i18n, settings
from geo.errors import (
    AuthError,
    GeoError,
    InvalidStatusChange,
    PlanReadError,
    Problem,
    StatusConflict,
    StoreError,
)
from geo.i18n.errors import ERROR_TEXTS, PROBLEM_TEXTS

# Import every module so that error classes defined outside geo.errors (AssetError) are seen.
for _module in pkgutil.walk_packages(geo.__path__, "geo."):
    if not _module.name.rsplit(".", 1)[-1].startswith("__") and ".migrations" not in _module.name:
        importlib.import_module(_module.name)

#: Params that would tell a viewer where the data lives or what the driver said.
SECRET_PARAMS = {"path", "url", "host", "user", "database", "dsn", "reason", "detail", "driver", "file"}
#: Codes raised by the app rather than by geo/ (the store is not configured at all).
RAISED_BY_THE_APP = {"store_not_configured"}
#: Params an error class fills in itself.
AUTO_PARAMS: dict[str, set[str]] = {"InvalidStatusChange": {"count", "fields"}}


def error_classes() -> list[type[GeoError]]:
    found: list[type[GeoError]] = []
    todo: list[type[GeoError]] = [GeoError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: c.__name__)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def sample(names: set[str]) -> dict[str, object]:
    return {name: f"<{name}>" for name in names}


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_code_of_every_error_class_has_both_languages(cls: type[GeoError]) -> None:
    assert cls.codes, f"{cls.__name__} declares no code"
    for code in cls.codes:
        texts = ERROR_TEXTS.get(code, {})
        assert set(texts) == set(i18n.LANGS), f"{cls.__name__}.{code}: texts for {sorted(texts)}"
        assert fields(texts["zh"]) == fields(texts["en"]), code
        assert not fields(texts["zh"]) & SECRET_PARAMS, code
        err = GeoError("log message", code=code, **sample(fields(texts["zh"])))
        for lang in i18n.LANGS:
            shown = i18n.error_text(err, lang)
            assert shown.strip() and "log message" not in shown
            assert "{" not in shown.replace("{z}", "").replace("{x}", "").replace("{y}", ""), shown


def test_every_problem_code_has_both_languages() -> None:
    for code, texts in PROBLEM_TEXTS.items():
        assert set(texts) == set(i18n.LANGS), code
        assert fields(texts["zh"]) == fields(texts["en"]), code
        problem = Problem(code, sample(fields(texts["zh"])), "log message")
        assert all(i18n.problem_text(problem, lang).strip() for lang in i18n.LANGS)


def raise_sites() -> list[tuple[str, int, str, ast.Call]]:
    """(file, line, class name, call) of every construction of an error class or a Problem."""
    names = {cls.__name__ for cls in error_classes()} | {"Problem"}
    sites = []
    for path in sorted((settings.ROOT / "geo").rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in names:
                    sites.append((path.name, node.lineno, name, node))
    return sites


def test_every_raise_site_names_a_declared_code_and_passes_its_params() -> None:
    classes = {cls.__name__: cls for cls in error_classes()}
    used: set[str] = set()
    for where, line, name, call in raise_sites():
        keywords = {k.arg: k.value for k in call.keywords}
        if name == "Problem":
            code_node = call.args[0] if call.args else keywords.get("code")
            assert isinstance(code_node, ast.Constant), f"{where}:{line}: Problem code is not a literal"
            assert code_node.value in PROBLEM_TEXTS, f"{where}:{line}: no texts for problem {code_node.value!r}"
            params = call.args[1] if len(call.args) > 1 else keywords.get("params")
            if isinstance(params, ast.Dict):
                given = {k.value for k in params.keys if isinstance(k, ast.Constant)}
                assert fields(PROBLEM_TEXTS[code_node.value]["en"]) <= given, f"{where}:{line}"
            continue
        cls = classes[name]
        if "reason" in keywords:  # BasemapRefused words its code from the reason
            reason = keywords.pop("reason")
            assert isinstance(reason, ast.Constant)
            code = f"basemap_{reason.value}"
        elif "code" in keywords:
            code_node = keywords.pop("code")
            assert isinstance(code_node, ast.Constant), f"{where}:{line}: {name} code is not a literal"
            code = str(code_node.value)
        else:
            pytest.fail(f"{where}:{line}: {name}(...) is raised without a code")
        assert code in cls.codes, f"{where}:{line}: {name} does not declare {code!r}"
        used.add(code)
        if None not in keywords:  # no **params: the call must give every field its texts use
            given = set(keywords) | AUTO_PARAMS.get(name, set())
            missing = fields(ERROR_TEXTS[code]["en"]) - given
            assert not missing, f"{where}:{line}: {name}(code={code!r}) lacks params {missing}"
    declared = {code for cls in error_classes() for code in cls.codes}
    assert declared - used - RAISED_BY_THE_APP - {"error", "store_error"} == set()


def test_store_errors_shown_to_users_name_no_host_user_database_or_path(tmp_path: Path) -> None:
    from geo.store import open_store

    with pytest.raises(StoreError) as unreachable:
        open_store("postgresql+psycopg://geo_editor_x:secret@127.0.0.1:1/geo_db_x")
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoreError) as folder:
        open_store(f"sqlite:///{tmp_path}/a-file/status.sqlite3")
    assert (unreachable.value.code, folder.value.code) == ("store_unreachable", "store_folder")
    assert "127.0.0.1" in str(unreachable.value)  # the log keeps what the operator needs
    for err in (unreachable.value, folder.value):
        for lang in i18n.LANGS:
            shown = i18n.error_text(err, lang)
            for secret in ("127.0.0.1", "geo_editor_x", "secret", "geo_db_x", str(tmp_path), "psycopg",
                           "connection", "refused", "sqlite"):
                assert secret not in shown.lower(), (err.code, lang, shown)


def test_plan_errors_shown_to_users_name_no_file(tmp_path: Path) -> None:
    from geo.pipeline.text import read_plan

    with pytest.raises(PlanReadError) as err:
        read_plan(tmp_path / "missing-plan.txt")
    assert err.value.code == "plan_unreadable"
    assert all("missing-plan" not in i18n.error_text(err.value, lang) for lang in i18n.LANGS)


def test_error_text_words_times_statuses_and_lists_for_the_reader() -> None:
    until = datetime(2015, 1, 20, 1, 30, tzinfo=UTC)
    locked = AuthError("too many failed sign-ins; try again later", code="login_locked", until=until)
    assert i18n.error_text(locked, "zh") == "登录失败次数过多,请于 2015-01-20 09:30 之后再试。"
    assert i18n.error_text(locked, "en") == "Too many failed sign-ins; try again after 2015-01-20 09:30."
    conflict = StatusConflict("log", code="status_conflict", project_id="rail-x", expected=1, editor="wang",
                              status="operating", changed_at=until, version=2,
                              effective_date=date(2014, 7, 1), note="7月通车")
    zh, en = i18n.error_text(conflict, "zh"), i18n.error_text(conflict, "en")
    assert "wang" in zh and "7月通车" in zh and "2014-07-01" in zh and "2015-01-20 09:30" in zh
    assert i18n.status_label("operating", "zh") in zh and i18n.status_label("operating", "en") in en
    invalid = InvalidStatusChange({"note": Problem("required", {}, "required")})
    assert i18n.error_text(invalid, "en") == "The update has 1 problems."


def test_a_missing_param_or_unknown_code_still_gives_a_sentence_not_a_crash() -> None:
    assert i18n.error_text(AuthError("x", code="login_locked"), "en") == ERROR_TEXTS["error"]["en"]
    assert i18n.error_text(StoreError("x", code="no_such_code"), "zh") == ERROR_TEXTS["store_error"]["zh"]
    assert i18n.problem_text(Problem("too_long", {"length": 2001, "limit": 2000}), "en") == (
        "2,001 characters; at most 2,000.")


def test_status_change_problems_carry_codes_for_every_field(sqlite_url: str) -> None:
    from geo.store import StatusChange, User, open_store

    with open_store(sqlite_url) as store:
        store.seed([{"id": "rail-x", "status": "preparing"}])
        store.insert_user("admin", "hash", agency=None)
        with pytest.raises(InvalidStatusChange) as err:
            store.change_status(StatusChange("rail-x", "done", date(2000, 1, 1), "", "x" * 1001),
                                editor=User("admin"), expected_version=0)
    problems = err.value.problems
    assert {name: p.code for name, p in problems.items()} == {
        "status": "status_unknown", "effective_date": "date_before_plan", "note": "required",
        "source": "too_long", "expected_version": "version_invalid"}
    assert i18n.problem_text(problems["effective_date"], "zh") == "2000-01-01 早于规划年度(自 2014-01-01 起)。"
