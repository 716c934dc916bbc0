"""The import floors of docs/architecture.md ("Layers"), read from the syntax tree of every module, with
the imports inside functions counted too:

- `queries` (the read side: SQL, runner, paths, shared vocabulary) imports neither `etl` nor `ui`;
- `ui`, `pages/` and `dashboard.py` never import `etl` (the writer);
- `etl` never imports `ui` or `pages`;
- the leaves `queries/paths.py` and `queries/vocabulary.py` import the standard library only;
- chart builders (`ui/charts/`) import no data layer and no Streamlit: frames in, figure or frame out;
- no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "queries", "ui")
LEAVES = ("queries.paths", "queries.vocabulary")
# what a chart builder may import from the project: formats, colours, dictionaries, its siblings, the
# indicator catalogue's record type (a value the page passes in) and the shared vocabulary
CHART_IMPORTS = ("ui.format", "ui.theme", "ui.i18n", "ui.charts", "ui.indicators", "queries.vocabulary")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [REPO / "dashboard.py", *sorted((REPO / "pages").glob("*.py"))]
    for package in PACKAGES:
        files += sorted((REPO / package).rglob("*.py"))
    return files


def imports_of(path: Path, known: set[str], name: str | None = None) -> set[str]:
    """Every module `path` (module `name`) imports, anywhere in the file (a function-local import
    counts), as the most specific module name: `from ui import format` is `ui.format`; `from ui import
    t` is `ui`."""
    found: set[str] = set()
    name = name or module_name(path)
    package = name.rpartition(".")[0] if path.name != "__init__.py" else name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = project_files()
    known = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, known) for p in files}


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_fixtures_see_every_package(graph) -> None:
    assert {"queries.runner", "etl.load", "ui.data", "dashboard"} <= set(graph)
    assert "queries.paths" in graph["etl.load"]  # the walk resolves `from queries.paths import ...`


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [("queries", {"etl", "ui", "pages", "dashboard"}), ("ui", {"etl", "pages", "dashboard"}), ("etl", {"ui", "pages"})],
)
def test_a_package_stays_on_its_floor(graph, importer: str, forbidden: set[str]) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _top(module) == importer
        for target in targets
        if _top(target) in forbidden
    )
    assert not wrong, wrong


def test_pages_and_the_entry_point_never_import_the_writer(graph) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _top(module) in ("pages", "dashboard")
        for target in targets
        if _top(target) == "etl"
    )
    assert not wrong, wrong


def test_the_leaves_import_the_standard_library_only(graph) -> None:
    for leaf in LEAVES:
        outside = sorted(t for t in graph[leaf] if _top(t) not in sys.stdlib_module_names and t != "__future__")
        assert not outside, f"{leaf} imports {outside}"


def test_chart_builders_are_pure(graph) -> None:
    for module, targets in graph.items():
        if not module.startswith("ui.charts"):
            continue
        project = {t for t in targets if _top(t) in (*PACKAGES, "pages", "dashboard")}
        wrong = sorted(t for t in project if not t.startswith(CHART_IMPORTS))
        assert not wrong, f"{module} imports {wrong}"
        assert not {t for t in targets if _top(t) == "streamlit"}, f"{module} calls Streamlit"


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Depth-first search for back edges; each cycle as the chain of modules."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in graph or target == module:
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_no_import_cycle(graph) -> None:
    cycles = find_cycles(graph)
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """A function-local import and a relative one are seen, and a cycle through three modules is found."""
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from etl.load import load_files\n    from . import format\n", encoding="utf-8")
    assert imports_of(source, {"etl.load", "ui.format"}, name="ui.mod") == {"etl.load", "ui.format"}
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a", "x"}, "x": set()}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
