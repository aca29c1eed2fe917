"""Desk app tests: the bundled nanyo profile, a hand-moved clock, the real store in tmp_path.

The root conftest keeps the developer's own config, data and remembered staff out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from tests.support.desk import make_setup


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The session data folder of the test."""
    return tmp_path / "data"


@pytest.fixture
def staff_book(tmp_path: Path) -> JsonStaffBook:
    """The remembered-staff file of the test."""
    return JsonStaffBook(tmp_path / "state" / "staff.json")


@pytest.fixture
def desk(nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook) -> DeskApp:
    """The desk app on the nanyo profile, Japanese, not a drill."""
    return DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
