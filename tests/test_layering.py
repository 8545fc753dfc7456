"""The package's shape: imports run only downwards through the stages of ``geo/__init__.py``, in no
circle, ``geo`` never imports the page (``ui``, Streamlit), and the page never imports the pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo import settings

#: Each part of ``geo`` with its stage; a module may import its own stage's parts and lower stages.
#: ``filters`` (the page's and the exports' selection) names its choices in the user's words.
STAGES: dict[str, int] = {
    "settings": 0, "errors": 0, "taxonomy": 0, "csvtext": 0, "outfile": 0,
    "i18n": 1, "filters": 1, "layers": 2, "pipeline": 3, "store": 3, "webmap": 4, "reports": 5, "cli": 6, "__main__": 7,
}
#: Parts of one stage that stay apart: the pipeline writes layers, the store keeps statuses.
APART = {("pipeline", "store"), ("store", "pipeline")}


def imports_of(source: str, module: str) -> list[tuple[str, int]]:
    """Every module ``source`` imports (absolute names, relative ones resolved), with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*module.split(".")[:-node.level], *([base] if base else [])])
            found += [(f"{base}.{alias.name}" if base == "geo" else base, node.lineno) for alias in node.names]
    return found


def problems_of(source: str, module: str) -> list[str]:
    """The imports of ``module`` (``geo.x.y`` or ``ui.x``) that break the package's shape."""
    out = []
    for name, line in imports_of(source, module):
        where = f"{module}:{line} imports {name}"
        if module.startswith("geo.") and (name.split(".")[0] in {"ui", "streamlit", "bench"}):
            out.append(f"{where}: geo never imports the page or the benchmark")
        elif module.startswith("ui.") and name.startswith("geo.pipeline"):
            out.append(f"{where}: the page reads layers, it does not run the pipeline")
        elif module.startswith("geo.") and name.startswith("geo."):
            own, other = _part(module), _part(name)
            if other in STAGES and own in STAGES and (STAGES[other] > STAGES[own] or (own, other) in APART):
                out.append(f"{where}: {other} is above {own}")
    return out


def module_name(path: Path) -> str:
    parts = path.relative_to(settings.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, str]:
    files = [*(settings.ROOT / "geo").rglob("*.py"), *(settings.ROOT / "ui").rglob("*.py"),
             *(settings.ROOT / "bench").rglob("*.py")]
    return {module_name(p): p.read_text("utf-8") for p in files if "migrations" not in p.parts}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles of a module graph (depth-first; each reported once, from its first module)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_every_import_in_geo_and_ui_runs_downwards() -> None:
    problems = [p for module, source in sources().items() for p in problems_of(source, module)]
    assert problems == []


def test_no_module_imports_itself_through_a_circle() -> None:
    code = sources()
    graph = {m: {_owner(name, code) for name, _ in imports_of(src, m)} & set(code) - {m} for m, src in code.items()}
    graph = {m: {n for n in deps if not m.startswith(n + ".")} for m, deps in graph.items()}  # a façade's own parts
    assert cycles(graph) == []


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("geo.layers.io", "from geo.pipeline.routes import length_km", "pipeline is above layers"),
    ("geo.pipeline.build", "from geo.store.aliases import read_id_aliases", "store is above pipeline"),
    ("geo.taxonomy", "from geo import i18n", "i18n is above taxonomy"),
    ("geo.webmap.data", "import streamlit as st", "geo never imports the page"),
    ("geo.reports.progress", "from ui import site", "geo never imports the page"),
    ("ui.site", "from geo.pipeline import build_layers", "does not run the pipeline"),
    ("geo.pipeline.geocode", "from ..store import Store", "store is above pipeline"),
])
def test_an_upward_import_is_found(module: str, source: str, expected: str) -> None:
    assert any(expected in p for p in problems_of(source, module))


@pytest.mark.parametrize(("module", "source"), [
    ("geo.pipeline.geocode", "from geo.layers.schema import LENGTH_TOLERANCE"),
    ("ui.site", "from geo import layers, webmap"),
    ("geo.cli.run", "from geo.pipeline import build_layers"),
])
def test_a_downward_import_is_allowed(module: str, source: str) -> None:
    assert problems_of(source, module) == []


def test_a_circle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def _part(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _owner(name: str, code: dict[str, str]) -> str:
    """The module an import names: ``geo.webmap.view`` for ``from geo.webmap import view``."""
    while name and name not in code:
        name = name.rpartition(".")[0]
    return name
