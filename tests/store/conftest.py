"""Fixtures for the store tests."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from tests.store.helpers import sample_policy


@pytest.fixture
def policy() -> Policy:
    """The nanyo-shaped test policy."""
    return sample_policy()


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves by hand (2026-04-01 09:00 JST)."""
    return ManualClock()
