"""Fixtures shared by every test: a private data folder, a new journal (a copy of a session template), the catalogue."""

from __future__ import annotations

import os
import shutil

# Tests never need a display; set before pytest-qt creates the QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.store import journal as journal_module
from boundary_journal.store import keys, storage
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import ENV_HOME, journal_path
from boundary_journal.store.storage import create_journal

# Any socket connect, bind, send or name lookup fails the test (see tests/_network_guard.py).
pytest_plugins = ["tests._network_guard"]

PASSPHRASE = "correct horse battery"
# Argon2id at its production cost takes half a second and 256 MiB; tests that are not about the key
# derivation use this cheap setting (tests/unit/test_keys.py covers the production one).
TEST_KDF = keys.KdfParams(memory_kib=64, iterations=1, lanes=1)


class JournalTemplates:
    """New journals made once per session and copied per test: creating one replays every migration.

    A copy is the journal `create_journal` makes, byte for byte, except that copies of the same template share
    their key and journal_id. Tests about identity, keys or migrations create their journals themselves."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[tuple[str, keys.KdfParams], tuple[Path, bytes]] = {}

    def copy(self, path: Path, passphrase: str, kdf: keys.KdfParams | None = None) -> bytes:
        """Put a new journal (and its key file) at `path`, as create_journal would; returns its key."""
        kdf = kdf or keys.DEFAULT_KDF
        made = self._made.get((passphrase, kdf))
        if made is None:
            source = journal_path(self._folder / f"template-{len(self._made)}")
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(keys, "DEFAULT_KDF", kdf)
                opened = create_journal(source, passphrase)
            key = opened.key
            opened.close()
            made = self._made[(passphrase, kdf)] = (source, key)
        source, key = made
        storage.ensure_absent(path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copy2(keys.key_path_for(source), keys.key_path_for(path))
        shutil.copy2(source, path)
        return key

    def open(self, path: Path, passphrase: str, kdf: keys.KdfParams | None = None) -> Journal:
        """A new journal at `path`, open, as create_journal returns it."""
        return journal_module.open_file(path, self.copy(path, passphrase, kdf))


@pytest.fixture(scope="session")
def journal_templates(tmp_path_factory: pytest.TempPathFactory) -> JournalTemplates:
    return JournalTemplates(tmp_path_factory.mktemp("journal-templates"))


@pytest.fixture(scope="class")
def class_journal(journal_templates: JournalTemplates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """A new journal shared by the tests of one class, for read-only tests of data that a class-scoped fixture
    writes once (rather than once per parametrised case). Made before the function-scoped fixtures run, so it
    names its cheap key derivation itself."""
    opened = journal_templates.open(journal_path(tmp_path_factory.mktemp("class-journal")), PASSPHRASE, TEST_KDF)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", TEST_KDF)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data folder."""
    monkeypatch.setenv(ENV_HOME, str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["boundary-journal-tests"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def catalog() -> Catalog:
    return shipped_catalog()


@pytest.fixture
def journal(data_dir: Path, journal_templates: JournalTemplates) -> Iterator[Journal]:
    opened = journal_templates.open(journal_path(data_dir), PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()
