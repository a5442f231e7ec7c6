"""The code's layers point one way: no module of the app imports, however indirectly, a module that imports it.

Every import counts: those inside functions (a deferred import still ties two modules together) and those under
`if TYPE_CHECKING:` (two modules that name each other's types know each other's insides). The command line starts
without Qt: the launcher (ui.launcher) imports the window only when it is asked for.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("boundary_journal", "ui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "versions" not in path.parts:  # Alembic's revision scripts are loaded by Alembic, by path
                found[_module_name(path)] = path
    return found


def _imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The app's modules that `module` imports (a `from package import name` of a submodule names the submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in targets if target in known and target != module}


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {module: _imported(module, path, known) for module, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it() -> None:
    assert cycles(import_graph()) == []


def test_the_check_finds_a_cycle_through_a_deferred_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    # …and the real graph holds the deferred imports it must see
    assert "ui.app" in import_graph()["ui.launcher"]


def test_the_domain_never_imports_the_window() -> None:
    graph = import_graph()
    assert {(module, target) for module, targets in graph.items() if module.startswith("boundary_journal")
            for target in targets if target.startswith("ui")} == set()


def test_the_store_stands_below_everything_else_of_the_app() -> None:
    """The store (the files on disk) knows nothing of the services, the documents or the window above it."""
    above = ("boundary_journal.services", "boundary_journal.report", "boundary_journal.catalog", "boundary_journal.cli",
             "ui")
    graph = import_graph()
    assert {(module, target) for module, targets in graph.items() if module.startswith("boundary_journal.store")
            for target in targets if target.startswith(above)} == set()


def test_the_window_leaves_the_documents_to_the_services() -> None:
    """What an export prints and notes comes through services.exports, never from ReportLab's side directly."""
    graph = import_graph()
    assert {(module, target) for module, targets in graph.items() if module.startswith("ui")
            for target in targets if target.startswith("boundary_journal.report")} == set()


def test_a_command_never_loads_qt(tmp_path: Path) -> None:
    probe = ("import sys\nfrom ui.launcher import main\ncode = main(['--data-dir', sys.argv[1], 'catalog'])\n"
             "assert code == 0, code\n"
             "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui.app')))\n"
             "assert not loaded, loaded\n")
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_command_line_alone_says_where_the_window_is(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "boundary_journal", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "start the window" in result.stderr


def test_every_package_is_installed() -> None:
    """pyproject lists its packages by name: a package folder missing from the list would be left out of a wheel
    (and of a bundle made from one), though an editable install finds it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    folders = {_module_name(init) for package in PACKAGES for init in (ROOT / package).rglob("__init__.py")}
    assert folders - listed == set()
