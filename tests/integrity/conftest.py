"""Fixtures for the integrity tests: a hand-moved clock, and no developer config leaking in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.session.clock import ManualClock


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point every location the CLI reads into the test's temporary folder."""
    monkeypatch.setenv("KASUHARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASUHARA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(tmp_path / "config.toml"))
    yield


@pytest.fixture
def clock() -> ManualClock:
    """2026-04-01 09:00 JST, moved by hand."""
    return ManualClock()
