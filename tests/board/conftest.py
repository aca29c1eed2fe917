"""Board tests: desks publishing into a data folder in tmp_path, a hand-moved clock."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The shared data folder of the test."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder
