"""Fault-injection suite: the `tally` fixture, and the summary printed at the end of the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.session.clock import ManualClock
from tests.faults.tally import TALLY, Tally

REPORT_ENV = "KASUHARA_FAULTS_REPORT"


@pytest.fixture
def tally() -> Tally:
    """Where each trial records whether it survived and what it lost."""
    return TALLY


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the developer's config, data and state out of the trials."""
    monkeypatch.setenv("KASUHARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASUHARA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(tmp_path / "config.toml"))
    yield


@pytest.fixture
def clock() -> ManualClock:
    """2026-04-01 09:00 JST, moved by hand."""
    return ManualClock()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per kind of fault: trials run, survived, data lost."""
    if not TALLY.kinds:
        return
    terminalreporter.section("fault injection")
    for line in TALLY.lines():
        terminalreporter.write_line(line)
    report = os.environ.get(REPORT_ENV)
    if report:
        TALLY.write(Path(report))
