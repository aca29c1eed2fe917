"""Desk app tests: the bundled nanyo profile, a hand-moved clock, the real store in tmp_path.

Nothing of the developer's own config, data or remembered staff can leak in: every location
the app reads is pointed into the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Event
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.journal import read_journal
from kasuhara_timer.tui.app import DeskApp
from kasuhara_timer.tui.folder_store import FolderSessionStore
from kasuhara_timer.tui.setup import DeskSetup
from kasuhara_timer.tui.staff_memory import JsonStaffBook

HOST = "desk-07"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the developer's config, data and state folders out of the tests."""
    monkeypatch.setenv("KASUHARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASUHARA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(tmp_path / "config.toml"))
    yield


@pytest.fixture(scope="session")
def nanyo() -> Policy:
    """The bundled nanyo profile, as the desk app uses it by default."""
    return load_policy("nanyo").policy


@pytest.fixture
def clock() -> ManualClock:
    """2026-04-01 09:00 JST, moved by hand."""
    return ManualClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The session data folder of the test."""
    return tmp_path / "data"


@pytest.fixture
def staff_book(tmp_path: Path) -> JsonStaffBook:
    """The remembered-staff file of the test."""
    return JsonStaffBook(tmp_path / "state" / "staff.json")


def make_setup(
    policy: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook, **options: Any
) -> DeskSetup:
    """A deterministic desk: hand-moved clock, no repaint pulse, no cursor blink; it looks at
    `data_dir` at start (sessions left running, records, seals) as the real desk does."""
    values: dict[str, Any] = {
        "policy": policy,
        "store": FolderSessionStore(data_dir, HOST),
        "staff_book": staff_book,
        "clock": clock,
        "desk": HOST,
        "data_dir": data_dir,
        "pulse_seconds": None,
        "cursor_blink": False,
    }
    values.update(options)
    return DeskSetup(**values)


@pytest.fixture
def desk(nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook) -> DeskApp:
    """The desk app on the nanyo profile, Japanese, not a drill."""
    return DeskApp(make_setup(nanyo, clock, data_dir, staff_book))


def journal_events(data_dir: Path, drill: bool = False) -> list[Event]:
    """The events on disk of the only session in `data_dir`."""
    folders = list_session_folders(data_dir, drill=drill)
    assert len(folders) == 1, folders
    result = read_journal(folders[0].journal)
    assert result.intact, result.problems
    return list(result.events)


def kinds(events: list[Event]) -> list[str]:
    """The kinds of `events`, in order."""
    return [event.kind for event in events]
