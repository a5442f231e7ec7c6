"""The layers' import contract, read from the source (every import, in a function too; not those under
`if TYPE_CHECKING:`, which only name types): the window reaches the journal through the services, naming the
store only for the `Journal` type; nothing in boundary_journal/ imports Qt or the window."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE = "boundary_journal.store"
ALLOWED_FROM_STORE = {("boundary_journal.store.journal", "Journal")}  # the one store name the window may use
QT = ("PySide6", "shiboken6")


@dataclass(frozen=True)
class Imported:
    """One name an import statement brings in: `module` (absolute), and `name` for `from module import name`."""

    path: Path
    line: int
    module: str
    name: str | None

    def __str__(self) -> str:
        what = self.module if self.name is None else f"{self.name} from {self.module}"
        return f"{self.path.relative_to(ROOT)}:{self.line}: {what}"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _package_of(path: Path, root: Path) -> list[str]:
    return list(path.relative_to(root).with_suffix("").parts[:-1])


def _nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node under `body`, leaving out the bodies of `if TYPE_CHECKING:` (their `else` is kept)."""
    for statement in body:
        if isinstance(statement, ast.If) and _is_type_checking(statement.test):
            yield from _nodes(statement.orelse)
            continue
        yield statement
        for child in ast.iter_child_nodes(statement):
            if isinstance(child, ast.stmt):
                yield from _nodes([child])
            else:
                yield from ast.walk(child)


def imports_of(path: Path, root: Path = ROOT) -> Iterator[Imported]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in _nodes(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(path, node.lineno, alias.name, None)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(path, root)
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                yield Imported(path, node.lineno, module, alias.name)


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def store_imports_of_the_window() -> list[Imported]:
    found = []
    for path in sources("ui"):
        for imported in imports_of(path):
            full = imported.module if imported.name is None else f"{imported.module}.{imported.name}"
            if not (_within(imported.module, STORE) or _within(full, STORE)):
                continue
            if (imported.module, imported.name) not in ALLOWED_FROM_STORE:
                found.append(imported)
    return found


def imports_in_the_core(*packages: str) -> list[Imported]:
    return [imported for path in sources("boundary_journal") for imported in imports_of(path)
            if any(_within(imported.module, package) or (imported.module == "" and imported.name == package)
                   for package in packages)]


class TestReading:
    """The reader finds every import, however written, and skips only what TYPE_CHECKING guards."""

    def test_function_level_and_guarded_imports(self, tmp_path: Path) -> None:
        module = tmp_path / "ui" / "some_dialog.py"
        module.parent.mkdir()
        module.write_text(
            "from typing import TYPE_CHECKING\n"
            "import boundary_journal.store.keys\n"
            "if TYPE_CHECKING:\n"
            "    from boundary_journal.store.backups import BackupInfo\n"
            "else:\n"
            "    from boundary_journal.store import files\n"
            "def later():\n"
            "    from boundary_journal.store.storage import open_journal\n"
            "class Dialog:\n"
            "    def accept(self):\n"
            "        if True:\n"
            "            from . import sibling\n",
            encoding="utf-8",
        )
        found = {(imported.module, imported.name) for imported in imports_of(module, tmp_path)}
        assert found == {
            ("typing", "TYPE_CHECKING"), ("boundary_journal.store.keys", None),
            ("boundary_journal.store", "files"), ("boundary_journal.store.storage", "open_journal"),
            ("ui", "sibling"),
        }


class TestContract:
    def test_the_window_names_only_the_journal_type_from_the_store(self) -> None:
        found = store_imports_of_the_window()
        assert not found, "ui/ reaches the store; go through a service instead:\n" + "\n".join(map(str, found))

    def test_the_core_does_not_import_qt(self) -> None:
        found = imports_in_the_core(*QT)
        assert not found, "\n".join(map(str, found))

    def test_the_core_does_not_import_the_window(self) -> None:
        found = imports_in_the_core("ui")
        assert not found, "\n".join(map(str, found))
