"""Domain tests run on a small policy built in code (overriding the root's nanyo-shaped one),
so the engine's logic is tested apart from the bundled data."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.models import Policy
from tests.support.policies import make_policy


@pytest.fixture
def policy() -> Policy:
    """The small test policy, 30-minute limit, pre-warnings at 10 and 5 minutes."""
    return make_policy()
