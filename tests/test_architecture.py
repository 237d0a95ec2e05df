"""The house rules, read from the code's own imports (AST): each failure names the file and the rule it breaks."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 800

#: The stage packages of ``planner/``, in the order the data flows, and the modules allowed at its top.
STAGES = ("intake", "places", "analysis", "selection", "routing", "field", "followup", "office", "store", "commands")
TOP_MODULES = {"__init__.py", "__main__.py", "cli.py", "domain.py", "errors.py", "vocabulary.py"}

#: Numbers only a datum conversion needs (Krasovsky semi-major axis and eccentricity, Baidu's x_pi offset).
DATUM_CONSTANTS = (6378245.0, 0.00669342162296594323, 0.006693421622965943)


def _sources(*folders: str) -> list[Path]:
    out: list[Path] = []
    for folder in folders:
        base = ROOT / folder
        if base.is_file():
            out.append(base)
            continue
        out.extend(p for p in sorted(base.rglob("*.py")) if "migrations" not in p.parts)
    return out


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, module_level_only: bool = False) -> list[tuple[str, int]]:
    """Absolute names imported by ``path`` (``from a.b import c`` gives ``a.b`` and ``a.b.c``), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    if module_level_only:  # keep the bodies of top-level try/if blocks, skip TYPE_CHECKING-only imports
        flat: list[ast.AST] = []
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.If | ast.Try):
                flat.extend(n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom))
            else:
                flat.append(node)
        nodes = flat
    out: list[tuple[str, int]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.append((module, node.lineno))
            out.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
    return out


def _imports_top_package(path: Path, package: str) -> list[tuple[str, int]]:
    return [(name, line) for name, line in _imports(path) if name == package or name.startswith(package + ".")]


LIBRARY = _sources("planner", "geodata")
PAGES = _sources("pages")
APP = ROOT / "app.py"


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES, APP], ids=_rel)
def test_module_is_at_most_800_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)}: {lines} lines; rule: no module over {MAX_LINES} lines (split by concern)"


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES, APP], ids=_rel)
def test_module_says_what_it_is_for(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
        pytest.skip("empty package marker")
    assert doc and doc.strip(), f"{_rel(path)}: rule: each module starts with one line saying what it is for"


def test_planner_is_grouped_by_stage() -> None:
    planner = ROOT / "planner"
    loose = sorted(p.name for p in planner.glob("*.py") if p.name not in TOP_MODULES)
    assert not loose, f"planner/: modules {loose} sit in the hall; rule: every module lives in a stage package"
    packages = sorted(p.name for p in planner.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    unknown = sorted(set(packages) - set(STAGES))
    assert not unknown, f"planner/: packages {unknown} are not stages {STAGES}; rule: one package per stage"


@pytest.mark.parametrize("path", LIBRARY, ids=_rel)
def test_library_never_imports_streamlit(path: Path) -> None:
    bad = [(n, ln) for n, ln in _imports(path) if n.split(".")[0] in {"streamlit", "streamlit_folium"}]
    assert not bad, f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: planner/ and geodata/ never import Streamlit"


@pytest.mark.parametrize("path", _sources("geodata"), ids=_rel)
def test_geodata_is_a_leaf(path: Path) -> None:
    bad = [(n, ln) for n, ln in _imports(path) if n.split(".")[0] in {"planner", "pages", "app"}]
    assert not bad, f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: geodata is a leaf with its own errors"


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES, APP], ids=_rel)
def test_only_the_adapter_imports_ortools(path: Path) -> None:
    if _rel(path) == "planner/routing/ortools_adapter.py":
        return
    bad = _imports_top_package(path, "ortools")
    assert not bad, (
        f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: only planner/routing/ortools_adapter.py imports OR-Tools"
    )


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES, APP], ids=_rel)
def test_only_the_pyvrp_adapter_imports_pyvrp(path: Path) -> None:
    if _rel(path) == "planner/routing/pyvrp_adapter.py":
        return
    bad = _imports_top_package(path, "pyvrp")
    assert not bad, (
        f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: only planner/routing/pyvrp_adapter.py imports PyVRP"
    )


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES, APP], ids=_rel)
def test_only_geodata_datum_converts_coordinates(path: Path) -> None:
    if _rel(path) == "geodata/datum.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    numbers = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)]
    bad = [n for n in numbers if any(abs(n.value - c) < 1e-12 for c in DATUM_CONSTANTS)]
    assert not bad, (
        f"{_rel(path)}:{bad[0].lineno} holds a datum-conversion constant; rule: only geodata/datum.py converts "
        "between WGS-84, GCJ-02 and BD-09"
    )


@pytest.mark.parametrize("path", PAGES, ids=_rel)
def test_pages_import_only_the_shared_page_module(path: Path) -> None:
    bad = [(n, ln) for n, ln in _imports(path) if n.startswith("pages.") and not n.startswith("pages.common")]
    bad = [(n, ln) for n, ln in bad if n.count(".") == 1 or not n.startswith("pages.common.")]
    assert not bad, f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: pages import no page but pages/common.py"


@pytest.mark.parametrize("path", [*LIBRARY, *PAGES], ids=_rel)
def test_no_module_shadows_the_standard_library(path: Path) -> None:
    # Streamlit and AppTest put a page's folder on sys.path: pages/statistics.py once hid ``statistics``.
    name = path.stem
    assert name == "__init__" or name not in sys.stdlib_module_names, (
        f"{_rel(path)}: rule: no module named after the standard library's {name!r} (it can shadow it)"
    )


@pytest.mark.parametrize("path", LIBRARY, ids=_rel)
def test_library_never_imports_pages_or_app(path: Path) -> None:
    bad = [(n, ln) for n, ln in _imports(path) if n.split(".")[0] in {"pages", "app"}]
    assert not bad, f"{_rel(path)}:{bad[0][1]} imports {bad[0][0]}; rule: the library never imports the app"


def test_app_only_routes() -> None:
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    classes = [n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    functions = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not classes, f"app.py defines classes {classes}; rule: app.py only routes"
    assert len(functions) <= 3, f"app.py defines {functions}; rule: app.py only routes (pages do the work)"
    assert "st.navigation" in calls, "app.py: rule: routing goes through st.navigation"
    widgets = sorted(c for c in calls if c.startswith(("st.sidebar.", "st.radio", "st.selectbox")))
    assert not widgets, f"app.py calls {widgets}; rule: no menu chain in app.py, st.navigation routes"


def _graph(*, module_level_only: bool) -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in LIBRARY}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for imported, _ in _imports(path, module_level_only=module_level_only):
            target = imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # importing a submodule also runs its package: ``planner.store.models`` -> ``planner.store``
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle(_graph(module_level_only=False))
    assert cycle is None, (
        f"import cycle {' -> '.join(cycle)} (first file: {cycle[0].replace('.', '/')}.py); "
        "rule: no import cycles, not even through imports inside functions"
    )


def test_the_rules_catch_what_they_claim(tmp_path: Path) -> None:
    """The detectors themselves: a cycle, a Streamlit import and a long module are each found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    probe = tmp_path / "probe.py"
    probe.write_text('"""probe."""\ndef f():\n    import streamlit as st\nfrom planner.office import audit\n',
                     encoding="utf-8")
    names = [n for n, _ in _imports(probe)]
    assert "streamlit" in names and "planner.office.audit" in names
    assert "streamlit" not in [n for n, _ in _imports(probe, module_level_only=True)]
