"""The gallery renders every view it knows to a PNG of the size the view opens in (issue 15's tool for looking)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ui import gallery


@pytest.mark.slow
def test_every_view_is_written(qtbot: QtBot, tmp_path: Path) -> None:
    written = gallery.render(tmp_path / "gallery")
    names = {path.stem for path in written}
    assert {"setup-dialog", "unlock-dialog", "main-empty", "main-sample-entries", "main-sample-trends",
            "main-sample-actions", "lock-screen", "self-check-dialog", "weekly-dialog", "export-dialog",
            "sources-dialog"} <= names
    for path in written:
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 200 and image.height() > 100, path.name
    assert not list(Path(tmp_path).glob("**/journal.db"))  # its journals were made elsewhere and removed


def test_a_scale_out_of_range_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        gallery.main(["--out", "unused", "--scale", "9"])
    assert stopped.value.code == 2
    assert "--scale must be between" in capsys.readouterr().err
