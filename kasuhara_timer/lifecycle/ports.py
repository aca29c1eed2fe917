"""What the desk app needs from the outside world, as small protocols the CLI wires up.

The desk app never opens files itself: a `SessionStore` gives each new session somewhere to journal
its events and later writes `record.json` and `sheet.html`; a `StaffBook` remembers who sits at
the desk; a `RecorderFactory` records the microphone into the session's audio folder. Tests pass
their own; the CLI passes the real store and the real `audio.recorder.Recorder`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.events import AudioMark, Event, Staff
from kasuhara_timer.session.state import SessionState

if TYPE_CHECKING:  # the audio package pulls in numpy; the TUI only needs the types
    from kasuhara_timer.audio.recorder import RecorderReport, RecordingSummary


class SessionFiles(Protocol):
    """One session's place on disk: a durable event sink plus the files written at the end."""

    @property
    def location(self) -> Path:
        """The session's folder, shown to the staff member after saving."""
        ...

    @property
    def audio_dir(self) -> Path:
        """Where the session's recording goes (the recorder owns what is inside)."""
        ...

    def append(self, event: Event) -> object:
        """Persist one event; durable (fsynced) when this returns, else raises."""
        ...

    def write_record(self, state: SessionState, policy: Policy) -> Sequence[Path]:
        """Write `record.json` and `sheet.html` (atomically) and return their paths."""
        ...

    def seal(self, clock: Clock) -> None:
        """Hash every file of the ended session into seal.json (`integrity.seal`), sealed at
        `clock`'s now; called after its last record write, so `verify` can tell any later
        change."""
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


class ColleagueBook(Protocol):
    """Remembers colleagues who joined or took over, to offer them again on this PC."""

    def load(self) -> list[Staff]:
        """The remembered colleagues, the latest first."""
        ...

    def remember(self, staff: Staff) -> None:
        """Put `staff` first."""
        ...


class RecorderLike(Protocol):
    """What the desk app needs of a recorder (`audio.recorder.Recorder` fits).

    No method raises for sound problems and none blocks but `stop`, which is bounded: changes
    arrive as `RecorderReport`s through the callback given to the factory, on the recorder's
    own thread.
    """

    def start(self) -> None:
        """Begin recording in the background."""
        ...

    def pause(self) -> None:
        """Stop capturing until `resume`."""
        ...

    def resume(self) -> None:
        """Capture again, into a new segment."""
        ...

    def mark(self) -> AudioMark | None:
        """Where the recording stands now, for the next event; None when nothing is recorded."""
        ...

    def level(self) -> float:
        """Loudness of the latest audio in dBFS (-100: silence or not recording)."""
        ...

    def stop(self) -> RecordingSummary:
        """Finish and say what is on disk; waits a bounded time (call it off the UI thread)."""
        ...


RecorderReportSink = Callable[["RecorderReport"], None]
"""Called by the recorder, on its own thread, for every change of its state."""

RecorderFactory = Callable[[Path, SessionClock, RecorderReportSink], RecorderLike]
"""Makes the recorder of one session: (audio folder, the session's clock, where reports go)."""
