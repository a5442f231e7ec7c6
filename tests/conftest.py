"""Fixtures shared by every test: a private data folder, a fresh journal, the shipped catalogue."""

from __future__ import annotations

import os

# Tests never need a display; set before pytest-qt creates the QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.store import keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import ENV_HOME, journal_path
from boundary_journal.store.storage import create_journal

# Any socket connect, bind, send or name lookup fails the test (see tests/_network_guard.py).
pytest_plugins = ["tests._network_guard"]

PASSPHRASE = "correct horse battery"
# Argon2id at its production cost takes half a second and 256 MiB; tests that are not about the key
# derivation use this cheap setting (tests/unit/test_keys.py covers the production one).
TEST_KDF = keys.KdfParams(memory_kib=64, iterations=1, lanes=1)


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
def journal(data_dir: Path) -> Iterator[Journal]:
    opened = create_journal(journal_path(data_dir), PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()
