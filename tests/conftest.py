"""What every test shares: nothing of the developer's machine reaches it; the common fixtures.

The isolation is autouse for the whole suite (as harlequin's `no_discovered_config`): the config
file, data and state folders, and the XDG folders platformdirs would fall back to, all point
into the test's temporary folder, so a developer's `config.toml` (say `lang = "en"`) or their
remembered staff cannot change a test's outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.integrity import roles
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.atomic import stop_sharing
from kasuhara_timer.store.journal import watch_journals
from tests.support.store import sample_policy

LEAKY_ENV = ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "USERNAME", "KASUHARA_LANG")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point every location the app reads into the test's temporary folder."""
    monkeypatch.setenv("KASUHARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASUHARA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(tmp_path / "config.toml"))
    monkeypatch.setenv("KASUHARA_EXPORT_DIR", str(tmp_path / "documents" / "exports"))
    for xdg in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(xdg, str(tmp_path / "xdg" / xdg.lower()))
    for name in LEAKY_ENV:
        monkeypatch.delenv(name, raising=False)
    yield
    stop_sharing()  # an office's group sharing declared by one test ends with it
    vault.lock()  # and so does a supervisor identity it unlocked
    roles.reset()
    watch_journals(None)  # a test that signed journals leaves the next one unsigned


@pytest.fixture
def clock() -> ManualClock:
    """2026-04-01 09:00 JST, moved by hand."""
    return ManualClock()


@pytest.fixture(scope="session")
def nanyo() -> Policy:
    """The bundled nanyo profile, the desk's default."""
    return load_policy("nanyo").policy


@pytest.fixture
def policy() -> Policy:
    """The nanyo-shaped test policy of the store and sheet tests (tests/support/data)."""
    return sample_policy()
