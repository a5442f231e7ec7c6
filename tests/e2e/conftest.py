"""Fixtures of the end-to-end tests: a temporary data folder driven through the installed CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import JournalTemplates
from tests.e2e.test_cli import CLI, PASSPHRASE


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    return CLI(tmp_path)


@pytest.fixture
def ready(cli: CLI, journal_templates: JournalTemplates) -> CLI:
    # Made in-process so its key file carries the tests' cheap key derivation (see tests/conftest.py);
    # the CLI reads the settings from the key file. TestInit runs the real `init`. A copy of the session's
    # new journal: create_journal would replay every migration per test.
    journal_templates.copy(cli.journal, PASSPHRASE)
    return cli
