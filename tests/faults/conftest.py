"""Fault-injection suite: the `tally` fixture, and the summary printed at the end of the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.tally import TALLY, Tally

REPORT_ENV = "KASUHARA_FAULTS_REPORT"


@pytest.fixture
def tally() -> Tally:
    """Where each trial records whether it survived and what it lost."""
    return TALLY


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
