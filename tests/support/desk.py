"""The desk app under test: a deterministic set-up and the journal it wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Event
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.journal import read_journal

HOST = "desk-07"


def make_setup(
    policy: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook, **options: Any
) -> DeskSetup:
    """A deterministic desk: hand-moved clock, no repaint pulse, no cursor blink, no guard
    against a quickly repeated key (unless `repeat_seconds` is given); it looks at
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
        "repeat_seconds": 0.0,  # the guard against a repeated key has its own tests
    }
    values.update(options)
    return DeskSetup(**values)


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
