"""What the desk app needs from the outside world, as small protocols the CLI wires up.

The TUI never opens files itself: a `SessionStore` gives each new session somewhere to journal
its events and later writes `record.json` and `sheet.html`; a `StaffBook` remembers who sits at
the desk. Tests pass their own; the CLI passes the real store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.events import Event, Staff
from kasuhara_timer.session.state import SessionState


class SessionFiles(Protocol):
    """One session's place on disk: a durable event sink plus the files written at the end."""

    @property
    def location(self) -> Path:
        """The session's folder, shown to the staff member after saving."""
        ...

    def append(self, event: Event) -> object:
        """Persist one event; durable (fsynced) when this returns, else raises."""
        ...

    def write_record(self, state: SessionState, policy: Policy) -> Sequence[Path]:
        """Write `record.json` and `sheet.html` (atomically) and return their paths."""
        ...

    def close(self) -> None:
        """Release the journal."""
        ...


class SessionStore(Protocol):
    """Creates session folders; real sessions and drills are kept apart by the store."""

    def open(self, started: datetime, drill: bool) -> SessionFiles:
        """A new, empty session folder for a session starting at `started`."""
        ...


class StaffBook(Protocol):
    """Remembers the staff member's name and section between sessions on this PC."""

    def load(self) -> Staff:
        """The remembered staff member (blank when none)."""
        ...

    def save(self, staff: Staff) -> None:
        """Remember `staff` for the next session."""
        ...
