"""Policy tests: each bundled profile in turn."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.loader import bundled_profile_names, load_policy
from kasuhara_timer.policy.models import Policy
from tests.support.documents import BUNDLED


@pytest.fixture(params=BUNDLED)
def bundled(request: pytest.FixtureRequest) -> Policy:
    """Each bundled profile in turn."""
    assert request.param in bundled_profile_names()
    return load_policy(str(request.param)).policy
